/** What an awarded project owes, created once when the award is recorded. */
import type { ApplicationForm, Indicator, PerformanceTargets } from '../application-form';
import type { Call, ProjectType } from '../catalogue';
import { dueDateOf, endOfBeijingDay } from './due-dates';
import { SUMMARY_OBLIGATION, type ObligationRecord, type TargetOutcome } from './records';

/** What every obligation of one application shares. */
type Owed = Pick<
  ObligationRecord,
  'applicationId' | 'callId' | 'unitId' | 'projectTypeId' | 'title' | 'versions' | 'createdAt' | 'updatedAt'
>;

/** The performance targets of a form as the summary report lists them, each by its path on the form. */
export function targetsOf(targets: PerformanceTargets): TargetOutcome[] {
  const out: TargetOutcome[] = [];
  const add = (path: string, indicators: readonly Indicator[] | undefined) =>
    (indicators ?? []).forEach((indicator, i) =>
      out.push({ path: `${path}.${i}`, indicator: indicator.name, target: `${indicator.target}${indicator.unit}` }),
    );
  for (const [kind, indicators] of Object.entries(targets.output ?? {})) add(`output.${kind}`, indicators);
  add('effect', targets.effect);
  add('satisfaction', targets.satisfaction);
  return out;
}

/**
 * The obligations an awarded application owes: every report of its type, due from the right event,
 * and the summary report, whose date staff set when they open the reporting round.
 */
export function obligationsFor(
  call: Call,
  type: ProjectType,
  app: { applicationId: string; unitId: string; form: ApplicationForm },
  at: string,
): ObligationRecord[] {
  const owed: Owed = {
    applicationId: app.applicationId,
    callId: call.callId,
    unitId: app.unitId,
    projectTypeId: type.typeId,
    title: app.form.title,
    versions: 0,
    createdAt: at,
    updatedAt: at,
  };
  return [...reportsDue(type, app.form, owed), ...dutyStatements(type, owed), summaryReport(call, app.form, owed)];
}

/** The type's reports with a due rule, dated from the form. */
function reportsDue(type: ProjectType, form: ApplicationForm, owed: Owed): ObligationRecord[] {
  return type.obligations.flatMap((obligation): ObligationRecord[] => {
    if (!obligation.report || !obligation.due) return [];
    const due = dueDateOf(obligation, form);
    const report = {
      ...owed,
      obligationId: obligation.id,
      report: obligation.report,
      text: obligation.text,
      dueFrom: obligation.due.after,
    };
    // A forum's form stored without its date: the report waits for the real dates the unit records.
    if (!due) return [{ ...report, state: 'AWAITING_DATE' as const }];
    return [
      {
        ...report,
        fromDate: due.fromDate,
        dueOn: due.dueOn,
        dueAt: endOfBeijingDay(due.dueOn),
        state: 'OPEN' as const,
      },
    ];
  });
}

/** A duty the notice gives no date for is answered for with a statement due with the summary report. */
function dutyStatements(type: ProjectType, owed: Owed): ObligationRecord[] {
  return type.obligations.flatMap((obligation): ObligationRecord[] =>
    obligation.report
      ? []
      : [
          {
            ...owed,
            obligationId: obligation.id,
            report: 'duty',
            text: obligation.text,
            dueFrom: 'reporting-round',
            state: 'AWAITING_DATE',
          },
        ],
  );
}

function summaryReport(call: Call, form: ApplicationForm, owed: Owed): ObligationRecord {
  return {
    ...owed,
    obligationId: SUMMARY_OBLIGATION,
    report: 'summary',
    text: call.summaryReport.text,
    dueFrom: 'reporting-round',
    state: 'AWAITING_DATE',
    targets: targetsOf(form.performanceTargets),
  };
}
