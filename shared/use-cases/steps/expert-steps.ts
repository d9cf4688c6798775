import type { ApplicationRecord, ExpertReviewRecord, ExpertScore, RankInput } from '@shared/domain/application-record';
import { prioritiesMetOn } from '@shared/domain/award-ranking';
import { getProjectType, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { awardOutcomeEmail, reviewShortEmail } from '@shared/domain/email-texts';
import { emailKeys, marks, waitTaskIds } from '@shared/domain/ids';
import { applicationScore, MIN_EXPERT_SCORES, type ApplicationScore } from '@shared/domain/scoring';
import { PENDING_TOKEN, type TaskKind, type TaskRecord } from '@shared/domain/tasks/record';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { finishTask, getTask, retokenTask } from '@shared/adapters/dynamodb/task-items';
import { openExpertAssignmentWait, openWait } from '@shared/use-cases/expert-review';
import { createObligations, emailObligations } from '@shared/use-cases/obligations';
import { continueIfRecorded, load, notify, unitAddressee } from './common';
import { passOnEarlierAnswer } from '@shared/use-cases/tasks/open-link-task';

/**
 * The workflow's steps of the expert review and the award, each safe to run twice:
 * - the waits (for the round, an expert's review, staff topping up a short panel, the award) open a
 *   task by a derived id and hand its token over; a wait already released is passed on at once;
 * - CollectScores decides from the tasks themselves what comes next;
 * - RecordAward writes the confirmed decision and tells the unit.
 */

export type WaitKind = 'expert-assignment' | 'expert-review' | 'review-top-up' | 'award-decision';

/** One of the application's waits: for the round, a top-up by staff, or the award. */
export async function openReviewWait(applicationId: string, kind: Exclude<WaitKind, 'expert-review'>, token: string) {
  const at = now();
  const { app, call } = await load(applicationId);
  const round = app.expertReview?.round ?? 1;
  const base = {
    applicationId,
    callId: call.callId,
    token,
    state: 'OPEN' as const,
    createdAt: toBeijingIso(at),
    kind: kind as TaskKind,
  };
  switch (kind) {
    case 'expert-assignment': {
      const { waiting } = await openExpertAssignmentWait(applicationId, token, at);
      return { taskId: waitTaskIds.expertAssignment(applicationId), waiting };
    }
    case 'review-top-up':
      // Staff answer by adding an expert or extending (expert-review/staff-changes.ts), which moves the status on.
      return openWait(
        {
          ...base,
          taskId: waitTaskIds.reviewTopUp(applicationId, round),
          dueAt: app.expertReview?.dueAt ?? at.toISOString(),
        },
        app.status !== 'SHORT_OF_SCORES',
        at,
      );
    case 'award-decision':
      return openWait(
        { ...base, taskId: waitTaskIds.awardDecision(applicationId), dueAt: at.toISOString() },
        app.award !== undefined,
        at,
      );
  }
}

/** ExpertReview (inside the Map): the workflow waits on one expert's task, opened with the round. */
export async function openExpertReview(
  applicationId: string,
  taskId: string,
  token: string,
): Promise<{ taskId: string; waiting: boolean }> {
  await load(applicationId); // a withdrawn or missing application stops here
  const existing = await getTask(taskId);
  if (!existing) throw new Error(`Expert task ${taskId} of application ${applicationId} does not exist`);
  if (existing.state === 'OPEN' && (await retokenTask(taskId, token, 'OPEN'))) return { taskId, waiting: true };
  await passOnEarlierAnswer(taskId, token);
  return { taskId, waiting: false };
}

/** An expert task's state as scoring sees it. */
function settledScore(task: TaskRecord | undefined): 'pending' | ExpertScore | 'none' {
  if (!task || task.state === 'OPEN') return 'pending';
  const answered = task.state === 'DONE' || (task.state === 'CLOSING' && task.closing?.outcome === 'DONE');
  const answer = task.answer;
  if (!answered || answer?.answer !== 'score' || !answer.scores || answer.total === undefined) return 'none';
  return {
    expertId: task.expertId ?? '',
    taskId: task.taskId,
    scores: answer.scores,
    comment: answer.comment ?? '',
    total: answer.total,
    answeredAt: answer.answeredAt,
  };
}

/** What comes after CollectScores (taskIds: the tasks to wait on next, empty unless reviewing). */
export type CollectResult = { next: 'review' | 'scored' | 'short'; taskIds: string[] };

/**
 * CollectScores: after the experts' Map, from the tasks themselves: tasks still open (a replacement,
 * an expert staff added, or a first pass) are waited on by another Map; otherwise, with at least 3
 * valid scores the application is scored (the extremes dropped from 5 on), with fewer it is short:
 * staff are told, and it waits for them. It never goes on with fewer than 3.
 */
export async function collectScores(applicationId: string): Promise<CollectResult> {
  const at = now();
  const { app, call } = await load(applicationId);
  if (app.status === 'SCORED') return { next: 'scored', taskIds: [] };
  const review = app.expertReview;
  if (!review) throw new Error(`Application ${applicationId} has no expert panel`);
  const { pending, scores } = await readPanel(review, at);
  if (pending.length) return { next: 'review', taskIds: pending };

  const scored = applicationScore(scores.map((s) => s.total));
  if (scored && scores.length >= MIN_EXPERT_SCORES) {
    await recordScored(applicationId, app, call, review, scores, scored, at);
    return { next: 'scored', taskIds: [] };
  }
  if (!(await recordShortOfScores(applicationId, review, scores, at))) return collectScores(applicationId);
  await tellStaffOfShortPanel(applicationId, app, call, review, scores, at);
  return { next: 'short', taskIds: [] };
}

/** The panel's tasks: those still open (waited on next) and the valid scores of the settled ones. */
async function readPanel(review: ExpertReviewRecord, at: Date): Promise<{ pending: string[]; scores: ExpertScore[] }> {
  const pending: string[] = [];
  const scores: ExpertScore[] = [];
  for (const slot of review.panel) {
    const task = await getTask(slot.taskId);
    // Answered (or expired) before any workflow waited on it (a replacement, an expert staff added):
    // its answer is read here, and the task is finished so the sweep stops looking at it.
    if (task?.state === 'CLOSING' && task.closing && task.token === PENDING_TOKEN)
      await finishTask({ ...task, closing: task.closing }, toBeijingIso(at));
    const settled = settledScore(task);
    if (settled === 'pending') pending.push(slot.taskId);
    else if (settled !== 'none') scores.push(settled);
  }
  return { pending, scores };
}

/** Scored: the score, its spread and what the ranking reads of the application, once per round. */
async function recordScored(
  applicationId: string,
  app: ApplicationRecord,
  call: Call,
  review: ExpertReviewRecord,
  scores: ExpertScore[],
  scored: ApplicationScore,
  at: Date,
): Promise<void> {
  const once = marks.scored(review.round);
  const type = getProjectType(call, app.projectTypeId);
  const rankInput: RankInput = {
    unitName: (await unitAddressee(app)).unitName,
    title: app.form.title,
    submittedAt: app.createdAt,
    requestedCny: app.form.budget.requestedCny,
    prioritiesMet: type ? prioritiesMetOn(type, app.form) : [],
    totals: scores.map((s) => s.total),
  };
  const recorded = await updateApplication(applicationId, {
    set: { status: 'SCORED', rankInput },
    setIn: {
      'expertReview.scores': scores,
      'expertReview.score': scored.score,
      'expertReview.spread': scored.spread,
      'expertReview.scoredAt': toBeijingIso(at),
    },
    once,
    whenStatusIn: ['IN_EXPERT_REVIEW', 'SHORT_OF_SCORES'],
    entry: {
      stage: 'ExpertReview',
      result: 'SCORED',
      at: toBeijingIso(at),
      detail: { scores: scores.length, score: Number(scored.score.toFixed(2)) },
    },
  });
  if (!recorded) await continueIfRecorded(applicationId, once);
}

/**
 * Short of scores, once per round; false when staff added an expert or extended meanwhile (the
 * application is back with the experts, and the scores are collected again).
 */
async function recordShortOfScores(
  applicationId: string,
  review: ExpertReviewRecord,
  scores: ExpertScore[],
  at: Date,
): Promise<boolean> {
  const once = marks.shortOfScores(review.round);
  const recorded = await updateApplication(applicationId, {
    set: { status: 'SHORT_OF_SCORES' },
    setIn: { 'expertReview.scores': scores },
    once,
    whenStatusIn: ['IN_EXPERT_REVIEW'],
    entry: {
      stage: 'ExpertReview',
      result: 'SHORT_OF_SCORES',
      at: toBeijingIso(at),
      detail: { valid: scores.length, needed: MIN_EXPERT_SCORES },
    },
  });
  if (!recorded) {
    const current = await getApplication(applicationId);
    if (current?.status === 'IN_EXPERT_REVIEW') return false;
    await continueIfRecorded(applicationId, once);
  }
  return true;
}

/** The type's contact (copying the department head) hears how many scores came and how many are missing. */
async function tellStaffOfShortPanel(
  applicationId: string,
  app: ApplicationRecord,
  call: Call,
  review: ExpertReviewRecord,
  scores: ExpertScore[],
  at: Date,
): Promise<void> {
  const type = getProjectType(call, app.projectTypeId);
  const staff = type?.contact ?? call.staffReview.departmentHead;
  const notReturned = review.panel.filter((slot) => slot.round === review.round).length - scores.length;
  const unit = await unitAddressee(app);
  const email = reviewShortEmail(
    { name: staff.name, email: staff.email },
    app,
    call,
    unit.unitName,
    scores.length,
    MIN_EXPERT_SCORES,
    Math.max(0, notReturned),
  );
  await notify(
    applicationId,
    emailKeys.reviewShort(review.round),
    { ...email, cc: [call.staffReview.departmentHead.email] },
    toBeijingIso(at),
    'ExpertReview',
  );
}

/** RecordAward: the confirmed decision becomes the application's status, and the unit hears it with its score and rank. */
export async function recordAward(applicationId: string): Promise<{ awarded: boolean }> {
  const at = now();
  const { app, call } = await load(applicationId);
  const award = app.award;
  if (!award) throw new Error(`Application ${applicationId} has no confirmed award decision`);
  // Funded: the reports it owes, each due from its event, with their reminders (there before the status says so).
  const obligations = award.awarded ? await createObligations(app, call, at) : [];
  const status = award.awarded ? 'AWARDED' : 'NOT_AWARDED';
  const recorded = await updateApplication(applicationId, {
    set: { status, outcome: { result: status, at: toBeijingIso(at) } },
    once: marks.awardRecorded,
    whenStatusIn: ['SCORED'],
    entry: {
      stage: 'Award',
      result: status,
      at: toBeijingIso(at),
      detail: { rank: award.rank, amountCny: award.amountCny },
    },
  });
  if (!recorded) await continueIfRecorded(applicationId, marks.awardRecorded);
  const email = awardOutcomeEmail(app as ApplicationRecord, call, await unitAddressee(app), award);
  await notify(applicationId, emailKeys.awardOutcome, email, toBeijingIso(at), 'Award');
  if (award.awarded) await emailObligations(app, call, obligations, at);
  return { awarded: award.awarded };
}
