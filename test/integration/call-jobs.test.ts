import { getTask } from '@shared/adapters/dynamodb/task-items';
import { enqueueBatches, LATER_RETRY_MS, runBatch, type BatchRunner } from '@shared/use-cases/call-batches';
import { noSweepCounts, sweepTask } from '@shared/use-cases/sweep-task';
import { batchDone, jobViewOf, newJobId, startJob } from '@shared/use-cases/jobs';
import { useLocalTable } from '../support/local-table';

/**
 * A call-level job's batches against DynamoDB Local: each batch counts in its job once however often
 * it runs; a batch that fails shows in the job's errors while it waits to run again, and the job
 * still ends DONE, with the error it met, once that batch has run; a job of no batches is done at once.
 */
useLocalTable();

const at = new Date('2023-11-01T01:00:00Z');
const staff = 'staff@gdast.local';

test('a failing batch shows in errors, runs again, and its job still completes with done == total', async () => {
  const callId = 'job-test-call';
  const jobId = newJobId('award-decisions', callId);
  await startJob({ jobId, kind: 'award-decisions', callId, total: 3, startedBy: staff }, at);
  const ids = await enqueueBatches(callId, 'decide', [['a'], ['b'], ['c']], at, { jobId, tag: jobId.slice(-13) });
  let failures = 1;
  const run: BatchRunner = async (task) => {
    if ((task.batch.items as string[])[0] === 'b' && failures-- > 0) throw new Error('DynamoDB was throttled');
    return 'done';
  };

  expect(await runBatch((await getTask(ids[0]))!, at, run)).toBe(true);
  // Counted again (a run cut short after its finish, then run again): counted once.
  await batchDone(jobId, 0, at);
  await expect(runBatch((await getTask(ids[1]))!, at, run)).rejects.toThrow('throttled');
  expect(await jobViewOf(jobId)).toMatchObject({
    state: 'RUNNING',
    done: 1,
    total: 3,
    errors: [{ item: 'batch 1', message: 'DynamoDB was throttled' }],
  });
  expect(await runBatch((await getTask(ids[2]))!, at, run)).toBe(true);
  // The sweep runs the failed batch again (it is still claimed): it succeeds, and the job ends.
  const claimed = await getTask(ids[1]);
  expect(claimed?.state).toBe('CLOSING');
  expect(await runBatch(claimed!, at, run)).toBe(true);
  const job = await jobViewOf(jobId);
  expect(job).toMatchObject({ state: 'DONE', done: 3, total: 3, finishedAt: expect.stringMatching(/\+08:00$/) });
  expect(job?.errors).toEqual([{ item: 'batch 1', message: 'DynamoDB was throttled' }]);
});

test('a job with nothing to do is done when it starts', async () => {
  const jobId = newJobId('reporting-round', 'job-test-call');
  await startJob({ jobId, kind: 'reporting-round', callId: 'job-test-call', total: 0, startedBy: staff }, at);
  expect(await jobViewOf(jobId)).toMatchObject({ state: 'DONE', done: 0, total: 0, errors: [] });
});

test('a batch that finds its work not ready yet is run again by the next sweep, not a minute later', async () => {
  const callId = 'job-test-call';
  const jobId = newJobId('award-decisions', callId);
  await startJob({ jobId, kind: 'award-decisions', callId, total: 1, startedBy: staff }, at);
  // A batch of no decisions: whatever runs it next finds nothing to decide, and finishes it.
  const [id] = await enqueueBatches(callId, 'decide', [[]], at, { jobId, tag: jobId.slice(-13) });
  const notReady: BatchRunner = async () => 'later';
  expect(await runBatch((await getTask(id))!, at, notReady)).toBe(false);

  const sweepAfter = async (ms: number) =>
    sweepTask((await getTask(id))!, new Date(at.getTime() + ms), noSweepCounts());
  // Still claimed for a moment, so no other worker runs it beside the one that left it.
  await sweepAfter(LATER_RETRY_MS / 2);
  expect((await getTask(id))?.state).toBe('CLOSING');
  await sweepAfter(LATER_RETRY_MS + 1_000);
  expect((await getTask(id))?.state).toBe('DONE');
  expect(await jobViewOf(jobId)).toMatchObject({ state: 'DONE', done: 1, total: 1 });
});
