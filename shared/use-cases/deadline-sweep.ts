import { now, toBeijingIso } from '@shared/domain/clock';
import { paperCopyMissingSignal } from '@shared/domain/tasks/link-rules';
import type { ClaimedTask, TaskClosing, TaskRecord } from '@shared/domain/tasks/record';
import { taskSchedule, type TaskAction } from '@shared/domain/tasks/schedule';
import { listPendingStarts } from '@shared/adapters/dynamodb/application-items';
import { claimTask, finishTask, listDueTasks, scheduleNextAction } from '@shared/adapters/dynamodb/task-items';
import { logger } from '@shared/adapters/logger';
import { countMetric } from '@shared/adapters/metrics';
import { inParallel } from '@shared/use-cases/in-parallel';
import { remindAssignee } from '@shared/use-cases/tasks/open-link-task';
import { DEADLINE_REJECTION, recordRejection } from '@shared/use-cases/steps/outcome';
import { sendCorrectionReminder } from '@shared/use-cases/steps/reminder';
import { remindOfPaperCopy } from '@shared/use-cases/steps/review-outcomes';
import {
  carryOutWithoutExecution,
  deliverTask,
  type LostExecutionHandler,
} from '@shared/use-cases/tasks/deliver-answer';
import { ensureWorkflowStarted, redriveFailedWorkflow } from '@shared/use-cases/workflow-start';
import { carryOutAwardConfirmation, remindAwardConfirmation } from '@shared/use-cases/award';
import { runCallBatch, startRoundBySweep } from '@shared/use-cases/call-jobs';
import { remindExpert, replaceIfDeclined } from '@shared/use-cases/expert-review';
import { carryOutReportReview, remindOfObligation, remindReportReviewer } from '@shared/use-cases/obligations';

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

/** How many due tasks one sweep works on at a time. */
const SWEEP_CONCURRENCY = 8;

/** How long a submission has to start its own workflow before the sweep does it instead. */
const START_GRACE_MS = 60_000;
/** How long an answer being delivered by its own request is left alone before the sweep redelivers it. */
const DELIVERY_GRACE_MS = 60_000;

/**
 * The scheduled sweep (every minute on AWS, a timer and every clock change locally):
 * - starts the workflow of any application whose start was not confirmed;
 * - redelivers task answers whose delivery was cut short;
 * - acts on each open task whose next action has come (shared/domain/tasks/schedule.ts): reminders to units and
 *   staff (each once), a daily reminder of an overdue staff task with the department head copied,
 *   the expiry of an amendment or a paper copy (claimed first, so an answer racing the sweep cannot
 *   also win; then the workflow is told), a failed workflow started again (recovery);
 * - then moves the task in its index to its next action, so it is not read again until then.
 * One item's failure is logged and left for the next sweep; it never stops the others.
 */
export async function sweep(at: Date = now()) {
  const counts: SweepCounts = { started: 0, reminded: 0, expired: 0, recovered: 0, redelivered: 0, failed: 0 };
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

  // Tasks are independent (each claim and each email is once per task), so several are worked on at
  // once: a burst of reminders (every paper copy shares one deadline) is not sent one by one.
  await inParallel(await listDueTasks(at), SWEEP_CONCURRENCY, (task) =>
    attempt(`task ${task.taskId}`, () => sweepTask(task, at, counts)),
  );
  return counts;
}

/** What one sweep did, by kind, and how many items failed. */
type SweepCounts = Record<'started' | 'reminded' | 'expired' | 'recovered' | 'redelivered' | 'failed', number>;

/** One due task: an answer whose delivery was cut short is redelivered; an open task gets its next action. */
async function sweepTask(task: TaskRecord, at: Date, counts: SweepCounts): Promise<void> {
  if (task.state === 'CLOSING' && task.closing) {
    if (Date.parse(task.closing.claimedAt) > at.getTime() - DELIVERY_GRACE_MS) return;
    await deliverClaimed({ ...task, closing: task.closing }, at);
    counts.redelivered++;
    return;
  }
  if (task.state !== 'OPEN') return;
  const { action, nextAt } = taskSchedule(task, at);
  if (action?.kind === 'overdue' || action?.kind === 'missed') countMetric('OverdueOpenTasks');
  if (action?.kind === 'expire' || action?.kind === 'redrive') {
    await expireOrRedrive(task, at, counts);
    return;
  }
  if (action?.kind === 'run') {
    await runCallBatch(task, at);
    return;
  }
  if (action?.kind === 'start-round' && task.callId && (await startRoundBySweep(task.callId, at))) counts.started++;
  if (action?.kind === 'missed' && (await remindOfObligation(task, 'missed', at))) counts.reminded++;
  if (action && (await remind(task, action, at))) counts.reminded++;
  // A task with nothing more for the sweep to do (a wait released by others, a report past its
  // missed notice) leaves the due part of the index, or every sweep would read it again.
  await scheduleNextAction(task.taskId, nextAt ?? NOTHING_MORE);
}

/** Claimed first, so an answer racing the sweep cannot also win; then the workflow is told. */
async function expireOrRedrive(task: TaskRecord, at: Date, counts: SweepCounts): Promise<void> {
  const claimed = await claimTask(task, closingFor(task, at));
  if (!claimed) return;
  await deliverClaimed(claimed, at);
  if (task.kind === 'recovery') counts.recovered++;
  else counts.expired++;
}
