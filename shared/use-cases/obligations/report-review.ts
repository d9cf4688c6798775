/**
 * Staff's review of a handed-in report, from a task link: accepted (for a summary, each target met
 * or not), or returned with reasons for the unit to hand in again. No workflow waits on it, so the
 * answer is carried out here, between the claim and the delivery, and again by the sweep if cut short.
 */
import { toBeijingIso } from '@shared/domain/clock';
import { reportReviewedEmail } from '@shared/domain/email-texts';
import { emailKeys } from '@shared/domain/ids';
import type { ObligationRecord } from '@shared/domain/obligations';
import type { ClaimedTask, TaskRecord } from '@shared/domain/tasks/record';
import { getObligation, updateObligation } from '@shared/adapters/dynamodb/obligation-items';
import { cancelOpenTask, finishTask } from '@shared/adapters/dynamodb/task-items';
import { load, notify, unitAddressee } from '@shared/use-cases/steps/common';
import { reminderTaskId } from './reminders';

type ReviewAnswer = NonNullable<ClaimedTask['answer']>;

/**
 * A report review's answer (after its claim; again by the sweep if cut short): recorded on the
 * obligation if the reviewed version is still the latest, then its effects.
 */
export async function carryOutReportReview(task: ClaimedTask, at: Date): Promise<void> {
  if (task.kind !== 'report-review' || !task.obligationId) return;
  const answer = task.answer;
  let obligation = await getObligation(task.applicationId, task.obligationId);
  if (obligation && answer && obligation.state === 'SUBMITTED' && obligation.versions === task.reportVersion) {
    const next = reviewed(obligation, task, answer, at);
    if (await updateObligation(next, ['SUBMITTED'], obligation.versions)) obligation = next;
  }
  // Recorded by this review (now, or by an earlier attempt cut short): its effects, each once.
  if (obligation && answer && obligation.review?.taskId === task.taskId)
    await followUpReview(task, task.obligationId, obligation, answer, at);
  await finishTask(task, toBeijingIso(at));
}

/** Between a task link's claim and its delivery: a report review is carried out here (no workflow waits on it). */
export async function carryOutIfReportReview(claimed: TaskRecord, at: Date): Promise<void> {
  if (claimed.kind === 'report-review' && claimed.closing) await carryOutReportReview(claimed as ClaimedTask, at);
}

/** The obligation as the answer leaves it; an accepted summary records each target as met or not. */
function reviewed(obligation: ObligationRecord, task: ClaimedTask, answer: ReviewAnswer, at: Date): ObligationRecord {
  const accepted = answer.answer === 'accept';
  const when = toBeijingIso(at);
  return {
    ...obligation,
    state: accepted ? 'ACCEPTED' : 'RETURNED',
    review: {
      answer: accepted ? 'accept' : 'return',
      ...(answer.reasons?.length ? { reasons: answer.reasons } : {}),
      at: when,
      taskId: task.taskId,
      by: task.assignee?.name,
    },
    ...(accepted ? { acceptedAt: at.toISOString() } : {}),
    ...(accepted && obligation.targets && answer.targets
      ? { targets: obligation.targets.map((t) => ({ ...t, met: answer.targets?.[t.path] })) }
      : {}),
    updatedAt: when,
  };
}

/** An accepted report needs no more reminders; either way the unit is told (once). */
async function followUpReview(
  task: ClaimedTask,
  obligationId: string,
  obligation: ObligationRecord,
  answer: ReviewAnswer,
  at: Date,
): Promise<void> {
  const when = toBeijingIso(at);
  if (obligation.state === 'ACCEPTED') await cancelOpenTask(reminderTaskId(task.applicationId, obligationId), when);
  const { app, call } = await load(task.applicationId);
  const email = reportReviewedEmail(app, call, await unitAddressee(app), obligation, answer);
  await notify(
    task.applicationId,
    emailKeys.reportReviewed(obligationId, task.reportVersion ?? 0),
    email,
    when,
    'Obligations',
  );
}
