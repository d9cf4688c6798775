import type { ApplicationForm } from '@shared/domain/application-form';
import type { FormalCheckReason } from '@shared/domain/formal-check';
import type { ReviewCandidate } from '@shared/domain/expert-assignment';

/** Where an application stands. The workflow moves it forward; the unit may withdraw it while open. */
export type ApplicationStatus =
  | 'SUBMITTED'
  | 'RETURNED_FOR_CORRECTION'
  /** the automatic check passed: staff formal review and the paper copy are awaited */
  | 'FORMAL_CHECK_PASSED'
  /** staff passed the formal review and the paper copy arrived: the performance targets are reviewed */
  | 'FORMAL_REVIEW_PASSED'
  /** passed every staff stage: waits for the call's expert review round */
  | 'READY_FOR_EXPERT_REVIEW'
  /** experts assigned: their scores are awaited until the review deadline */
  | 'IN_EXPERT_REVIEW'
  /** the review deadline passed with fewer than 3 valid scores: staff add an expert or extend */
  | 'SHORT_OF_SCORES'
  /** scored by at least 3 experts: waits for the confirmed award */
  | 'SCORED'
  | 'AWARDED'
  | 'NOT_AWARDED'
  | 'REJECTED'
  | 'WITHDRAWN';

/** Every status, in the order an application moves through them. */
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = [
  'SUBMITTED',
  'RETURNED_FOR_CORRECTION',
  'FORMAL_CHECK_PASSED',
  'FORMAL_REVIEW_PASSED',
  'READY_FOR_EXPERT_REVIEW',
  'IN_EXPERT_REVIEW',
  'SHORT_OF_SCORES',
  'SCORED',
  'AWARDED',
  'NOT_AWARDED',
  'REJECTED',
  'WITHDRAWN',
];
/** Statuses of an application in the expert review (assigned, not yet scored). */
export const EXPERT_REVIEW_STATUSES: readonly ApplicationStatus[] = ['IN_EXPERT_REVIEW', 'SHORT_OF_SCORES'];

/** Statuses a unit may still withdraw from (before the online deadline). */
export const OPEN_STATUSES: readonly ApplicationStatus[] = [
  'SUBMITTED',
  'RETURNED_FOR_CORRECTION',
  'FORMAL_CHECK_PASSED',
  'FORMAL_REVIEW_PASSED',
  'READY_FOR_EXPERT_REVIEW',
];
/** Statuses whose workflow is still at work (a failed one is started again at its stage). */
export const IN_PROGRESS_STATUSES: readonly ApplicationStatus[] = [
  'SUBMITTED',
  'RETURNED_FOR_CORRECTION',
  'FORMAL_CHECK_PASSED',
  'FORMAL_REVIEW_PASSED',
];
/** Statuses of an application still in (or waiting to re-enter) the formal check: the unit may amend it. */
export const AMENDABLE_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'RETURNED_FOR_CORRECTION'];

export type Stage =
  | 'Submission'
  | 'Receipt'
  | 'FormalCheck'
  | 'Correction'
  | 'Amendment'
  | 'StaffFormalReview'
  | 'PaperCopy'
  | 'TargetReview'
  | 'ExpertReview'
  | 'Award'
  | 'Obligations'
  | 'Outcome'
  | 'Withdrawal'
  | 'Workflow';

/** Where a workflow picks up (the state machine's ResumeAtStage choice); absent: from the receipt. */
export type ResumeStage =
  'FormalCheck' | 'Correction' | 'StaffReview' | 'TargetReview' | 'ExpertAssignment' | 'ExpertReview' | 'AwardDecision';

