import { now, toBeijingIso } from '@shared/domain/clock';
import type { ClaimedTask, TaskClosing, TaskRecord } from '@shared/domain/task';
import { listPendingStarts } from '@shared/adapters/dynamodb/application-items';
import { claimTask, finishTask, listDueTasks } from '@shared/adapters/dynamodb/task-items';
import { logger } from '@shared/adapters/logger';
import { DEADLINE_REJECTION, recordRejection } from '@shared/use-cases/steps/outcome';
import { sendCorrectionReminder } from '@shared/use-cases/steps/reminder';
import { carryOutAmendment, deliverTask, type LostExecutionHandler } from '@shared/use-cases/task-answers';
import { ensureWorkflowStarted, redriveFailedWorkflow } from '@shared/use-cases/workflow-start';

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

/**
 * The sweep's answers (a missed deadline) must hold even when their execution is gone: the
 * rejection is then recorded directly.
 */
const carryOutWithoutWorkflow: LostExecutionHandler = async (task) => {
  const { signal } = task.closing;
  if (task.kind !== 'amendment' || signal.kind !== 'failure' || signal.error !== 'DeadlinePassed') return carryOutAmendment(task);
  await recordRejection(task.applicationId, DEADLINE_REJECTION).catch((error: Error) => {
    // Withdrawn (or gone) meanwhile: there is nothing left to reject.
    if (error.name !== 'Withdrawn' && error.name !== 'ApplicationMissing') throw error;
  });
};

/** Delivers a claimed task: a recovery starts the failed workflow again; any other answers its execution. */
async function deliverClaimed(task: ClaimedTask, at: Date): Promise<void> {
  if (task.kind !== 'recovery') return deliverTask(task, at, carryOutWithoutWorkflow);
  await redriveFailedWorkflow(task);
  await finishTask(task, toBeijingIso(at));
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
        await deliverClaimed({ ...task, closing: task.closing }, at);
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
      await deliverClaimed({ ...task, closing }, at);
      if (task.kind === 'recovery') counts.recovered++;
      else counts.expired++;
    });
  }
  return counts;
}
