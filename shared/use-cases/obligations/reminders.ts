/**
 * The reminders of the reports: the unit's before and after each due date, and the reviewer's
 * of a report waiting for review. The sweep runs them; each email goes once per action.
 */
import { actionKey, type TaskAction } from '@shared/domain/tasks/schedule';
import { toBeijingIso } from '@shared/domain/clock';
import { obligationReminderEmail, reportReviewRequestEmail } from '@shared/domain/email-texts';
import { emailKeys } from '@shared/domain/ids';
import type { ObligationRecord } from '@shared/domain/obligations';
import { PENDING_TOKEN, type TaskRecord } from '@shared/domain/tasks/record';
import { getObligation } from '@shared/adapters/dynamodb/obligation-items';
import { createTask } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { linkOf } from '@shared/use-cases/tasks/open-link-task';
import { load, notify, unitAddressee } from '@shared/use-cases/steps/common';

/** The reminder task of one obligation (the sweep's index holds it until the report is accepted). */
export const reminderTaskId = (applicationId: string, obligationId: string) =>
  `${applicationId}-obligation-${obligationId}`;

export async function openReminders(o: ObligationRecord, at: Date): Promise<void> {
  if (!o.dueAt) return;
  const task: TaskRecord = {
    taskId: reminderTaskId(o.applicationId, o.obligationId),
    kind: 'obligation',
    applicationId: o.applicationId,
    callId: o.callId,
    obligationId: o.obligationId,
    token: PENDING_TOKEN,
    state: 'OPEN',
    dueAt: o.dueAt,
    createdAt: toBeijingIso(at),
  };
  await createTask(task);
}

/** The sweep: reminds the unit 7 days and 1 day before a report is due, and tells it the day after it was missed. */
export async function remindOfObligation(
  task: TaskRecord,
  tier: 'before-7d' | 'before-1d' | 'missed',
  at: Date,
): Promise<boolean> {
  if (!task.obligationId) return false;
  const obligation = await getObligation(task.applicationId, task.obligationId);
  if (!obligation || obligation.state === 'ACCEPTED' || obligation.state === 'SUBMITTED') return false;
  const { app, call } = await load(task.applicationId);
  const email = obligationReminderEmail(app, call, await unitAddressee(app), obligation, tier);
  // A forum that moved has new due dates: their reminders are new ones, not those already sent for the old dates.
  const key = emailKeys.obligationReminder(
    task.obligationId,
    obligation.forumDates ? `${tier}#${obligation.dueOn}` : tier,
  );
  return (await notify(task.applicationId, key, email, toBeijingIso(at), 'Obligations')) === 'sent';
}

/**
 * The sweep: a report review's reminder to its reviewer, 3 days and 1 day before it is due, then
 * daily once overdue with the department head copied (the staff tasks' rhythm). Once per action.
 */
export async function remindReportReviewer(task: TaskRecord, action: TaskAction, at: Date): Promise<boolean> {
  if (
    task.kind !== 'report-review' ||
    !task.obligationId ||
    !task.assignee ||
    (action.kind !== 'remind' && action.kind !== 'overdue')
  )
    return false;
  const obligation = await getObligation(task.applicationId, task.obligationId);
  if (!obligation || obligation.state !== 'SUBMITTED') return false;
  const { app, call } = await load(task.applicationId);
  const unit = await getUnit(app.unitId);
  const request = reportReviewRequestEmail(
    task.assignee,
    app,
    call,
    unit?.name?.zh ?? app.unitId,
    obligation,
    await linkOf(task),
    new Date(task.dueAt),
  );
  const overdue = action.kind === 'overdue';
  const email = {
    ...request,
    subject: `${overdue ? '【已逾期】' : '【提醒】'}${request.subject}`,
    ...(overdue && task.assignee.escalateTo ? { cc: [task.assignee.escalateTo.email] } : {}),
  };
  const key = emailKeys.taskReminder(task.taskId, actionKey(action));
  return (await notify(task.applicationId, key, email, toBeijingIso(at), 'Obligations')) === 'sent';
}