/** The stage an application's workflow resumes at, from what its record says; undefined when it is finished. */
export function resumeStageOf(record: Pick<ApplicationRecord, 'status' | 'marks'>): ResumeStage | 'Start' | undefined {
  switch (record.status) {
    case 'SUBMITTED':
      return record.marks?.receipt ? 'FormalCheck' : 'Start';
    case 'RETURNED_FOR_CORRECTION':
      return 'Correction';
    case 'FORMAL_CHECK_PASSED':
      return 'StaffReview';
    case 'FORMAL_REVIEW_PASSED':
      return 'TargetReview';
    case 'READY_FOR_EXPERT_REVIEW':
      return 'ExpertAssignment';
    case 'IN_EXPERT_REVIEW':
    case 'SHORT_OF_SCORES':
      return 'ExpertReview';
    case 'SCORED':
      return 'AwardDecision';
    default:
      return undefined;
  }
}

/** One email sent about an application, as staff see it in its record. */
export interface EmailLogEntry {
  to: string;
  cc?: string[];
  template: string;
  subject: string;
  messageId?: string;
  at: string;
}

/** One expert's place on an application's panel, and what became of it. */
export interface ExpertSlot {
  expertId: string;
  taskId: string;
  /** the review round of the application it was asked in (a top-up after the deadline starts a new one) */
  round: number;
  /** how the expert came to the panel: the round's plan, a late panel (the round had run; invited by email of its own), a replacement, staff */
  via: 'assignment' | 'late' | 'replacement' | 'staff';
  /** a replacement: the task of the declined or conflicted place it took (each is replaced once) */
  replaces?: string;
}

/** One valid expert score, kept with the expert's comment (staff see who; units never do). */
export interface ExpertScore {
  expertId: string;
  taskId: string;
  scores: Record<string, number>;
  comment: string;
  /** the weighted total, 0–100 */
  total: number;
  answeredAt: string;
}

/** The expert review of one application. */
export interface ExpertReviewRecord {
  /** every expert asked, in order (a declined or conflicted slot stays, with its replacement after it) */
  panel: ExpertSlot[];
  /** until when the experts' answers are taken (UTC ISO) */
  dueAt: string;
  round: number;
  scores?: ExpertScore[];
  /** the application's score (scoring.ts): the mean of the totals, the extremes dropped from 5 on */
  score?: number;
  spread?: number;
  scoredAt?: string;
}

/** An application as the award ranks it, fixed when it is scored. */
export interface RankInput {
  unitName: string;
  title: string;
  submittedAt: string;
  requestedCny: number;
  /** the type's 同等条件下优先 criteria the form shows it meets */
  prioritiesMet: string[];
  /** each valid expert's weighted total */
  totals: number[];
}

/** The confirmed award decision for one application. */
export interface AwardDecision {
  awarded: boolean;
  amountCny: number;
  rank: number;
  ofCount: number;
  quota: number;
  score: number;
  proposalVersion: number;
  decidedAt: string;
}

/** A staff decision recorded on the application. */
export interface ReviewDecision {
  answer: string;
  reasons?: string[];
  at: string;
  round?: number;
}

/** A stage of the workflow that failed after its retries, as staff see it. */
export interface WorkflowFailure {
  stage: string;
  error: string;
  cause?: string;
  at: string;
}

export interface StageEntry {
  stage: Stage;
  result: string;
  at: string; // Beijing time, ISO-8601
  detail?: unknown;
}

