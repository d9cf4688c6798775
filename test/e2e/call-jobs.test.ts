import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { applicationKey, applicationStatusIndex } from '@shared/adapters/dynamodb/keys';
import { example } from '../support/fixtures';
import { useLocalStack } from '../support/e2e';
import { scoreThrough } from '../support/award';
import { accepted, jobEnded, type Job } from '../support/jobs';
import { followLink, taskLinkIn } from '../support/task-links';

/**
 * The award proposal as a job, over HTTP: the POST answers 202 with its job (RUNNING, nothing ranked
 * yet) and a Location; a second POST while it runs answers the same job; staff follow it at
 * `GET /jobs/{jobId}` (a unit may not, an unknown id is 404) and see it in the proposal's answer.
 * A scored application whose rank inputs cannot be read fails the job visibly (its id in `errors`,
 * nothing proposed); once it is gone, the next job goes RUNNING → DONE with done == total, and the
 * table is read. The confirmation's decisions are a job named in the proposal's answer.
 */
const stack = useLocalStack();
const { api } = stack;
const CALL = 'gdast-2024';
const BROKEN = 'app-broken-rank-input';
const brokenKey = applicationKey(BROKEN);

test('the proposal as a job: 202, one job while it runs, failed visibly, then done, then read', async () => {
  const staff = await api.staffToken();
  const token = await api.unitToken('gd-physics-society');
  const submitted = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example('lingnan-forum') });
  const applicationId: string = submitted.body.applicationId;
  await scoreThrough(api, () => stack.emails(), [{ token, applicationId }]);
  await api.setClock('2023-11-01T09:00:00+08:00', true);

  // A scored entry of the call with neither its rank input nor its form (as a bad migration might leave it).
  const createdAt = '2023-09-10T10:00:00+08:00';
  await stack.dynamo.send(
    new PutItemCommand({
      TableName: 'funding-call',
      Item: marshall({
        ...brokenKey,
        ...applicationStatusIndex('SCORED', CALL, createdAt, BROKEN),
        applicationId: BROKEN,
        callId: CALL,
        unitId: 'gd-chemistry-society',
        projectTypeId: 'lingnan-forum',
        status: 'SCORED',
        createdAt,
      }),
    }),
  );

  const first = await api.request('POST', `/calls/${CALL}/award-proposal`, { token: staff });
  const job = accepted(first, 'the proposal');
  expect(job).toMatchObject({ kind: 'award-proposal', callId: CALL, state: 'RUNNING', done: 0, errors: [] });
  expect(job.startedAt).toMatch(/^2023-11-01T09:00:00.*\+08:00$/);
  // Asked again while it runs: the same job.
  expect(accepted(await api.request('POST', `/calls/${CALL}/award-proposal`, { token: staff }), 'again').jobId).toBe(
    job.jobId,
  );
  const proposing = await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(proposing.status).toBe(200);
  expect(proposing.body).toEqual({
    callId: CALL,
    state: 'PROPOSING',
    job: expect.objectContaining({ jobId: job.jobId }),
  });
  expect((await api.request('GET', `/jobs/${job.jobId}`, { token })).status).toBe(403);
  expect((await api.request('GET', '/jobs/no-such-job', { token: staff })).status).toBe(404);

  // The sweep runs it: the broken entry fails it, by name, and nothing is proposed.
  const failed = await jobEnded(api, staff, job.jobId);
  expect(failed).toMatchObject({
    state: 'FAILED',
    errors: [{ item: BROKEN, message: expect.any(String) }],
    result: { unreadable: 1 },
  });
  expect(failed.finishedAt).toBeDefined();
  const afterFailure = await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(afterFailure.body).toMatchObject({ state: 'PROPOSAL_FAILED', job: { jobId: job.jobId, state: 'FAILED' } });
  expect((await stack.emails()).filter((e) => e.subject.includes('立项建议'))).toEqual([]);

  // Fixed, asked again: a new job, RUNNING then DONE with every step done, and the table readable.
  await stack.dynamo.send(new DeleteItemCommand({ TableName: 'funding-call', Key: marshall(brokenKey) }));
  const again = accepted(await api.request('POST', `/calls/${CALL}/award-proposal`, { token: staff }), 'again');
  expect(again.jobId).not.toBe(job.jobId);
  expect(again.state).toBe('RUNNING');
  const seen: Job[] = [];
  const done = await jobEnded(api, staff, again.jobId, 60_000, seen);
  expect(seen[0].state).toBe('RUNNING');
  expect(done).toMatchObject({ state: 'DONE', errors: [], result: { version: 1, ranked: 1, awarded: 1 } });
  expect(done.total).toBeGreaterThanOrEqual(3); // ranked, one page, the department head's request
  expect(done.done).toBe(done.total);
  const proposal = await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(proposal.body).toMatchObject({ version: 1, state: 'PROPOSED', taskId: done.result?.taskId });
  expect(proposal.body).not.toHaveProperty('job');
  expect(proposal.body.types.find((t: { typeId: string }) => t.typeId === 'lingnan-forum').entries).toEqual([
    expect.objectContaining({ applicationId, awarded: true }),
  ]);

  // The head confirms: the decisions are a job of their own, named in the proposal's answer.
  const head = await stack.email((e) => e.subject.includes('立项建议'), 'the confirmation request');
  expect((await followLink(taskLinkIn(head), { answer: { answer: 'confirm' } })).status).toBe(200);
  const confirmed = await api.request('GET', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(confirmed.body).toMatchObject({ state: 'CONFIRMED', decisionJob: { kind: 'award-decisions' } });
  const decisions = await jobEnded(api, staff, confirmed.body.decisionJob.jobId);
  expect(decisions).toMatchObject({ state: 'DONE', done: 1, total: 1, result: { version: 1, decisions: 1 } });
  await api.waitForStatus(token, applicationId, 'AWARDED', 30_000);
  // Confirmed: refused at once, no job.
  const late = await api.request('POST', `/calls/${CALL}/award-proposal`, { token: staff });
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('AWARD_CONFIRMED');
}, 240_000);
