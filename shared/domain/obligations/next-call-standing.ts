/**
 * What a project's reports decide about its unit's standing in the next call: which rule an
 * obligation breaks, whose rule it is, and how a refusal says so.
 */
import type { Bilingual } from '../catalogue';
import type { ObligationRecord } from './records';

/**
 * The rule an obligation breaks. The notice's (二(四)): its summary report not handed in by its due
 * date (`summary-missing`), a target found not met (`targets-unmet`). The department's, only where
 * the call data adopts them (`standingAssumptions`): handed in late (`summary-late`), returned and
 * not handed in again by its due date (`summary-returned`). `summary-not-accepted` is no longer
 * computed: lifts logged before carry it.
 */
export type StandingRule =
  'summary-missing' | 'targets-unmet' | 'summary-late' | 'summary-returned' | 'summary-not-accepted';

/** Whose rule a breach is: the notice's words, or the department's working assumption in the call data. */
export type StandingBasis = 'notice' | 'department-assumption';

/** One breach of the standing rules: which obligation, which rule, whose rule, and why (as `reasons` says it). */
export interface StandingBreach {
  applicationId: string;
  obligationId: string;
  rule: StandingRule;
  /** absent on breaches logged with lifts before the basis was recorded */
  basis?: StandingBasis;
  reason: Bilingual;
}

export interface StandingVerdict {
  barred: boolean;
  /** why, naming the project and the obligation (Chinese, then English) */
  reasons: Bilingual[];
  /** the same, each with its obligation and rule: what a lift by staff covers (standing.ts) */
  breaches: StandingBreach[];
}

/** The department's additional reasons to bar, as the previous call's data adopts them (none when absent). */
export interface StandingAssumptions {
  barIfSummaryLate?: boolean;
  barIfSummaryReturnedAndNotResubmitted?: boolean;
}

/** The notice's own words on standing, which the emails and the refusal cite for the notice's reasons alone. */
export const STANDING_NOTICE: Bilingual = {
  zh: '通知二（四）：未完成上一年度项目目标以及未提交项目总结报告的单位均不得申报本年度项目',
  en: "the notice, 2(4): a unit that did not meet last year's project targets or did not hand in its summary report may not apply this year",
};

/**
 * A unit's standing for a call from its obligations in the previous call. The notice (二(四)) bars
 * a unit whose summary report is not handed in once its due date has passed, or whose targets the
 * reviewer recorded as not met. A report handed in on time and not yet reviewed never bars: staff's
 * pace is no fault of the unit's. Handed in late, or returned and not handed in again by the due
 * date, bars only as the department's assumption, where `assumptions` (the previous call's
 * `standingAssumptions`) adopts it. A report returned and handed in again counts as on time when it
 * was first handed in on time.
 */
export function standingFrom(
  previous: readonly ObligationRecord[],
  now: Date,
  assumptions: StandingAssumptions = {},
): StandingVerdict {
  const breaches: StandingBreach[] = [];
  for (const o of previous) {
    if (o.report !== 'summary') continue;
    const breach = summaryBreach(o, now, assumptions);
    if (breach) breaches.push({ applicationId: o.applicationId, obligationId: o.obligationId, ...breach });
  }
  return { barred: breaches.length > 0, reasons: breaches.map((b) => b.reason), breaches };
}

/** The one rule a summary report breaks, the first that applies in the order below (a report breaks at most one). */
function summaryBreach(
  o: ObligationRecord,
  now: Date,
  assumptions: StandingAssumptions,
): Pick<StandingBreach, 'rule' | 'basis' | 'reason'> | undefined {
  const project = `「${o.title}」`;
  const due = o.dueAt ? Date.parse(o.dueAt) : undefined;
  const pastDue = due !== undefined && now.getTime() > due;
  const first = o.firstSubmittedAt ? Date.parse(o.firstSubmittedAt) : undefined;
  if (pastDue && first === undefined)
    return breachOf('summary-missing', 'notice', {
      zh: `项目${project}的项目总结报告截止日期（${o.dueOn}）已过仍未提交`,
      en: `the summary report of ${project} (${o.applicationId}) was not handed in by its due date ${o.dueOn}`,
    });
  if (assumptions.barIfSummaryLate && due !== undefined && first !== undefined && first > due)
    return breachOf('summary-late', 'department-assumption', {
      zh: `项目${project}的项目总结报告逾期提交（截止日期${o.dueOn}）`,
      en: `the summary report of ${project} (${o.applicationId}) was handed in after its due date ${o.dueOn}`,
    });
  if (assumptions.barIfSummaryReturnedAndNotResubmitted && pastDue && o.state === 'RETURNED')
    return breachOf('summary-returned', 'department-assumption', {
      zh: `项目${project}的项目总结报告被退回修改，截止日期（${o.dueOn}）已过仍未重新提交`,
      en: `the summary report of ${project} (${o.applicationId}) was returned for changes and not handed in again by its due date ${o.dueOn}`,
    });
  const unmet = (o.targets ?? []).filter((t) => t.met === false);
  if (o.state === 'ACCEPTED' && unmet.length)
    return breachOf('targets-unmet', 'notice', {
      zh: `项目${project}未完成绩效目标：${unmet.map((t) => t.indicator).join('、')}`,
      en: `${project} (${o.applicationId}) did not meet its performance targets: ${unmet.map((t) => t.indicator).join(', ')}`,
    });
  return undefined;
}

const breachOf = (rule: StandingRule, basis: StandingBasis, reason: Bilingual) => ({ rule, basis, reason });

/**
 * The refusal of a barred unit, each reason under the rule it rests on: the notice's cited as the
 * notice, the department's as its working assumption, never the one for the other.
 */
export function standingRefusal(breaches: readonly StandingBreach[]): {
  zh: string;
  en: string;
  details: { path: string; code: string; message: string }[];
} {
  const byNotice = breaches.filter((b) => b.basis !== 'department-assumption');
  const byDepartment = breaches.filter((b) => b.basis === 'department-assumption');
  const zh = [
    byNotice.length ? `${byNotice.map((b) => b.reason.zh).join('；')}（${STANDING_NOTICE.zh}）` : '',
    byDepartment.length
      ? `${byDepartment.map((b) => b.reason.zh).join('；')}（学会学术部的规定，工作假设，通知未作规定）`
      : '',
  ].filter(Boolean);
  const en = [
    byNotice.length ? `${byNotice.map((b) => b.reason.en).join('; ')} (${STANDING_NOTICE.en})` : '',
    byDepartment.length
      ? `${byDepartment.map((b) => b.reason.en).join('; ')} (the department's rule (working assumption); the notice says nothing of it)`
      : '',
  ].filter(Boolean);
  return {
    zh: zh.join('；'),
    en: en.join('; '),
    details: breaches.map((b, i) => ({
      path: `standing.${i}`,
      code: b.basis === 'department-assumption' ? 'DEPARTMENT_ASSUMPTION' : 'PREVIOUS_CALL_OBLIGATION',
      message:
        b.basis === 'department-assumption'
          ? `${b.reason.zh}（学会学术部的规定，工作假设） / ${b.reason.en} (the department's rule (working assumption))`
          : `${b.reason.zh}（通知二（四）） / ${b.reason.en} (the notice, 2(4))`,
    })),
  };
}