export interface ApplicationRecord {
  applicationId: string;
  callId: string;
  unitId: string;
  projectTypeId: string;
  form: ApplicationForm;
  status: ApplicationStatus;
  history: StageEntry[];
  formalCheck?: { passed: boolean; reasons: FormalCheckReason[]; checkedAt: string };
  outcome?: { result: string; reason?: string; at: string };
  /** the latest failure, until the workflow is started again (each is also an item of its own) */
  failure?: WorkflowFailure;
  openTaskId?: string;
  /** the link tasks the workflow waits on now (formal review, paper copy, target review) */
  waitingOn?: Set<string> | string[];
  /** staff formal review, paper copy and performance-target review, as decided */
  formalReview?: ReviewDecision;
  paperCopy?: { receivedOn: string; recordedAt: string };
  targetReview?: ReviewDecision;
  /** staff returned the application: their reasons and until when the unit may correct it */
  staffReturn?: { reasons: string[]; correctionDueAt: string; version: number; round: number };
  /** the staff review round (a return starts a new one) */
  reviewRound?: number;
  /**
   * the email log as it was kept in the item before each email became an item of its own (the
   * application's mail log, read apart): only an application from then has it
   */
  emails?: EmailLogEntry[];
  expertReview?: ExpertReviewRecord;
  /** what the expert assignment reads, set when the application is ready for review (not the form) */
  reviewCandidate?: ReviewCandidate;
  /** what the award's ranking reads, set when the application is scored (a few hundred bytes, not the form) */
  rankInput?: RankInput;
  award?: AwardDecision;
  executionArn?: string;
  /** Steps recorded once (see RecordUpdate.once), by key, with when. */
  marks: Record<string, string>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * What is kept apart from the application item, so that it does not grow with time: the emails sent
 * about it, and the bounces and complaints SES reported of them (each oldest first).
 */
export interface MailLog {
  emails: EmailLogEntry[];
  events: StageEntry[];
}

/** Beijing ISO instants, all with the same offset: in time order as strings. */
const byTime = (a: StageEntry, b: StageEntry) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/**
 * The stage history as staff and the unit read it, in time order: the item's own entries, with the
 * bounces and complaints of its emails placed by their time (an entry of the item keeps its place
 * among equals). Two steps running at once may append their entries in the other order than their
 * instants, a millisecond apart; the stable sort puts them back, equal instants as written.
 */
export function historyWithMail(
  record: Pick<ApplicationRecord, 'history'>,
  mail: Pick<MailLog, 'events'>,
): StageEntry[] {
  const history = [...(record.history ?? [])].sort(byTime);
  if (mail.events.length === 0) return history;
  const merged: StageEntry[] = [];
  let next = 0;
  for (const event of [...mail.events].sort(byTime)) {
    while (next < history.length && history[next].at <= event.at) merged.push(history[next++]);
    merged.push(event);
  }
  return [...merged, ...history.slice(next)];
}

/** Every email sent about the application: the log its item kept once, then the log kept apart. */
export const emailsOf = (record: Pick<ApplicationRecord, 'emails'>, mail: Pick<MailLog, 'emails'>): EmailLogEntry[] => [
  ...(record.emails ?? []),
  ...mail.emails,
];

/**
 * What the API shows: everything but storage keys and bookkeeping; the execution's ARN (which names
 * the AWS account) only to staff.
 */
export function publicView(record: ApplicationRecord, forStaff: boolean, mail: MailLog = { emails: [], events: [] }) {
  return {
    applicationId: record.applicationId,
    callId: record.callId,
    unitId: record.unitId,
    projectTypeId: record.projectTypeId,
    status: record.status,
    formalCheck: record.formalCheck,
    formalReview: record.formalReview,
    paperCopy: record.paperCopy,
    targetReview: record.targetReview,
    staffReturn: record.staffReturn,
    outcome: record.outcome,
    // Units see their score, never who gave it.
    ...(record.expertReview?.score !== undefined ? { score: record.expertReview.score } : {}),
    ...(record.award ? { award: record.award } : {}),
    history: historyWithMail(record, mail),
    form: record.form,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(forStaff
      ? {
          executionArn: record.executionArn,
          failure: record.failure,
          emails: emailsOf(record, mail),
          waitingOn: [...(record.waitingOn ?? [])],
          expertReview: record.expertReview,
        }
      : {}),
  };
}

/**
 * How many times the application's workflow has failed: `recordedApart`, the failures recorded in
 * items of their own (each with its history entry, which names its execution), plus those recorded
 * before, which are only an entry of the history.
 */
export function workflowFailures(record: Pick<ApplicationRecord, 'history'>, recordedApart: number): number {
  const before = record.history.filter(
    (entry) =>
      entry.stage === 'Workflow' &&
      entry.result === 'FAILED' &&
      (entry.detail as { execution?: string } | undefined)?.execution === undefined,
  ).length;
  return recordedApart + before;
}
