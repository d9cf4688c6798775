import type { Call, ProjectType } from '../catalogue';
import { beijingDate } from '../clock';
import type { FieldDetail } from '../errors';
import { isIsoDate } from '../catalogue';
import { readExpertScore, weightedTotal } from '../scoring';
import {
  LINK_TASK_ANSWERS,
  type Assignee,
  type LinkTaskKind,
  type StaffTaskKind,
  type TaskAnswer,
  type TaskSignal,
} from './record';
import { readTargetFindings, type TargetToJudge } from './target-findings';

export { TARGET_FIELD_PREFIX, TARGET_FINDINGS, type TargetToJudge } from './target-findings';

/**
 * The rules of the staff tasks (formal review, paper copy, performance-target review): who gets
 * them, when they are due, what an answer must hold, and what each answer tells the workflow.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Formal review and paper copy go to the type's contact; targets to the call's target reviewers, else the contact. */
export function linkTaskAssignee(kind: StaffTaskKind, call: Call, type: ProjectType): Assignee {
  const head = call.staffReview.departmentHead;
  const escalateTo = { name: head.name, email: head.email };
  const reviewer = kind === 'target-review' ? call.staffReview.targetReviewers[0] : undefined;
  return { name: reviewer?.name ?? type.contact.name, email: reviewer?.email ?? type.contact.email, escalateTo };
}

/** When a task is due; a paper copy is also answerable for the grace period after its deadline. */
export function linkTaskDue(kind: StaffTaskKind, call: Call, openedAt: Date): { dueAt: Date; answerableUntil?: Date } {
  const review = call.staffReview;
  switch (kind) {
    case 'formal-review':
      return { dueAt: new Date(openedAt.getTime() + review.formalReviewDays * DAY_MS) };
    case 'target-review':
      return { dueAt: new Date(openedAt.getTime() + review.targetReviewDays * DAY_MS) };
    case 'paper-copy': {
      const deadline = new Date(call.paperCopyDeadline);
      return { dueAt: deadline, answerableUntil: new Date(deadline.getTime() + review.paperCopyGraceDays * DAY_MS) };
    }
  }
}

/** Answers that must say why (an expert's conflict of interest, a revision of the award proposal too). */
const NEEDS_REASONS = new Set(['return', 'reject', 'fail', 'conflict', 'revise']);
const MAX_REASONS = 20;
const MAX_REASON_CHARS = 500;

/** What a ticked checkbox or a JSON yes may be: `noConflict` is confirmed by one of these. */
const CONFIRMED = new Set(['on', 'yes', 'true']);
const isConfirmed = (v: unknown) => v === true || (typeof v === 'string' && CONFIRMED.has(v.trim().toLowerCase()));

/** The form's flat field name of a criterion's score: `score.<criterionId>`. */
export const SCORE_FIELD_PREFIX = 'score.';

/** A number written in a form field ("80", " 87.5 ", full-width "８０"); anything else is given back as it was. */
function formNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value
    .replace(/[\uFF10-\uFF19\uFF0E]/g, (c) => (c === '\uFF0E' ? '.' : String(c.charCodeAt(0) - 0xff10)))
    .trim();
  if (text === '') return undefined;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : value;
}

/**
 * The scores of an expert's answer: JSON `{"scores": {...}}` as it is, or the form's flat fields
 * `score.<criterionId>` (texts, turned into numbers; a text that is not a number is passed on for
 * readExpertScore to name as `scores.<criterionId>`). Both at once is refused.
 */
function scoresOf(input: Record<string, unknown>, details: FieldDetail[]): unknown {
  const flat = Object.keys(input).filter((key) => key.startsWith(SCORE_FIELD_PREFIX));
  const hasObject = Object.prototype.hasOwnProperty.call(input, 'scores') && input.scores !== undefined;
  if (flat.length === 0) return hasObject ? input.scores : undefined;
  if (hasObject) {
    details.push({
      path: 'scores',
      code: 'AMBIGUOUS',
      message: `give the scores either as a scores object or as ${SCORE_FIELD_PREFIX}<criterion> fields, not both`,
    });
    return undefined;
  }
  // fromEntries defines own properties: a field named score.__proto__ is just an unknown criterion
  return Object.fromEntries(
    flat
      .map((key) => [key.slice(SCORE_FIELD_PREFIX.length), formNumber(input[key])] as const)
      .filter(([, v]) => v !== undefined),
  );
}

