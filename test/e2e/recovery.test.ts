import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { LocalStack } from '@infra/local/local-stack';
import { Api, eventually, example, startTestStack } from '../support/local';

let stack: LocalStack;
let api: Api;

beforeAll(async () => {
  stack = await startTestStack();
  api = new Api(stack.urls.api);
}, 120_000);
afterAll(() => stack?.stop());

test('an application whose workflow failed to start is started by the sweep; nothing is lost', async () => {
  const token = await api.unitToken('recovery-unit');
  // Step Functions is unreachable for this one submission.
  const sfnDown = mockClient(SFNClient).on(StartExecutionCommand).rejects(Object.assign(new Error('connect ECONNREFUSED'), { name: 'ServiceUnavailable' }));
  let submitted;
  try {
    submitted = await api.request('POST', '/calls/gdast-2024/applications', { token, body: example('party-publicity') });
  } finally {
    sfnDown.restore();
  }
  expect(submitted.status).toBe(201);
  const id = submitted.body.applicationId;
  const stored = await api.request('GET', `/applications/${id}`, { token });
  expect(stored.body.status).toBe('SUBMITTED');
  expect(stored.body.executionArn).toBeUndefined();

  // Within the grace minute the sweep leaves it to the submission; after it, the sweep starts it.
  await api.setClock('2023-09-01T09:00:30+08:00');
  expect((await api.request('GET', `/applications/${id}`, { token })).body.executionArn).toBeUndefined();
  await api.setClock('2023-09-01T09:05:00+08:00');
  const done = await eventually(async () => {
    const answer = await api.request('GET', `/applications/${id}`, { token });
    return answer.body.status === 'FORMAL_CHECK_PASSED' ? answer.body : undefined;
  });
  expect(done.executionArn).toContain(id);
  expect(done.history.filter((entry: { stage: string }) => entry.stage === 'Receipt')).toHaveLength(1);
});
