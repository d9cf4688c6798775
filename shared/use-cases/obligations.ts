import type { ApplicationRecord } from '@shared/domain/application-record';
import { getProjectType, requireCall, type Call } from '@shared/domain/catalogue';
import { spreadsheetCsv } from '@shared/domain/csv';
import { beijingDate, now, toBeijingIso } from '@shared/domain/clock';
import {
  obligationReminderEmail,
  obligationsEmail,
  reportingRoundEmail,
  reportReviewedEmail,
  reportReviewRequestEmail,
} from '@shared/domain/email-texts';
import { actionKey, type TaskAction } from '@shared/domain/task-schedule';
import { linkOf } from '@shared/use-cases/steps/link-tasks';
import { DomainError } from '@shared/domain/errors';
import { requireStaff, requireUnit, type Caller } from '@shared/domain/identity';
import { emailKeys, marks } from '@shared/domain/ids';
import {
  endOfBeijingDay,
  obligationsFor,
  SUMMARY_OBLIGATION,
  targetsAchieved,
  type ObligationRecord,
  type ReportSubmission,
} from '@shared/domain/obligations';
import { PENDING_TOKEN, type ClaimedTask, type TaskRecord } from '@shared/domain/task';
import { updateApplication } from '@shared/adapters/dynamodb/application-items';
import {
  getObligation,
  getReportVersion,
  listApplicationObligations,
  listCallObligationsAwaitingDate,
  listCallObligationsDueBefore,
  listUnitObligations,
  putObligation,
  updateObligation,
} from '@shared/adapters/dynamodb/obligation-items';
import { cancelOpenTask, createTask, finishTask } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { randomUUID } from 'node:crypto';
import { enqueueBatches, runBatchesFor, type BatchRunner } from '@shared/use-cases/call-batches';
import { load, notify, unitAddressee } from '@shared/use-cases/steps/common';

/**
 * After the award: each awarded project's reports, from the call data, due from the right event;
 * the unit hands each in with its files (uploaded straight to S3 with a presigned URL), staff review
 * it from a task link (accept, or return with reasons; for the summary, each target met or not), the
 * sweep reminds before and after each due date, and the call's overdue reports are listed for staff.
 */

const DAY_MS = 24 * 3600_000;

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

/** RecordAward, for an awarded application: its obligations and their reminders (stored once; a retry finds them). */
export async function createObligations(app: ApplicationRecord, call: Call, at: Date): Promise<ObligationRecord[]> {
  const type = getProjectType(call, app.projectTypeId);
  if (!type) return [];
  const obligations = obligationsFor(call, type, app, toBeijingIso(at));
  for (const o of obligations) {
    await putObligation(o);
    await openReminders(o, at);
  }
  return obligations;
}

/** After the outcome email: one email listing what the project owes, and when. */
export async function emailObligations(
  app: ApplicationRecord,
  call: Call,
  obligations: ObligationRecord[],
  at: Date,
): Promise<void> {
  const unit = await unitAddressee(app);
  await notify(
    app.applicationId,
    emailKeys.obligations,
    obligationsEmail(app, call, unit, obligations),
    toBeijingIso(at),
    'Award',
  );
}

/** What a unit sees of an obligation; a summary's targets with what `latest` (its latest version) says was achieved. */
export const obligationView = (o: ObligationRecord, latest?: ReportSubmission) => ({
  applicationId: o.applicationId,
  callId: o.callId,
  title: o.title,
  obligationId: o.obligationId,
  kind: o.report,
  text: o.text,
  dueFrom: o.dueFrom,
  ...(o.fromDate ? { fromDate: o.fromDate } : {}),
  ...(o.dueOn ? { dueOn: o.dueOn, dueAt: toBeijingIso(new Date(o.dueAt ?? '')) } : {}),
  state: o.state,
  submissions: o.versions,
  ...(o.review ? { review: { answer: o.review.answer, reasons: o.review.reasons, at: o.review.at } } : {}),
  ...(o.targets ? { targets: targetsAchieved(o.targets, latest?.fields) } : {}),
});

/** `GET /units/me/obligations`: the caller's obligations, soonest due first. */
export async function listMyObligations(caller: Caller, callId?: string) {
  const unit = requireUnit(caller);
  const all = await listUnitObligations(unit.unitId, callId);
  // Plain code-point order: a report awaiting its date goes last.
  const sorted = all.sort((a, b) => ((a.dueAt ?? '~') < (b.dueAt ?? '~') ? -1 : 1));
  // What was achieved is read from a summary's latest version (the obligation does not keep it).
  return Promise.all(
    sorted.map(async (o) =>
      obligationView(
        o,
        o.targets && o.versions ? await getReportVersion(o.applicationId, o.obligationId, o.versions) : undefined,
      ),
    ),
  );
}

