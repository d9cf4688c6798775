import {
  IN_PROGRESS_STATUSES,
  type ApplicationRecord,
  type ApplicationStatus,
  type ReviewDecision,
} from '@shared/domain/application-record';
import type { Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import type { Email, UnitAddressee } from '@shared/domain/email';
import {
  excludedEmail,
  formalReviewPassedEmail,
  paperCopyReceivedEmail,
  paperCopyReminderEmail,
  targetReviewPassedEmail,
  type ExclusionStage,
} from '@shared/domain/email-texts';
import { candidateFromForm } from '@shared/domain/expert-assignment';
import { emailKeys, marks } from '@shared/domain/ids';
import { taskIdOfCause } from '@shared/domain/tasks/link-rules';
import type { TaskRecord } from '@shared/domain/tasks/record';
import { updateApplication, type RecordUpdate } from '@shared/adapters/dynamodb/application-items';
import { cancelOpenTask, getTask } from '@shared/adapters/dynamodb/task-items';
import { continueIfRecorded, load, notify, unitAddressee } from './common';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the workflow records after a staff task or when it moves on. */
export const REVIEW_OUTCOMES = [
  'formal-review-passed',
  'paper-copy-received',
  'ready-for-target-review',
  'returned-by-staff',
  'rejected-by-staff',
  'paper-copy-missing',
  'targets-passed',
  'targets-failed',
] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

interface OutcomeInput {
  applicationId: string;
  outcome: ReviewOutcome;
  /** the task answer (on success), or the caught error naming the task (on a return, reject or fail) */
  taskId?: string;
  failure?: { Error?: string; Cause?: string };
}

interface Plan {
  update: RecordUpdate;
  email?: (unit: UnitAddressee) => Email;
}

const EXCLUDED_AT: Partial<Record<ReviewOutcome, ExclusionStage>> = {
  'rejected-by-staff': 'formal-review',
  'paper-copy-missing': 'paper-copy',
  'targets-failed': 'target-review',
};

const PAPER_COPY_MISSING = {
  zh: '未在规定时间内收到加盖公章的纸质申请材料（逾期不予受理）',
  en: 'no stamped paper copy was received by the paper deadline',
};

/** What every outcome's plan reads: the application, its call, the task that decided and when. */
interface PlanContext {
  app: ApplicationRecord;
  call: Call;
  at: Date;
  when: string;
  round: number;
  answer: TaskRecord['answer'];
  reasons: string[];
  decision: ReviewDecision;
  stopWaiting: { stopWaitingOn?: string[] };
}

const from = (...statuses: ApplicationStatus[]) => ({ whenStatusIn: statuses });

function planContext(
  outcome: ReviewOutcome,
  app: ApplicationRecord,
  call: Call,
  task: TaskRecord | undefined,
  at: Date,
): PlanContext {
  const when = toBeijingIso(at);
  const round = app.reviewRound ?? 1;
  const answer = task?.answer;
  const reasons = answer?.reasons ?? [];
  const decision = { answer: answer?.answer ?? outcome, ...(reasons.length ? { reasons } : {}), at: when, round };
  const stopWaiting = task ? { stopWaitingOn: [task.taskId] } : {};
  return { app, call, at, when, round, answer, reasons, decision, stopWaiting };
}

function planFormalReviewPassed({ app, call, when, round, decision, stopWaiting }: PlanContext): Plan {
  return {
    update: {
      set: { formalReview: decision },
      ...stopWaiting,
      ...from('FORMAL_CHECK_PASSED'),
      entry: { stage: 'StaffFormalReview', result: 'PASSED', at: when, detail: { round } },
    },
    email: (unit) => formalReviewPassedEmail(app, call, unit),
  };
}

function planPaperCopyReceived({ app, call, when, answer, stopWaiting }: PlanContext): Plan {
  const receivedOn = answer?.receivedOn ?? '';
  return {
    update: {
      set: { paperCopy: { receivedOn, recordedAt: answer?.answeredAt ?? when } },
      ...stopWaiting,
      ...from('FORMAL_CHECK_PASSED'),
      entry: { stage: 'PaperCopy', result: 'RECEIVED', at: when, detail: { receivedOn } },
    },
    email: (unit) => paperCopyReceivedEmail(app, call, unit, receivedOn),
  };
}

function planReadyForTargetReview({ when }: PlanContext): Plan {
  return {
    update: {
      set: { status: 'FORMAL_REVIEW_PASSED' },
      ...from('FORMAL_CHECK_PASSED'),
      entry: { stage: 'StaffFormalReview', result: 'FORMAL_REVIEW_PASSED', at: when },
    },
  };
}

function planTargetsPassed({ app, call, when, decision, stopWaiting }: PlanContext): Plan {
  return {
    update: {
      // What the expert assignment reads of it (its unit, discipline, the people it names), kept now.
      set: {
        status: 'READY_FOR_EXPERT_REVIEW',
        targetReview: decision,
        reviewCandidate: candidateFromForm(app.applicationId, app.unitId, app.form),
      },
      ...stopWaiting,
      ...from('FORMAL_REVIEW_PASSED'),
      entry: { stage: 'TargetReview', result: 'PASSED', at: when },
    },
    email: (unit) => targetReviewPassedEmail(app, call, unit),
  };
}

function planReturnedByStaff({
  app,
  call,
  at,
  when,
  round,
  answer,
  reasons,
  decision,
  stopWaiting,
}: PlanContext): Plan {
  const correctionDueAt =
    answer?.correctionDueAt ?? new Date(at.getTime() + call.staffReview.correctionDays * DAY_MS).toISOString();
  return {
    // The return email goes out when the workflow parks on the amendment (correction step).
    update: {
      set: {
        status: 'RETURNED_FOR_CORRECTION',
        formalReview: decision,
        staffReturn: { reasons, correctionDueAt, version: app.version, round },
        reviewRound: round + 1,
      },
      ...stopWaiting,
      ...from('FORMAL_CHECK_PASSED'),
      entry: {
        stage: 'StaffFormalReview',
        result: 'RETURNED',
        at: when,
        detail: { round, reasons: reasons.length },
      },
    },
  };
}

function planExcluded(outcome: ReviewOutcome, { app, call, when, reasons, decision, stopWaiting }: PlanContext): Plan {
  const why = outcome === 'paper-copy-missing' ? [PAPER_COPY_MISSING.zh] : reasons;
  const reasonEn = outcome === 'paper-copy-missing' ? PAPER_COPY_MISSING.en : reasons.join('; ');
  const review =
    outcome === 'targets-failed'
      ? { targetReview: decision }
      : outcome === 'rejected-by-staff'
        ? { formalReview: decision }
        : {};
  return {
    update: {
      set: { status: 'REJECTED', outcome: { result: 'REJECTED', reason: reasonEn, at: when }, ...review },
      remove: ['openTaskId'],
      ...stopWaiting,
      ...from(...IN_PROGRESS_STATUSES),
      entry: {
        stage: 'Outcome',
        result: 'REJECTED',
        at: when,
        detail: { stage: EXCLUDED_AT[outcome], reasons: why },
      },
    },
    email: (unit) => excludedEmail(app, call, unit, EXCLUDED_AT[outcome] as ExclusionStage, why),
  };
}

const PLANS: Record<ReviewOutcome, (context: PlanContext, outcome: ReviewOutcome) => Plan> = {
  'formal-review-passed': planFormalReviewPassed,
  'paper-copy-received': planPaperCopyReceived,
  'ready-for-target-review': planReadyForTargetReview,
  'targets-passed': planTargetsPassed,
  'returned-by-staff': planReturnedByStaff,
  'rejected-by-staff': (context, outcome) => planExcluded(outcome, context),
  'paper-copy-missing': (context, outcome) => planExcluded(outcome, context),
  'targets-failed': (context, outcome) => planExcluded(outcome, context),
};

function plan(
  outcome: ReviewOutcome,
  app: ApplicationRecord,
  call: Call,
  task: TaskRecord | undefined,
  at: Date,
): Plan {
  return PLANS[outcome](planContext(outcome, app, call, task, at), outcome);
}

/**
 * Records what a staff task decided (or that the application moves on) on the application, once per
 * outcome and review round, and tells the unit. A retry after the record landed only re-sends what
 * was not sent (emails go once per key).
 */
export async function recordReviewOutcome(input: OutcomeInput): Promise<{ recorded: boolean }> {
  const { app, call } = await load(input.applicationId);
  const taskId = input.taskId ?? taskIdOfCause(input.failure?.Cause);
  const task = taskId ? await getTask(taskId) : undefined;
  const at = now();
  const round = app.reviewRound ?? 1;
  // The round the decision belongs to: a return has already moved the application to the next one.
  const once = marks.reviewOutcome(input.outcome, input.outcome === 'paper-copy-received' ? 0 : (task?.round ?? round));
  const { update, email } = plan(input.outcome, app, call, task, at);
  const recorded = await updateApplication(input.applicationId, { ...update, once });
  if (!recorded) await continueIfRecorded(input.applicationId, once);
  // Excluded: the tasks still open for it (the paper copy beside a rejected review) stop working.
  if (EXCLUDED_AT[input.outcome])
    for (const other of app.waitingOn ?? []) await cancelOpenTask(other, toBeijingIso(at));
  if (email)
    await notify(
      input.applicationId,
      emailKeys.reviewOutcome(input.outcome, task?.round ?? round),
      email(await unitAddressee(app)),
      toBeijingIso(at),
      update.entry?.stage ?? 'Outcome',
    );
  return { recorded };
}

/** Reminds the unit of its paper copy (3 days, 1 day before the deadline) while none is recorded. */
export async function remindOfPaperCopy(task: TaskRecord, tier: string, at: Date): Promise<boolean> {
  const { app, call } = await load(task.applicationId);
  if (app.status !== 'FORMAL_CHECK_PASSED' && app.status !== 'RETURNED_FOR_CORRECTION') return false;
  const email = paperCopyReminderEmail(app, call, await unitAddressee(app), new Date(task.dueAt));
  return (
    (await notify(task.applicationId, emailKeys.paperCopyReminder(tier), email, toBeijingIso(at), 'PaperCopy')) ===
    'sent'
  );
}
