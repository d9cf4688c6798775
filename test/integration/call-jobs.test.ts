import { systemClock, useClock } from '@shared/domain/clock';
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
  useClock({ now: () => at });
  expect(await runBatch((await getTask(id))!, at, notReady)).toBe(false);

  const sweepAfter = async (ms: number) => {
    const later = new Date(at.getTime() + ms);
    useClock({ now: () => later });
    await sweepTask((await getTask(id))!, later, noSweepCounts());
  };
  // Still claimed for a moment, so no other worker runs it beside the one that left it.
  await sweepAfter(LATER_RETRY_MS / 2);
  expect((await getTask(id))?.state).toBe('CLOSING');
  await sweepAfter(LATER_RETRY_MS + 1_000);
  expect((await getTask(id))?.state).toBe('DONE');
  expect(await jobViewOf(jobId)).toMatchObject({ state: 'DONE', done: 1, total: 1 });
  useClock(systemClock);
});

test('a batch still running is not run again beside itself, and a batch cut short is run again by one worker', async () => {
  const callId = 'job-test-call';
  const jobId = newJobId('award-decisions', callId);
  const started = new Date('2023-11-02T01:00:00Z');
  let clockAt = started;
  useClock({ now: () => clockAt });
  await startJob({ jobId, kind: 'award-decisions', callId, total: 1, startedBy: staff }, started);
  const [id] = await enqueueBatches(callId, 'decide', [[]], started, { jobId, tag: jobId.slice(-13) });
  // A run that is slow: 90 s of the clock pass while it works (a loaded machine), its claim renewed.
  let release!: () => void;
  const slow = runBatch((await getTask(id))!, started, async () => {
    await new Promise<void>((resolve) => (release = resolve));
    return 'done';
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  clockAt = new Date(started.getTime() + 90_000);
  const claimedAt = async () => (await getTask(id))?.closing?.claimedAt;
  const before = await claimedAt();
  await new Promise((resolve) => setTimeout(resolve, 21_000)); // one renewal
  expect(await claimedAt()).not.toBe(before);
  // Two sweeps at once find it claimed within the grace: neither runs it.
  await Promise.all([1, 2].map(async () => sweepTask((await getTask(id))!, clockAt, noSweepCounts())));
  expect((await getTask(id))?.state).toBe('CLOSING');
  release();
  expect(await slow).toBe(true);
  expect((await getTask(id))?.state).toBe('DONE');

  // A run cut short (its Lambda ended): past the grace, of two sweeps at once one takes it over and runs it.
  const [cut] = await enqueueBatches(callId, 'decide', [[]], clockAt, { tag: `${jobId.slice(-13)}-cut` });
  await expect(
    runBatch((await getTask(cut))!, clockAt, async () => {
      throw new Error('the Lambda timed out');
    }),
  ).rejects.toThrow('timed out');
  clockAt = new Date(clockAt.getTime() + 61_000);
  const counts = noSweepCounts();
  const seen = (await getTask(cut))!;
  await Promise.all([1, 2].map(() => sweepTask(seen, clockAt, counts)));
  expect(counts).toMatchObject({ redelivered: 1, skipped: 1 });
  expect((await getTask(cut))?.state).toBe('DONE');
  useClock(systemClock);
}, 60_000);
