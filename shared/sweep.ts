import { now } from '@shared/clock';
import { logger } from '@shared/logger';
import { listPendingStarts } from '@shared/store/applications';
import { claimTask, listDueTasks, type TaskClosing } from '@shared/store/tasks';
import { deliverTask } from '@shared/tasks';
import { ensureWorkflowStarted } from '@shared/workflow';

/** How long a submission has to start its own workflow before the sweep does it instead. */
const START_GRACE_MS = 60_000;
/** How long an answer being delivered by its own request is left alone before the sweep redelivers it. */
const DELIVERY_GRACE_MS = 60_000;

/**
 * The scheduled sweep (every minute on AWS, a timer and every clock change locally):
 * - starts the workflow of any application whose start was not confirmed;
 * - redelivers task answers whose delivery was cut short;
 * - expires open tasks whose deadline has passed on the clock: claimed first (so an answer racing
 *   the sweep cannot also win), then the workflow is told DeadlinePassed;
 * - starts again, when their time comes, workflows that failed (recovery tasks).
 * One item's failure is logged and left for the next sweep; it never stops the others.
 */
export async function sweep(at: Date = now()) {
  const counts = { started: 0, expired: 0, recovered: 0, redelivered: 0, failed: 0 };
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      counts.failed++;
      logger.error(`sweep: ${what} failed; the next sweep retries it`, { error: error as Error });
    }
  };

  for (const applicationId of await listPendingStarts(new Date(at.getTime() - START_GRACE_MS))) {
    await attempt(`starting ${applicationId}`, async () => {
      await ensureWorkflowStarted(applicationId);
      counts.started++;
    });
  }

  for (const task of await listDueTasks(at)) {
    await attempt(`task ${task.taskId}`, async () => {
      if (task.state === 'CLOSING' && task.closing) {
        if (Date.parse(task.closing.claimedAt) > at.getTime() - DELIVERY_GRACE_MS) return;
        await deliverTask({ ...task, closing: task.closing }, at);
        counts.redelivered++;
        return;
      }
      const closing: TaskClosing =
        task.kind === 'recovery'
          ? { outcome: 'DONE', signal: { kind: 'success', output: {} }, claimedAt: at.toISOString() }
          : {
              outcome: 'EXPIRED',
              signal: { kind: 'failure', error: 'DeadlinePassed', cause: `The ${task.kind} was due at ${task.dueAt}` },
              claimedAt: at.toISOString(),
            };
      if (!(await claimTask(task.taskId, closing))) return;
      await deliverTask({ ...task, closing }, at);
      if (task.kind === 'recovery') counts.recovered++;
      else counts.expired++;
    });
  }
  return counts;
}
