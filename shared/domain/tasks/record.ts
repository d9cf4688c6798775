/**
 * A human step the workflow waits on (a `.waitForTaskToken` task): the token Step Functions gave us,
 * what the step is, and when it stops being answerable.
 *
 * A task is answered in two moves so that no answer is ever lost: whoever claims it (OPEN →
 * CLOSING, a conditional write only one caller can win) records the answer it means to give; the
 * answer is then delivered to Step Functions and the task finished. A claimed task stays in the
 * sweep's index until delivery succeeds, so a delivery cut short by a fault is retried by the sweep.
 */
/**
 * Tasks a person answers through an emailed link (the task-link contract,
 * docs/design.md#the-task-link-contract), with the answers each takes. amendment: the unit's correction
 * (answered by PUT /applications/{id}); recovery: a failed workflow to re-drive (no token, no human).
 */
export const LINK_TASK_ANSWERS = {
  'formal-review': ['pass', 'return', 'reject'],
  'paper-copy': ['received'],
  'target-review': ['pass', 'fail'],
  /** an expert's review of one application: scores (after confirming no conflict), a conflict, or a decline */
  'expert-review': ['score', 'conflict', 'decline'],
  /** the department head on the award proposal of a whole call */
  'award-confirmation': ['confirm', 'revise'],
  /** staff on a report an awarded project handed in (for the summary, each target met or not) */
  'report-review': ['accept', 'return'],
} as const;
export type LinkTaskKind = keyof typeof LINK_TASK_ANSWERS;
export const LINK_TASK_KINDS = Object.keys(LINK_TASK_ANSWERS) as [LinkTaskKind, ...LinkTaskKind[]];
export type LinkTaskAnswer<K extends LinkTaskKind = LinkTaskKind> = (typeof LINK_TASK_ANSWERS)[K][number];
/**
 * obligation: a report an awarded project owes (the sweep reminds the unit before and after its
 * due date). Waits with no link: expert-assignment (the application waits for the call's review round),
 * review-top-up (short of scores: staff add an expert or extend), award-decision (waits for the
 * confirmed award); batch (a slice of a call-level job the sweep works through).
 */
export type TaskKind =
  | 'amendment'
  | 'recovery'
  | 'expert-assignment'
  | 'review-top-up'
  | 'award-decision'
  | 'batch'
  | 'obligation'
  | LinkTaskKind;

/** Link tasks of one application's staff review (the others are the experts' and the award's). */
export const STAFF_TASK_KINDS = ['formal-review', 'paper-copy', 'target-review'] as const;
export type StaffTaskKind = (typeof STAFF_TASK_KINDS)[number];
export const isStaffTaskKind = (kind: string): kind is StaffTaskKind =>
  (STAFF_TASK_KINDS as readonly string[]).includes(kind);

/**
 * The token of a task no workflow waits on yet: an expert's review, created with the round so the
 * expert's email can link to it at once (an answer given meanwhile is kept claimed until the
 * workflow's step re-tokens the task, which then passes it on); or a task no workflow ever waits on
 * (a call's award confirmation, a report's review, whose answers their use cases carry out).
 */
export const PENDING_TOKEN = 'PENDING';

/**
 * How long a claimed task (an answer being delivered by its own request, a batch being run) is left
 * alone before the sweep takes it for cut short and delivers or runs it again. A claim dated later
 * than now holds longer; one dated earlier comes back sooner.
 */
export const CLAIM_GRACE_MS = 60_000;

export const isLinkTaskKind = (kind: string): kind is LinkTaskKind =>
  Object.prototype.hasOwnProperty.call(LINK_TASK_ANSWERS, kind);

/** Who a link task is for: the link's signature covers this address. */
export interface Assignee {
  name: string;
  email: string;
  /** copied on reminders once the task is overdue (the department head) */
  escalateTo?: { name: string; email: string };
}

/** An answer given through a task link. */
export interface TaskAnswer {
  answer: string;
  reasons?: string[];
  /** paper-copy: the date the copy arrived (YYYY-MM-DD, Beijing) */
  receivedOn?: string;
  /** formal-review return: until when the unit may correct (UTC ISO) */
  correctionDueAt?: string;
  /** report-review of a summary report: each performance target (by its path on the form), met or not */
  targets?: Record<string, boolean>;
  /** expert-review score: the score per criterion, the expert's comment and the weighted total */
  scores?: Record<string, number>;
  comment?: string;
  total?: number;
  answeredAt: string; // Beijing ISO
}
export type TaskState = 'OPEN' | 'CLOSING' | 'DONE' | 'EXPIRED' | 'CANCELLED';

export type TaskSignal =
  { kind: 'success'; output: Record<string, unknown> } | { kind: 'failure'; error: string; cause: string };

export interface TaskClosing {
  outcome: Exclude<TaskState, 'OPEN' | 'CLOSING'>;
  signal: TaskSignal;
  claimedAt: string; // UTC ISO
}

export interface TaskRecord {
  taskId: string;
  kind: TaskKind;
  applicationId: string;
  token: string;
  state: TaskState;
  dueAt: string; // UTC ISO, so it sorts
  createdAt: string;
  closing?: TaskClosing;
  closedAt?: string;
  /** recovery: the stage whose failure it recovers from */
  failedStage?: string;
  /** link tasks: who may act, and what they answered */
  assignee?: Assignee;
  answer?: TaskAnswer;
  /** link tasks: the round of the stage (a returned application is reviewed again in a new round) */
  round?: number;
  /** until when an answer is taken (paper copy: the deadline plus the grace period); absent: any time */
  answerableUntil?: string; // UTC ISO
  /** expert-review: the expert (the assignee is their name and address) */
  expertId?: string;
  /** expert-review of the round: whether it holds a place in its expert's load (given back once, if it is not kept) */
  holdsLoad?: boolean;
  /** award-confirmation and batch: the call it belongs to */
  callId?: string;
  /** report-review and obligation: the obligation and the report's version */
  obligationId?: string;
  reportVersion?: number;
  /** batch: what to do and to what, and the job it counts in (its index there) */
  batch?: { job: string; items: unknown[]; planId?: string; jobId?: string; index?: number };
}

/** A task whose answer has been claimed and is being delivered. */
export type ClaimedTask = TaskRecord & { closing: TaskClosing };
