import { toBeijingIso } from '@shared/domain/clock';
import { paperCopyMissingSignal } from '@shared/domain/tasks/link-rules';
import { CLAIM_GRACE_MS, type ClaimedTask, type TaskClosing, type TaskRecord } from '@shared/domain/tasks/record';
import { taskSchedule, type TaskAction } from '@shared/domain/tasks/schedule';
import { REMINDER_LEASE_MS } from '@shared/domain/sweep-plan';
import { claimTask, finishTask, scheduleNextAction } from '@shared/adapters/dynamodb/task-items';
import { leaseDueTask, takeOverDelivery } from '@shared/adapters/dynamodb/sweep-items';
import { countMetric } from '@shared/adapters/metrics';
import { remindAssignee } from '@shared/use-cases/tasks/open-link-task';
import { DEADLINE_REJECTION, recordRejection } from '@shared/use-cases/steps/outcome';
import { sendCorrectionReminder } from '@shared/use-cases/steps/reminder';
import { remindOfPaperCopy } from '@shared/use-cases/steps/review-outcomes';
import {
  carryOutWithoutExecution,
  deliverTask,
  type LostExecutionHandler,
} from '@shared/use-cases/tasks/deliver-answer';
import { redriveFailedWorkflow } from '@shared/use-cases/workflow-start';
import { carryOutAwardConfirmation, remindAwardConfirmation } from '@shared/use-cases/award';
import { runCallBatch, startRoundBySweep } from '@shared/use-cases/call-jobs';
import { remindExpert, replaceIfDeclined } from '@shared/use-cases/expert-review';
import { carryOutReportReview, remindOfObligation, remindReportReviewer } from '@shared/use-cases/obligations';

/**
 * What the sweep does for one due task (shared/domain/tasks/schedule.ts says what is due), whichever
 * worker reads it. Two workers may read the same entry (two runs of a shard at once, or an index
 * read before the first moved the task): every action is taken under a condition only one can meet:
 * an expiry or a recovery claims the task (its state and token), a reminder leases it (still due),
 * a redelivery restamps the claim it read; and each email is sent once per key besides.
 */

/**
 * The sweep's answers (a missed deadline) must hold even when their execution is gone: the
 * rejection is then recorded directly.
 */
const carryOutWithoutWorkflow: LostExecutionHandler = async (task) => {
  const { signal } = task.closing;
  if (task.kind !== 'amendment' || signal.kind !== 'failure' || signal.error !== 'DeadlinePassed')
    return carryOutWithoutExecution(task);
  await recordRejection(task.applicationId, DEADLINE_REJECTION).catch((error: Error) => {
    // Withdrawn (or gone) meanwhile: there is nothing left to reject.
    if (error.name !== 'Withdrawn' && error.name !== 'ApplicationMissing') throw error;
  });
};

/** Delivers a claimed task: a recovery starts the failed workflow again; any other answers its execution. */
async function deliverClaimed(task: ClaimedTask, at: Date): Promise<void> {
  if (task.kind === 'batch') {
    await runCallBatch(task, at);
    return;
  }
  if (task.kind === 'award-confirmation') {
    await carryOutAwardConfirmation(task, at);
    return;
  }
  if (task.kind === 'report-review') {
    await carryOutReportReview(task, at);
    return;
  }
  // A decline or conflict whose request ended before the replacement: the place is handed on now (once).
  if (task.kind === 'expert-review') await replaceIfDeclined(task, at);
  if (task.kind !== 'recovery') return deliverTask(task, at, carryOutWithoutWorkflow);
  await redriveFailedWorkflow(task);
  await finishTask(task, toBeijingIso(at));
}

/** How a task ends when its time is up: a recovery runs; an amendment or a paper copy expires. */
function closingFor(task: TaskRecord, at: Date): TaskClosing {
  const claimedAt = at.toISOString();
  if (task.kind === 'recovery') return { outcome: 'DONE', signal: { kind: 'success', output: {} }, claimedAt };
  if (task.kind === 'paper-copy') return { outcome: 'EXPIRED', signal: paperCopyMissingSignal(task.taskId), claimedAt };
  // A silent expert does not hold the application up: the slot counts as not returned.
  if (task.kind === 'expert-review')
    return {
      outcome: 'EXPIRED',
      signal: { kind: 'success', output: { taskId: task.taskId, answer: 'expired' } },
      claimedAt,
    };
  return {
    outcome: 'EXPIRED',
    signal: { kind: 'failure', error: 'DeadlinePassed', cause: `The ${task.kind} was due at ${task.dueAt}` },
    claimedAt,
  };
}

