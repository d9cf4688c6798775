import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { useLocalStack } from '../support/e2e';
import { example, shortForum } from '../support/fixtures';
import { eventually } from '../support/local';

const stack = useLocalStack({ resetClockAfterEach: true });
const { api } = stack;

/**
 * The end of the application's execution goes unnoticed: the resumption its Execution Status Change
 * event asks for (a StartExecution of `<id>-s1`) is refused, once, as if the event had been lost.
 * Resolves once it has been refused; later starts go through.
 */
function missTheEndOf(applicationId: string): Promise<void> {
  let refusedIt!: () => void;
  const refused = new Promise<void>((resolve) => (refusedIt = resolve));
  let done = false;
  stack.intercept(SFNClient, (command) => {
    if (done || !(command instanceof StartExecutionCommand) || command.input.name !== `${applicationId}-s1`)
      return undefined;
    done = true;
    refusedIt();
    return Object.assign(new Error('simulated: the end of the execution was never noticed'), {
      name: 'ServiceUnavailable',
    });
  });
  return refused;
}

/** Returns an application for correction, then loses its execution (stopped, and its end unnoticed). */
async function returnedWithLostExecution(unitId: string) {
  const token = await api.unitToken(unitId);
  const id = (await api.submit(token, shortForum())).body.applicationId;
  // Staff see the execution behind an application; units do not.
  const returned = await api.waitForStatus(await api.staffToken(), id, 'RETURNED_FOR_CORRECTION');
  const missed = missTheEndOf(id);
  await stack.sfn.send(
    new StopExecutionCommand({ executionArn: returned.executionArn, error: 'Lost', cause: 'simulated loss' }),
  );
  expect((await stack.sfn.send(new DescribeExecutionCommand({ executionArn: returned.executionArn }))).status).toBe(
    'ABORTED',
  );
  await missed;
  return { token, id, lostArn: returned.executionArn as string };
}

test('an amendment whose execution was lost resumes in a new execution at the formal check', async () => {
  const { token, id, lostArn } = await returnedWithLostExecution('lost-execution-unit');
  const amended = await api.request('PUT', `/applications/${id}`, { token, body: example('lingnan-forum') });
  expect(amended.status).toBe(200);
  const passed = await api.waitForStatus(await api.staffToken(), id, 'FORMAL_CHECK_PASSED');
  expect(passed.executionArn).not.toBe(lostArn);
  expect(passed.executionArn).toMatch(new RegExp(`${id}-v2$`));
  // The receipt is not sent again: the new execution starts at the formal check.
  expect(passed.history.filter((entry: { stage: string }) => entry.stage === 'Receipt')).toHaveLength(1);
});

test('at the deadline, an application whose execution was lost is still rejected', async () => {
  const { token, id } = await returnedWithLostExecution('lost-at-deadline-unit');
  await api.setClock('2023-09-26T00:00:00+08:00', true);
  const rejected = await api.waitForStatus(token, id, 'REJECTED');
  expect(rejected.outcome.result).toBe('REJECTED');
});

test('an application whose workflow failed to start is started by the sweep; nothing is lost', async () => {
  const token = await api.unitToken('recovery-unit');
  // Step Functions is unreachable for this one submission.
  const sfnDown = mockClient(SFNClient)
    .on(StartExecutionCommand)
    .rejects(Object.assign(new Error('connect ECONNREFUSED'), { name: 'ServiceUnavailable' }));
  let submitted;
  try {
    submitted = await api.submit(token, example('party-publicity'));
  } finally {
    sfnDown.restore();
  }
  expect(submitted.status).toBe(201);
  const id = submitted.body.applicationId;
  const staff = await api.staffToken();
  const stored = await api.request('GET', `/applications/${id}`, { token: staff });
  expect(stored.body.status).toBe('SUBMITTED');
  expect(stored.body.executionArn).toBeUndefined();

  // Within the grace minute the sweep leaves it to the submission; after it, the sweep starts it.
  await api.setClock('2023-09-01T09:00:30+08:00');
  expect((await api.request('GET', `/applications/${id}`, { token: staff })).body.executionArn).toBeUndefined();
  await api.setClock('2023-09-01T09:05:00+08:00');
  const done = await eventually(async () => {
    const answer = await api.request('GET', `/applications/${id}`, { token: staff });
    return answer.body.status === 'FORMAL_CHECK_PASSED' ? answer.body : undefined;
  });
  expect(done.executionArn).toContain(id);
  expect(done.history.filter((entry: { stage: string }) => entry.stage === 'Receipt')).toHaveLength(1);
});

test('a first execution stopped before its first step ran is not taken as started: the sweep resumes the application from the start', async () => {
  const token = await api.unitToken('stopped-early-unit');
  // The execution is started but held before its first step (as `npm run bench` holds runs), then stopped.
  stack.local.holdRuns();
  const submitted = await api.submit(token, example('party-publicity'));
  expect(submitted.status).toBe(201);
  const id = submitted.body.applicationId as string;
  const missed = missTheEndOf(id); // left to the sweep
  await stack.sfn.send(
    new StopExecutionCommand({
      executionArn: stack.executionArn(id),
      error: 'Lost',
      cause: 'stopped before its first step',
    }),
  );
  stack.local.releaseRuns();
  await missed;
  expect((await stack.sfn.send(new DescribeExecutionCommand({ executionArn: stack.executionArn(id) }))).status).toBe(
    'ABORTED',
  );

  // Past the grace minute the sweep finds the marker: the first execution exists but never ran, so a new one runs from the start.
  await api.setClock('2023-09-01T09:05:00+08:00');
  await stack.local.sweep();
  const staff = await api.staffToken();
  const done = await eventually(async () => {
    const answer = await api.request('GET', `/applications/${id}`, { token: staff });
    return answer.body.status === 'FORMAL_CHECK_PASSED' ? answer.body : undefined;
  });
  expect(done.executionArn).toBe(stack.executionArn(`${id}-s1`));
  expect(done.history.filter((entry: { stage: string }) => entry.stage === 'Receipt')).toHaveLength(1);
});