/**
 * A report review's answer (after its claim; again by the sweep if cut short): accepted (for a
 * summary, each target met or not), or returned with reasons for the unit to hand in again.
 */
export async function carryOutReportReview(task: ClaimedTask, at: Date): Promise<void> {
  if (task.kind !== 'report-review' || !task.obligationId) return;
  const answer = task.answer;
  let obligation = await getObligation(task.applicationId, task.obligationId);
  const when = toBeijingIso(at);
  if (obligation && answer && obligation.state === 'SUBMITTED' && obligation.versions === task.reportVersion) {
    const accepted = answer.answer === 'accept';
    const next: ObligationRecord = {
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
    if (await updateObligation(next, ['SUBMITTED'], obligation.versions)) obligation = next;
  }
  // Recorded by this review (now, or by an earlier attempt cut short): its effects, each once.
  if (obligation && answer && obligation.review?.taskId === task.taskId) {
    if (obligation.state === 'ACCEPTED')
      await cancelOpenTask(reminderTaskId(task.applicationId, task.obligationId), when);
    const { app, call } = await load(task.applicationId);
    const email = reportReviewedEmail(app, call, await unitAddressee(app), obligation, answer);
    await notify(
      task.applicationId,
      emailKeys.reportReviewed(task.obligationId, task.reportVersion ?? 0),
      email,
      when,
      'Obligations',
    );
  }
  await finishTask(task, toBeijingIso(at));
}

/** Between a task link's claim and its delivery: a report review is carried out here (no workflow waits on it). */
export async function carryOutIfReportReview(claimed: TaskRecord, at: Date): Promise<void> {
  if (claimed.kind === 'report-review' && claimed.closing) await carryOutReportReview(claimed as ClaimedTask, at);
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

/** A row of the call's obligations for staff. */
export interface ObligationRow {
  applicationId: string;
  unitId: string;
  unit: string;
  title: string;
  obligationId: string;
  kind: string;
  dueOn: string;
  state: string;
  daysOverdue: number;
}

/** `GET /calls/{callId}/obligations?state=overdue` (staff): the reports past their due date and not accepted. */
export async function listCallObligations(callId: string, caller: Caller, state: string | undefined) {
  requireStaff(caller);
  requireCall(callId);
  if (state !== 'overdue') {
    throw new DomainError('VALIDATION_FAILED', 'Ask for ?state=overdue', [
      { path: 'query.state', code: 'INVALID_VALUE', message: 'state=overdue is the listing this endpoint gives' },
    ]);
  }
  const at = now();
  const due = await listCallObligationsDueBefore(callId, at);
  const names = new Map<string, string>();
  const rows: ObligationRow[] = [];
  for (const o of due.sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''))) {
    if (!names.has(o.unitId)) names.set(o.unitId, (await getUnit(o.unitId))?.name?.zh ?? o.unitId);
    rows.push({
      applicationId: o.applicationId,
      unitId: o.unitId,
      unit: names.get(o.unitId) ?? o.unitId,
      title: o.title,
      obligationId: o.obligationId,
      kind: o.report,
      dueOn: o.dueOn ?? '',
      state: o.state,
      // Calendar days in Beijing: the day after the due date is 1 day overdue.
      daysOverdue: Math.round((Date.parse(beijingDate(at)) - Date.parse(o.dueOn ?? '')) / DAY_MS),
    });
  }
  return { callId, state: 'overdue', asOf: toBeijingIso(at), rows };
}

export function obligationsCsv(rows: ObligationRow[]): string {
  return spreadsheetCsv(rows, [
    { key: 'unit', header: '申报单位 Unit' },
    { key: 'title', header: '项目名称 Title' },
    { key: 'kind', header: '报告 Report' },
    { key: 'dueOn', header: '截止日期 Due on' },
    { key: 'daysOverdue', header: '逾期天数 Days overdue' },
    { key: 'state', header: '状态 State' },
    { key: 'applicationId', header: '申报编号 Application' },
  ]);
}

/**
 * `POST /calls/{callId}/reporting-round` (staff) `{"summaryDueOn": "YYYY-MM-DD"}`: every awarded
 * project's summary report is due on that date; each unit is told, and reminded from then on.
 */