/** Sends the reminder an action calls for; true when an email went out now. */
async function remind(task: TaskRecord, action: TaskAction, at: Date): Promise<boolean> {
  if (action.kind !== 'remind' && action.kind !== 'overdue') return false;
  if (task.kind === 'amendment' && action.kind === 'remind') {
    return sendCorrectionReminder(task.applicationId, action.tier === 'before-72h' ? 72 : 24, new Date(task.dueAt), at);
  }
  if (task.kind === 'paper-copy' && action.kind === 'remind') return remindOfPaperCopy(task, action.tier, at);
  if (task.kind === 'formal-review' || task.kind === 'target-review') return remindAssignee(task, action, at);
  if (task.kind === 'expert-review' && action.kind === 'remind') return remindExpert(task, action.tier, at);
  if (task.kind === 'report-review') return remindReportReviewer(task, action, at);
  if (task.kind === 'award-confirmation') return remindAwardConfirmation(task, action, at);
  if (
    task.kind === 'obligation' &&
    action.kind === 'remind' &&
    (action.tier === 'before-7d' || action.tier === 'before-1d')
  )
    return remindOfObligation(task, action.tier, at);
  return false;
}

/** The next action of a task the sweep has nothing more to do for: never due, still listed as open. */
const NOTHING_MORE = new Date('9999-12-31T00:00:00.000Z');

/** What a sweep did, by kind; `skipped` were taken by another worker, `throttled` left for later by SES. */
export type SweepCounts = Record<
  'started' | 'reminded' | 'expired' | 'recovered' | 'redelivered' | 'skipped' | 'throttled' | 'failed',
  number
>;

export const noSweepCounts = (): SweepCounts => ({
  started: 0,
  reminded: 0,
  expired: 0,
  recovered: 0,
  redelivered: 0,
  skipped: 0,
  throttled: 0,
  failed: 0,
});

/** One due task: an answer whose delivery was cut short is redelivered; an open task gets its next action. */
export async function sweepTask(task: TaskRecord, at: Date, counts: SweepCounts): Promise<void> {
  if (task.state === 'CLOSING' && task.closing) return redeliver({ ...task, closing: task.closing }, at, counts);
  if (task.state !== 'OPEN') return;
  const { action, nextAt } = taskSchedule(task, at);
  if (action?.kind === 'expire' || action?.kind === 'redrive') {
    await expireOrRedrive(task, at, counts);
    return;
  }
  if (action?.kind === 'run') {
    await runCallBatch(task, at);
    return;
  }
  // A reminder or the round's start claims nothing: the task is leased to this worker first. A send
  // that fails (SES throttled it) leaves the task leased, and due again when the lease ends.
  if (action && !(await leaseDueTask(task.taskId, at, new Date(at.getTime() + REMINDER_LEASE_MS)))) {
    counts.skipped++;
    return;
  }
  if (action?.kind === 'overdue' || action?.kind === 'missed') countMetric('OverdueOpenTasks');
  if (action?.kind === 'start-round' && task.callId && (await startRoundBySweep(task.callId, at))) counts.started++;
  if (action?.kind === 'missed' && (await remindOfObligation(task, 'missed', at))) counts.reminded++;
  if (action && (await remind(task, action, at))) counts.reminded++;
  // A task with nothing more for the sweep to do (a wait released by others, a report past its
  // missed notice) leaves the due part of the index, or every sweep would read it again.
  await scheduleNextAction(task.taskId, nextAt ?? NOTHING_MORE);
}

/**
 * An answer whose delivery was cut short, or a batch whose run was, once its grace has passed: taken
 * over first (its claim restamped under a condition), so two workers do not both deliver or run it.
 */
async function redeliver(task: ClaimedTask, at: Date, counts: SweepCounts): Promise<void> {
  if (Date.parse(task.closing.claimedAt) > at.getTime() - CLAIM_GRACE_MS) return;
  const taken = await takeOverDelivery(task, at);
  if (!taken) {
    counts.skipped++;
    return;
  }
  await deliverClaimed(taken, at);
  counts.redelivered++;
}

/** Claimed first, so an answer racing the sweep cannot also win; then the workflow is told. */
async function expireOrRedrive(task: TaskRecord, at: Date, counts: SweepCounts): Promise<void> {
  const claimed = await claimTask(task, closingFor(task, at));
  if (!claimed) {
    counts.skipped++;
    return;
  }
  await deliverClaimed(claimed, at);
  if (task.kind === 'recovery') counts.recovered++;
  else counts.expired++;
}
