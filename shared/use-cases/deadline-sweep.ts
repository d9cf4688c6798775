import { now } from '@shared/domain/clock';
import { emailsPerSecondPerShard, SWEEP_LIMITS, sweepPlan, type ShardSweep } from '@shared/domain/sweep-plan';
import { listPendingStarts } from '@shared/adapters/dynamodb/application-items';
import { OPEN_TASK_SHARDS } from '@shared/adapters/dynamodb/keys';
import { listDueTasksInShard, shardsWithDueTasks } from '@shared/adapters/dynamodb/sweep-items';
import { logger } from '@shared/adapters/logger';
import { isSendThrottled, sesSendRate, withSendRate } from '@shared/adapters/send-rate';
import { startShardWorker } from '@shared/adapters/sweep-workers';
import { inParallel } from '@shared/use-cases/in-parallel';
import { ensureWorkflowStarted } from '@shared/use-cases/workflow-start';
import { noSweepCounts, sweepTask, type SweepCounts } from '@shared/use-cases/sweep-task';

export type { SweepCounts } from '@shared/use-cases/sweep-task';

/** How long a submission has to start its own workflow before the sweep does it instead. */
const START_GRACE_MS = 60_000;

/**
 * The scheduled sweep (every minute on AWS, a timer and every clock change locally):
 * - starts the workflow of any application whose start was not confirmed;
 * - starts one worker per shard of the open-task index that has something due (sweepShard), all at
 *   once, each in its own Lambda (an asynchronous invocation; locally in-process through the same call).
 * One item's failure is logged and left for the next sweep; it never stops the others.
 */
export async function sweep(at: Date = now()) {
  const counts = { workers: 0, started: 0, failed: 0 };
  const attempt = attempter(counts);
  // The few pending starts first: the workers, once started, keep the table busy (locally, the process too).
  for (const applicationId of await listPendingStarts(new Date(at.getTime() - START_GRACE_MS))) {
    await attempt(`starting ${applicationId}`, async () => {
      await ensureWorkflowStarted(applicationId);
      counts.started++;
    });
  }
  // Each worker started alone: one refused start leaves that shard to the next minute, not the others.
  await Promise.all(
    sweepPlan(await shardsWithDueTasks(at), at).map((work) =>
      attempt(`starting the worker of shard ${work.shard}`, async () => {
        await startShardWorker(work);
        counts.workers++;
      }),
    ),
  );
  return counts;
}

/**
 * One worker: drains its shard's due tasks (claimed ones whose delivery was cut short first, then
 * open ones whose next action has come: shared/use-cases/sweep-task.ts), a page at a time with the
 * next page read while this one is worked, `SWEEP_LIMITS.concurrency` tasks at once, its emails at
 * its shard's part of the SES rate, until `budgetMs` has passed. What is left waits for the next
 * minute's worker; a task it moved on sorts past the run's instant and is not read again.
 */
export async function sweepShard(work: ShardSweep, budgetMs: number): Promise<SweepCounts & { left: number }> {
  const at = new Date(work.at);
  const counts = { ...noSweepCounts(), left: 0 };
  const attempt = attempter(counts);
  const stopAt = Date.now() + budgetMs;
  const read = (after?: Record<string, unknown>) => listDueTasksInShard(work.shard, at, SWEEP_LIMITS.pageSize, after);
  await withSendRate(emailsPerSecondPerShard(OPEN_TASK_SHARDS, sesSendRate()), async () => {
    let page = await read();
    for (;;) {
      const following = page.next ? read(page.next) : undefined;
      following?.catch(() => undefined); // awaited below, unless the budget ends first
      await inParallel(page.tasks, SWEEP_LIMITS.concurrency, async (task) => {
        if (Date.now() >= stopAt) counts.left++;
        else await attempt(`task ${task.taskId}`, () => sweepTask(task, at, counts));
      });
      if (!following || Date.now() >= stopAt) break;
      page = await following;
    }
  });
  return counts;
}

/**
 * Runs one item, counting its failure instead of throwing it. A send SES throttled is no failure:
 * nothing was sent or marked, and the item is taken again by a later sweep.
 */
function attempter(counts: { failed: number; throttled?: number }) {
  return async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (counts.throttled !== undefined && isSendThrottled(error)) {
        counts.throttled++;
        logger.warn(`sweep: ${what} throttled by SES; a later sweep sends it`, { error: error as Error });
        return;
      }
      counts.failed++;
      logger.error(`sweep: ${what} failed; the next sweep retries it`, { error: error as Error });
    }
  };
}
