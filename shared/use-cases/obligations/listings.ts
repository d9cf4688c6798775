/** What units and staff see of the obligations: a unit's own, and the call's overdue reports for staff. */
import { requireCall } from '@shared/domain/catalogue';
import { spreadsheetCsv } from '@shared/domain/csv';
import { beijingDate, now, toBeijingIso } from '@shared/domain/clock';
import { DomainError } from '@shared/domain/errors';
import { requireStaff, requireUnit, type Caller } from '@shared/domain/identity';
import { targetsAchieved, type ObligationRecord, type ReportSubmission } from '@shared/domain/obligations';
import {
  getReportVersion,
  listApplicationObligations,
  listCallObligationsDueBefore,
  listUnitObligations,
} from '@shared/adapters/dynamodb/obligation-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';

const DAY_MS = 24 * 3600_000;

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
  return viewsSoonestFirst(await listUnitObligations(unit.unitId, callId));
}

/** One application's obligations as staff read them on its page: each report, its state and its review. */
export async function applicationObligations(applicationId: string) {
  return viewsSoonestFirst(await listApplicationObligations(applicationId));
}

async function viewsSoonestFirst(all: ObligationRecord[]) {
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