export async function openReportingRound(callId: string, caller: Caller, body: unknown) {
  requireStaff(caller);
  requireCall(callId);
  const at = now();
  const dueOn = (body as { summaryDueOn?: unknown } | undefined)?.summaryDueOn;
  if (
    typeof dueOn !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(dueOn) ||
    Number.isNaN(Date.parse(`${dueOn}T00:00:00+08:00`)) ||
    dueOn < beijingDate(at)
  ) {
    throw new DomainError('VALIDATION_FAILED', 'Say when the summary reports are due', [
      {
        path: 'summaryDueOn',
        code: 'INVALID_DATE',
        message: `a date written YYYY-MM-DD, not before today (${beijingDate(at)})`,
      },
    ]);
  }
  // Every summary awaiting its date, and those a round with this date dated before it was cut short,
  // handed to batches (a national call has thousands): each sets the date, the reminders and the email.
  const awaiting = (await listCallObligationsAwaitingDate(callId)).filter((o) => o.obligationId === SUMMARY_OBLIGATION);
  const dated = (await listCallObligationsDueBefore(callId, new Date(Date.parse(endOfBeijingDay(dueOn)) + 1))).filter(
    (o) => o.obligationId === SUMMARY_OBLIGATION && o.dueOn === dueOn && o.state === 'OPEN',
  );
  const items = [...awaiting, ...dated].map((o) => ({ applicationId: o.applicationId, dueOn }));
  const slices = Array.from({ length: Math.ceil(items.length / REPORTING_BATCH) }, (_, i) =>
    items.slice(i * REPORTING_BATCH, (i + 1) * REPORTING_BATCH),
  );
  const batches = await enqueueBatches(
    callId,
    'reporting-round',
    slices,
    at,
    undefined,
    `${dueOn}-${randomUUID().slice(0, 8)}`,
  );
  // As far as the request allows; the sweep does the rest.
  const progress = await runBatchesFor(batches, REQUEST_BUDGET_MS, at, runReportingRoundBatch);
  return { callId, summaryDueOn: dueOn, opened: awaiting.length, batches: { total: batches.length, ...progress } };
}

const REQUEST_BUDGET_MS = 15_000;

/** One batch of the reporting round (the sweep runs those a request left). */
export const runReportingRoundBatch: BatchRunner = async (task, at) => {
  for (const item of task.batch.items as { applicationId: string; dueOn: string }[])
    await dateSummaryReport(item.applicationId, item.dueOn, at);
  return 'done';
};

/** Summaries per batch of the reporting round. */
const REPORTING_BATCH = 100;

/**
 * One application's summary report in the reporting round: dated (once), its reminders and email
 * (each once); and the statements on its duties, due with it, dated and reminded too.
 */
export async function dateSummaryReport(applicationId: string, dueOn: string, at: Date): Promise<void> {
  const o = await getObligation(applicationId, SUMMARY_OBLIGATION);
  if (!o) return;
  await dateDutyStatements(applicationId, dueOn, at);
  if (o.state === 'AWAITING_DATE') await setSummaryDue(o, dueOn, at);
  else if (o.dueOn === dueOn) await followUpSummaryDue(o, at);
}

/** The duty statements of an application that wait for the summary report's date: dated, and their reminders opened (each once). */
async function dateDutyStatements(applicationId: string, dueOn: string, at: Date): Promise<void> {
  const duties = (await listApplicationObligations(applicationId)).filter(
    (d) => d.report === 'duty' && d.dueFrom === 'reporting-round',
  );
  for (const d of duties) {
    if (d.state === 'AWAITING_DATE') {
      const next: ObligationRecord = {
        ...d,
        dueOn,
        dueAt: endOfBeijingDay(dueOn),
        state: 'OPEN',
        updatedAt: toBeijingIso(at),
      };
      if (await updateObligation(next, [d.state], d.versions)) await openReminders(next, at);
    } else if (d.dueOn === dueOn) await openReminders(d, at);
  }
}

/** One summary report's due date, its reminders and the unit's email. */
async function setSummaryDue(o: ObligationRecord, dueOn: string, at: Date): Promise<boolean> {
  const next: ObligationRecord = {
    ...o,
    dueOn,
    dueAt: endOfBeijingDay(dueOn),
    state: o.state === 'AWAITING_DATE' ? 'OPEN' : o.state,
    updatedAt: toBeijingIso(at),
  };
  if (!(await updateObligation(next, [o.state], o.versions))) return false;
  await followUpSummaryDue(next, at);
  return true;
}

/** A dated summary report's reminders and the unit's email, each once (run again if a round was cut short). */
async function followUpSummaryDue(o: ObligationRecord, at: Date): Promise<void> {
  if (!o.dueOn) return;
  await openReminders(o, at);
  const { app, call } = await load(o.applicationId);
  await notify(
    o.applicationId,
    emailKeys.summaryDue,
    reportingRoundEmail(app, call, await unitAddressee(app), o.dueOn),
    toBeijingIso(at),
    'Obligations',
  );
  await updateApplication(o.applicationId, {
    entry: { stage: 'Obligations', result: 'SUMMARY_DUE', at: toBeijingIso(at), detail: { dueOn: o.dueOn } },
    once: marks.summaryDue,
  });
}
