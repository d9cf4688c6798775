import { now } from '@shared/domain/clock';
import { logger } from '@shared/adapters/logger';
import { listPendingStarts } from '@shared/adapters/dynamodb/application-items';
import { claimTask, listDueTasks, type TaskClosing, type TaskRecord } from '@shared/adapters/dynamodb/task-items';
import { sendCorrectionReminder } from '@shared/use-cases/steps/reminder';
import { deliverTask } from '@shared/use-cases/task-answers';
import { ensureWorkflowStarted } from '@shared/adapters/workflow-engine';

const HOUR_MS = 60 * 60 * 1000;
/** Reminders go out this many hours before a task falls due (largest first). */
const REMINDER_HOURS = [72, 24] as const;

/** Sends the reminder due now for a returned application, once per reminder and version. */
async function remindOfAmendment(task: TaskRecord, at: Date): Promise<boolean> {
  const hoursLeft = (Date.parse(task.dueAt) - at.getTime()) / HOUR_MS;
  const tier = [...REMINDER_HOURS].reverse().find((hours) => hoursLeft <= hours);
  if (tier === undefined) return false;
  return sendCorrectionReminder(task.applicationId, tier, new Date(task.dueAt), at);
}

/** How long a submission has to start its own workflow before the sweep does it instead. */
const START_GRACE_MS = 60_000;
/** How long an answer being delivered by its own request is left alone before the sweep redelivers it. */
const DELIVERY_GRACE_MS = 60_000;

/**
 * The scheduled sweep (every minute on AWS, a timer and every clock change locally):
 * - starts the workflow of any application whose start was not confirmed;
 * - reminds units whose returned application is still uncorrected 3 days and 1 day before the deadline;
 * - redelivers task answers whose delivery was cut short;
 * - expires open tasks whose deadline has passed on the clock: claimed first (so an answer racing
 *   the sweep cannot also win), then the workflow is told DeadlinePassed;
 * - starts again, when their time comes, workflows that failed (recovery tasks).
 * One item's failure is logged and left for the next sweep; it never stops the others.
 */
export async function sweep(at: Date = now()) {
  const counts = { started: 0, reminded: 0, expired: 0, recovered: 0, redelivered: 0, failed: 0 };
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

  for (const task of await listDueTasks(new Date(at.getTime() + REMINDER_HOURS[0] * HOUR_MS))) {
    await attempt(`task ${task.taskId}`, async () => {
      if (task.state === 'OPEN' && Date.parse(task.dueAt) > at.getTime()) {
        if (task.kind === 'amendment' && (await remindOfAmendment(task, at))) counts.reminded++;
        return;
      }
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