/**
 * An expert's scores: first the confirmation that there is no conflict of interest (`noConflict`:
 * true, "on", "yes" or "true"), then the scores and the comment as the call's scoring form wants
 * them. Adds the scores, the comment and the weighted total to the answer, or every bad field to
 * the details.
 */
function readExpertAnswer(
  input: Record<string, unknown>,
  call: Call,
  result: TaskAnswer,
  details: FieldDetail[],
): void {
  if (!isConfirmed(input.noConflict)) {
    details.push({
      path: 'noConflict',
      code: 'REQUIRED',
      message:
        'confirm that you have no conflict of interest (not a member of the applying unit, not named in the application, not asked to be avoided) before scoring',
    });
  }
  const form = call.review.scoringForm;
  const ownDetails: FieldDetail[] = [];
  const scores = scoresOf(input, ownDetails);
  const read = readExpertScore(form, { ...(scores !== undefined ? { scores } : {}), comment: input.comment });
  details.push(...ownDetails);
  if (!read.ok) {
    // the ambiguity already says what is wrong with the scores
    details.push(...read.details.filter((d) => !(ownDetails.length && d.path === 'scores' && d.code === 'REQUIRED')));
    return;
  }
  result.scores = read.scores;
  result.comment = read.comment;
  result.total = weightedTotal(form, read.scores);
}

/**
 * Reads an answer to a link task (from the page's form or JSON), listing every bad field. Reasons
 * come as a list or as text with one reason per line. An expert's `score` carries `noConflict`,
 * the scores (`scores` or the form's `score.<criterionId>` fields) and `comment`; `conflict`
 * needs reasons, `decline` may give some; an award proposal's `revise` needs reasons. A report
 * review's `return` needs reasons; its `accept` of a summary report (`context.targets`: the
 * application's performance targets) says of every target whether it was met (`targets`, or the
 * form's `target.<path>` fields), and the answer carries them as `targets` (path → met).
 */
export function readTaskAnswer(
  kind: LinkTaskKind,
  body: unknown,
  context: { call: Call; now: Date; targets?: readonly TargetToJudge[] },
): { ok: true; answer: TaskAnswer } | { ok: false; details: FieldDetail[] } {
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const details: FieldDetail[] = [];
  const answer = readAnswerWord(kind, input, details);
  const reasons = readReasons(input, answer, details);
  const result: TaskAnswer = { answer: answer ?? '', answeredAt: '', ...(reasons.length ? { reasons } : {}) };
  const today = beijingDate(context.now);
  if (kind === 'paper-copy') readReceivedOn(input, context.call, today, result, details);
  if (kind === 'expert-review' && answer === 'score') readExpertAnswer(input, context.call, result, details);
  if (kind === 'report-review' && answer === 'accept') {
    const targets = readTargetFindings(input, context.targets, details);
    if (targets) result.targets = targets;
  }
  if (
    kind === 'formal-review' &&
    answer === 'return' &&
    input.correctionDueOn !== undefined &&
    input.correctionDueOn !== ''
  )
    readCorrectionDue(input.correctionDueOn, today, result, details);
  return details.length ? { ok: false, details } : { ok: true, answer: result };
}

/** The answer word (trimmed), named as missing or not one the task takes. */
function readAnswerWord(
  kind: LinkTaskKind,
  input: Record<string, unknown>,
  details: FieldDetail[],
): string | undefined {
  const allowed: readonly string[] = LINK_TASK_ANSWERS[kind];
  const answer = typeof input.answer === 'string' ? input.answer.trim() : undefined;
  if (!answer)
    details.push({ path: 'answer', code: 'REQUIRED', message: `answer is required: one of ${allowed.join(', ')}` });
  else if (!allowed.includes(answer))
    details.push({
      path: 'answer',
      code: 'INVALID_VALUE',
      message: `a ${kind} task takes ${allowed.join(', ')} (given ${JSON.stringify(answer.slice(0, 50))})`,
    });
  return answer;
}

