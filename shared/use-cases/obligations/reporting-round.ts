/**
 * The reporting round: staff set the date every awarded project's summary report is due; each
 * summary (and the duty statements due with it) is dated, reminded and emailed in batches, since a
 * national call has thousands, and every step is done once however often a batch is run again.
 */
import { requireCall } from '@shared/domain/catalogue';
import { beijingDate, now, toBeijingIso } from '@shared/domain/clock';
import { reportingRoundEmail } from '@shared/domain/email-texts';
import { DomainError } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { emailKeys, marks } from '@shared/domain/ids';
import { endOfBeijingDay, SUMMARY_OBLIGATION, type ObligationRecord } from '@shared/domain/obligations';
import { updateApplication } from '@shared/adapters/dynamodb/application-items';
import {
  getObligation,
  listApplicationObligations,
  listCallObligationsAwaitingDate,
  listCallObligationsDueBefore,
  updateObligation,
} from '@shared/adapters/dynamodb/obligation-items';
import { enqueueBatches, runBatchesFor, type BatchRunner } from '@shared/use-cases/call-batches';
import { jobViewOf, newJobId, startJob } from '@shared/use-cases/jobs';
import { load, notify, unitAddressee } from '@shared/use-cases/steps/common';
import { openReminders } from './reminders';

/** Summaries per batch of the reporting round. */
const REPORTING_BATCH = 100;
/** How long the request itself runs batches before it leaves the rest to the sweep. */
const REQUEST_BUDGET_MS = 15_000;

/**
 * `POST /calls/{callId}/reporting-round` (staff) `{"summaryDueOn": "YYYY-MM-DD"}`: every awarded
 * project's summary report is due on that date; each unit is told, and reminded from then on.
 */
export async function openReportingRound(callId: string, caller: Caller, body: unknown) {
  const staff = requireStaff(caller);
  requireCall(callId);
  const at = now();
  const dueOn = readSummaryDueOn(body, at);
  const { awaiting, items } = await summariesToDate(callId, dueOn);
  const slices = Array.from({ length: Math.ceil(items.length / REPORTING_BATCH) }, (_, i) =>
    items.slice(i * REPORTING_BATCH, (i + 1) * REPORTING_BATCH),
  );
  const jobId = newJobId('reporting-round', callId);
  const result = { summaryDueOn: dueOn, opened: awaiting.length };
  await startJob(
    { jobId, kind: 'reporting-round', callId, total: slices.length, startedBy: staff.subject, result },
    at,
  );
  const tag = `${dueOn}-${jobId.slice(-13)}`;
  const batches = await enqueueBatches(callId, 'reporting-round', slices, at, { tag, jobId });
  // As far as the request allows; the sweep does the rest.
  await runBatchesFor(batches, REQUEST_BUDGET_MS, at, runReportingRoundBatch);
  return (await jobViewOf(jobId))!;
}

/** The round's date: a real date, not before today in Beijing (a date already past could not be met). */
function readSummaryDueOn(body: unknown, at: Date): string {
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
  return dueOn;
}

/**
 * Every summary awaiting its date, and those a round with this date dated before it was cut short
 * (their reminders and emails may still be owed).
 */
async function summariesToDate(callId: string, dueOn: string) {
  const awaiting = (await listCallObligationsAwaitingDate(callId)).filter((o) => o.obligationId === SUMMARY_OBLIGATION);
  const dated = (await listCallObligationsDueBefore(callId, new Date(Date.parse(endOfBeijingDay(dueOn)) + 1))).filter(
    (o) => o.obligationId === SUMMARY_OBLIGATION && o.dueOn === dueOn && o.state === 'OPEN',
  );
  const items = [...awaiting, ...dated].map((o) => ({ applicationId: o.applicationId, dueOn }));
  return { awaiting, items };
}

/** One batch of the reporting round (the sweep runs those a request left). */
export const runReportingRoundBatch: BatchRunner = async (task, at) => {
  for (const item of task.batch.items as { applicationId: string; dueOn: string }[])
    await dateSummaryReport(item.applicationId, item.dueOn, at);
  return 'done';
};

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
