/**
 * Every id the product derives from another (task ids, once-only step marks, execution names and
 * ARNs, email keys) is spelled here and nowhere else, so two modules that must agree on an id (the
 * step that opens a task and the request that answers it) cannot drift apart.
 */

/** The unit's correction task for one returned version of its form. */
export const amendmentTaskId = (applicationId: string, version: number) => `${applicationId}-amend-v${version}`;

/** The task the sweep acts on to start a failed workflow again. */
export const recoveryTaskId = (applicationId: string, execution: string) => `${applicationId}-recover-${execution}`;

/**
 * The internal name of a link task, from which its unguessable id is derived (tasks/link-identity.ts):
 * a review is named per round (a returned application is reviewed afresh), a paper copy once.
 */
export const linkTaskName = (applicationId: string, kind: string, round: number) =>
  kind === 'paper-copy' ? `${applicationId}#paper-copy` : `${applicationId}#${kind}#r${round}`;

/** The name of one expert's review of an application in a round (its link id is derived from it). */
export const expertTaskName = (applicationId: string, expertId: string, round: number) =>
  `${applicationId}#expert-review#${expertId}#r${round}`;

/** The waits of an application that no link answers, one per application (and round). */
export const waitTaskIds = {
  expertAssignment: (applicationId: string) => `${applicationId}-expert-assignment`,
  reviewTopUp: (applicationId: string, round: number) => `${applicationId}-review-top-up-r${round}`,
  awardDecision: (applicationId: string) => `${applicationId}-award-decision`,
} as const;

/** The department head's confirmation of one version of a call's award proposal. */
export const awardConfirmationName = (callId: string, version: number) => `${callId}#award-confirmation#v${version}`;

/** A slice of a call-level job (the round's assignment, the experts' emails, the award's decisions). */
export const batchTaskId = (callId: string, job: string, index: number) =>
  `${callId}-${job}-b${String(index).padStart(5, '0')}`;

/** Marks a step records once on an application (RecordUpdate.once). */
export const marks = {
  formalCheck: (version: number) => `formal-check-v${version}`,
  correction: (version: number) => `correction-v${version}`,
  receipt: 'receipt',
  failure: (execution: string, stage: string) => `failed-${execution}-${stage}`,
  taskOpened: (taskId: string) => `task-opened-${taskId}`,
  resumed: (n: number) => `resumed-${n}`,
  reviewOutcome: (outcome: string, round: number) => `${outcome}-r${round}`,
  expertAssigned: (round: number) => `expert-assigned-r${round}`,
  expertAdded: (taskId: string) => `expert-added-${taskId}`,
  scored: (round: number) => `scored-r${round}`,
  shortOfScores: (round: number) => `short-of-scores-r${round}`,
  awardRecorded: 'award-recorded',
  summaryDue: 'summary-due',
} as const;

/** Execution names: the first is the application id, so a second start finds the first execution. */
export const executionNames = {
  first: (applicationId: string) => applicationId,
  /** A new execution after the one waiting on an amendment was lost. */
  afterAmendment: (applicationId: string, version: number) => `${applicationId}-v${version}`,
  /** A failed workflow started again by the recovery sweep (attempt = failures so far). */
  recovery: (applicationId: string, attempt: number) => `${applicationId}-r${attempt}`,
  /** A workflow resumed at its recorded stage after its execution was lost (n-th time). */
  resumed: (applicationId: string, n: number) => `${applicationId}-s${n}`,
} as const;

/** An execution's ARN, from its state machine's ARN and its name (as Step Functions forms it). */
export const executionArnFor = (stateMachineArn: string, name: string) =>
  stateMachineArn.replace(/:stateMachine:([^:]+)$/, `:execution:$1:${name}`);

/** The name of the execution an ARN denotes. */
export const executionNameOf = (executionArn: string) => executionArn.split(':').pop() ?? executionArn;

/** Email keys: one email per application and purpose, sent once. */
export const emailKeys = {
  receipt: 'receipt',
  formalCheckPassed: 'formal-check-passed',
  returned: (version: number) => `returned#v${version}`,
  staffReturned: (round: number) => `staff-returned#r${round}`,
  staffTask: (taskId: string) => `staff-task#${taskId}`,
  taskReminder: (taskId: string, action: string) => `task-reminder#${taskId}#${action}`,
  paperCopyReminder: (tier: string) => `paper-copy-reminder#${tier}`,
  reviewOutcome: (outcome: string, round: number) => `${outcome}#r${round}`,
  rejected: 'rejected',
  expertInvitation: (taskId: string) => `expert-invitation#${taskId}`,
  reviewShort: (round: number) => `review-short#r${round}`,
  awardOutcome: 'award-outcome',
  obligations: 'obligations',
  obligationReminder: (obligationId: string, tier: string) => `obligation-reminder#${obligationId}#${tier}`,
  reportReviewed: (obligationId: string, version: number) => `report-reviewed#${obligationId}#v${version}`,
  summaryDue: 'summary-due',
  correctionReminder: (hoursBefore: number, version: number) => `reminder-${hoursBefore}h#v${version}`,
} as const;

/** Emails not about one application: an expert's round email, the award confirmation, a blocked round. */
export const callEmailKeys = {
  expertDigest: (callId: string, expertId: string) => `${callId}#expert-digest#${expertId}`,
  awardConfirmation: (callId: string, version: number) => `${callId}#award-confirmation#v${version}`,
  roundBlocked: (callId: string, day: string) => `${callId}#round-blocked#${day}`,
} as const;

/** A bounce or complaint SES reported for one message (one notice of it: a message's recipients may bounce apart). */
export const emailEventId = (kind: string, messageId: string, feedbackId?: string) =>
  `${kind.toLowerCase()}-${messageId}${feedbackId ? `-${feedbackId}` : ''}`;

/** The dedupe key of one email to one application. */
export const emailDedupeKey = (applicationId: string, key: string) => `${applicationId}#${key}`;
