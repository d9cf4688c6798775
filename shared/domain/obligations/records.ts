/** What is stored of an obligation and of each version of its report, and the ids that name them. */
import type { Bilingual, ReportKind } from '../catalogue';

/**
 * Where an obligation stands. AWAITING_DATE: the summary report, until staff open the reporting round
 * (and a forum's report on a form stored without the forum's date, until its unit records the dates).
 */
export type ObligationState = 'AWAITING_DATE' | 'OPEN' | 'SUBMITTED' | 'RETURNED' | 'ACCEPTED';

export interface Attachment {
  key: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** One version of a report as its unit handed it in (stored apart from its obligation: it can be some 350 KB). */
export interface ReportSubmission {
  fields: Record<string, unknown>;
  attachments: Attachment[];
  submittedAt: string; // Beijing ISO
  version: number;
}

/** What an obligation keeps of its latest version (the emails about it say when it came and with how many files). */
export interface ReportBrief {
  version: number;
  submittedAt: string; // Beijing ISO
  files: number;
}

export const briefOf = (s: ReportSubmission): ReportBrief => ({
  version: s.version,
  submittedAt: s.submittedAt,
  files: s.attachments.length,
});

/** One performance target of the form, and (for the summary) whether the reviewer found it met. */
export interface TargetOutcome {
  path: string;
  indicator: string;
  target: string;
  /** what the latest version says was achieved: read from that version (items stored before versions were items of their own hold it here) */
  achieved?: string;
  met?: boolean;
}

/** The targets with what a version's fields say was achieved for each (as they were when a version does not say). */
export function targetsAchieved(
  targets: readonly TargetOutcome[],
  fields: Record<string, unknown> | undefined,
): TargetOutcome[] {
  const given = Array.isArray(fields?.achieved) ? (fields.achieved as { path?: unknown; achieved?: unknown }[]) : [];
  return targets.map((t) => {
    const achieved = given.find((a) => a?.path === t.path)?.achieved;
    return typeof achieved === 'string' ? { ...t, achieved } : t;
  });
}

/** A forum's real dates, as its unit records them once they are known (the plan may move). */
export interface ForumDates {
  startDate: string;
  endDate: string;
}

export interface ObligationRecord {
  applicationId: string;
  callId: string;
  unitId: string;
  projectTypeId: string;
  title: string;
  obligationId: string;
  report: ReportKind;
  text: Bilingual;
  /** what the due date counts from, and the date it counts from (YYYY-MM-DD, Beijing) */
  dueFrom: 'forum-end' | 'project-end' | 'reporting-round';
  fromDate?: string;
  /** the last day (YYYY-MM-DD, Beijing) and the instant it ends (UTC ISO); absent while AWAITING_DATE */
  dueOn?: string;
  dueAt?: string;
  /** a forum's real dates as its unit recorded them after the award (the due date counts from their end) */
  forumDates?: ForumDates & { recordedAt: string };
  state: ObligationState;
  /** how many versions were handed in: the latest's number (each version is stored on its own) */
  versions: number;
  latest?: ReportBrief;
  /** the staff review of the latest submission */
  review?: { answer: 'accept' | 'return'; reasons?: string[]; at: string; taskId: string; by?: string };
  /**
   * summary report: the performance targets and the reviewer's finding on each (what was achieved is
   * in each version's fields, not here: 500 characters for each of up to 180 targets)
   */
  targets?: TargetOutcome[];
  firstSubmittedAt?: string;
  acceptedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * The last segment of the route a report is handed in at: its kind, or for a duty statement (a
 * project may owe several) the duty's id.
 */
export const reportPathOf = (o: Pick<ObligationRecord, 'report' | 'obligationId'>) =>
  o.report === 'duty' ? o.obligationId : o.report;

/** The summary report's obligation id (one per awarded project, from the call's `summaryReport`). */
export const SUMMARY_OBLIGATION = 'summary-report';