/** The reasons, from a list or one per line of a text, blank ones dropped; the limits are details. */
function readReasons(input: Record<string, unknown>, answer: string | undefined, details: FieldDetail[]): string[] {
  const rawReasons = Array.isArray(input.reasons)
    ? input.reasons
    : typeof input.reasons === 'string'
      ? input.reasons.split(/\r?\n/)
      : [];
  const reasons = rawReasons
    .filter((r): r is string => typeof r === 'string')
    .map((r) => r.trim())
    .filter(Boolean);
  if (input.reasons !== undefined && !Array.isArray(input.reasons) && typeof input.reasons !== 'string') {
    details.push({
      path: 'reasons',
      code: 'INVALID_TYPE',
      message: 'reasons must be a list of texts, or text with one reason per line',
    });
  }
  if (answer && NEEDS_REASONS.has(answer) && reasons.length === 0)
    details.push({ path: 'reasons', code: 'REQUIRED', message: `say why (${answer} needs at least one reason)` });
  if (reasons.length > MAX_REASONS)
    details.push({ path: 'reasons', code: 'TOO_MANY_ITEMS', message: `at most ${MAX_REASONS} reasons` });
  reasons.forEach((reason, i) => {
    if (reason.length > MAX_REASON_CHARS)
      details.push({
        path: `reasons.${i}`,
        code: 'TOO_LONG',
        message: `a reason may have at most ${MAX_REASON_CHARS} characters`,
      });
  });
  return reasons;
}

/** The day a paper copy arrived: a real date, by the paper deadline (a later one does not count), not after today. */
function readReceivedOn(
  input: Record<string, unknown>,
  call: Call,
  today: string,
  result: TaskAnswer,
  details: FieldDetail[],
): void {
  const receivedOn = input.receivedOn;
  const lastDay = beijingDate(new Date(call.paperCopyDeadline));
  if (typeof receivedOn !== 'string' || !isIsoDate(receivedOn)) {
    details.push({
      path: 'receivedOn',
      code: receivedOn === undefined || receivedOn === '' ? 'REQUIRED' : 'INVALID_DATE',
      message: 'receivedOn: the date the paper copy arrived, YYYY-MM-DD',
    });
  } else if (receivedOn > lastDay) {
    details.push({
      path: 'receivedOn',
      code: 'AFTER_PAPER_DEADLINE',
      message: `only a paper copy received by ${lastDay} counts (逾期不予受理); given ${receivedOn}`,
    });
  } else if (receivedOn > today) {
    details.push({
      path: 'receivedOn',
      code: 'IN_THE_FUTURE',
      message: `receivedOn (${receivedOn}) is after today (${today})`,
    });
  } else {
    result.receivedOn = receivedOn;
  }
}

/** A return's own correction deadline: a date not before today, due at its end in Beijing. */
function readCorrectionDue(due: unknown, today: string, result: TaskAnswer, details: FieldDetail[]): void {
  if (typeof due !== 'string' || !isIsoDate(due))
    details.push({
      path: 'correctionDueOn',
      code: 'INVALID_DATE',
      message: 'correctionDueOn: a date written YYYY-MM-DD',
    });
  else if (due < today)
    details.push({
      path: 'correctionDueOn',
      code: 'IN_THE_PAST',
      message: `correctionDueOn (${due}) is before today (${today})`,
    });
  else result.correctionDueAt = new Date(`${due}T23:59:59.999+08:00`).toISOString();
}

/** Why an application leaves the review, as the workflow catches it by name. */
export const REVIEW_SIGNALS = {
  returned: 'ReturnedByStaff',
  rejected: 'RejectedByStaff',
  paperCopyMissing: 'PaperCopyMissing',
  targetsFailed: 'TargetsFailed',
} as const;

/** What an answer tells the waiting workflow: go on (with what was decided), or leave by a named error. */
export function answerSignal(kind: LinkTaskKind, taskId: string, answer: TaskAnswer): TaskSignal {
  const cause = JSON.stringify({ taskId, reasons: answer.reasons?.slice(0, 3) });
  if (kind === 'formal-review' && answer.answer === 'return')
    return { kind: 'failure', error: REVIEW_SIGNALS.returned, cause };
  if (kind === 'formal-review' && answer.answer === 'reject')
    return { kind: 'failure', error: REVIEW_SIGNALS.rejected, cause };
  if (kind === 'target-review' && answer.answer === 'fail')
    return { kind: 'failure', error: REVIEW_SIGNALS.targetsFailed, cause };
  return {
    kind: 'success',
    output: { taskId, answer: answer.answer, ...(answer.receivedOn ? { receivedOn: answer.receivedOn } : {}) },
  };
}

/** The paper copy never arrived: the sweep ends the task with this when the grace period is over. */
export const paperCopyMissingSignal = (taskId: string): TaskSignal => ({
  kind: 'failure',
  error: REVIEW_SIGNALS.paperCopyMissing,
  cause: JSON.stringify({ taskId }),
});

/** The task id a review signal's cause names. */
export function taskIdOfCause(cause: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(cause ?? '') as { taskId?: unknown };
    return typeof parsed.taskId === 'string' ? parsed.taskId : undefined;
  } catch {
    return undefined;
  }
}
