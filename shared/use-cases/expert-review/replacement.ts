/** One more expert on a panel: a replacement for a decline or a conflict, or one staff add or ask again. */
import type { ApplicationRecord, ExpertSlot } from '@shared/domain/application-record';
import { requireCall, type Call } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import { DomainError } from '@shared/domain/errors';
import { conflictOf, nextExpert, type ReviewCandidate } from '@shared/domain/expert-assignment';
import type { Expert } from '@shared/domain/experts';
import type { TaskRecord } from '@shared/domain/tasks/record';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { getExpert } from '@shared/adapters/dynamodb/expert-items';
import {
  addExpertLoad,
  listExpertLoads,
  releaseExpertLoad,
  releaseTaskLoadOnce,
} from '@shared/adapters/dynamodb/review-items';
import { createTask } from '@shared/adapters/dynamodb/task-items';
import { candidateOf, expertTask, inviteExpert, loadExpertPool } from './common';

/** Between an expert-review answer's claim and its delivery: a decline or a conflict hands the place on at once. */
export async function replaceIfDeclined(claimed: TaskRecord, at: Date): Promise<void> {
  if (claimed.kind === 'expert-review' && claimed.answer && claimed.answer.answer !== 'score')
    await replaceExpert(claimed, at);
}

/**
 * After an expert declined or declared a conflict: the next-best eligible expert (no conflict, not
 * yet on the panel, below their cap, the discipline preferred) takes the place, and is emailed at
 * once. The decliner's place is freed. Undefined when nobody is left: the application then goes on
 * with fewer experts, and staff are told if that leaves it short after the deadline.
 */
export async function replaceExpert(task: TaskRecord, at: Date): Promise<string | undefined> {
  const app = await getApplication(task.applicationId);
  if (!app?.expertReview || !task.expertId) return undefined;
  const call = requireCall(app.callId);
  // A round's task the cap refused holds no place to give back (unless given one since: the stored task decides).
  await releaseTaskLoadOnce(task.taskId, task.expertId, call.callId);
  // Once per declined place: the sweep delivering an answer whose request replaced the expert finds it
  // done, and sends the replacement's invitation only if that request did not (once per email key).
  const done = app.expertReview.panel.find((slot) => slot.replaces === task.taskId);
  if (done) {
    await inviteExpert(app.applicationId, done.taskId, at);
    return done.expertId;
  }
  const added = await addToPanel(
    app,
    call,
    'replacement',
    undefined,
    new Date(app.expertReview.dueAt),
    at,
    undefined,
    false,
    task.taskId,
  );
  return added?.expertId;
}

/**
 * Adds one expert to an application's panel: the given one (checked for conflicts and cap) or the
 * next-best. Creates the task, records the slot, emails the expert. Undefined when no one is eligible.
 */
export async function addToPanel(
  app: ApplicationRecord,
  call: Call,
  via: ExpertSlot['via'],
  wanted: string | undefined,
  dueAt: Date,
  at: Date,
  round = app.expertReview?.round ?? 1,
  /** the expert was silent past the deadline and is asked again (an extension): allowed back on */
  askAgain = false,
  /** a replacement: the task of the place it takes */
  replaces?: string,
): Promise<ExpertSlot | undefined> {
  // Anyone ever asked about this application (scored, declined, conflicted, silent) is not picked
  // again: a score would count twice, a decline or conflict stands.
  const onPanel = new Set((app.expertReview?.panel ?? []).map((slot) => slot.expertId));
  const candidate = { ...candidateOf(app), assigned: [...onPanel] };
  const pool = wanted ? [] : await loadExpertPool();
  const loads = wanted ? new Map<string, number>() : await listExpertLoads(call.callId);
  const tried = new Set<string>(onPanel);
  for (;;) {
    const expert = wanted ? await getExpert(wanted) : nextExpert(candidate, pool, loads, tried);
    if (!expert) return undefined;
    if (wanted) refuseIneligible(expert, candidate, onPanel.has(expert.expertId) && !askAgain);
    tried.add(expert.expertId);
    const opened = await openTask(app, call, expert, { round, dueAt, at, wanted: wanted !== undefined });
    if (opened === 'AT_CAP') loads.set(expert.expertId, expert.maxLoad);
    if (typeof opened === 'string') continue;
    const slot: ExpertSlot = {
      expertId: expert.expertId,
      taskId: opened.taskId,
      round,
      via,
      ...(replaces ? { replaces } : {}),
    };
    await recordSlot(app.applicationId, slot, at);
    await inviteExpert(app.applicationId, opened.taskId, at);
    return slot;
  }
}

async function recordSlot(applicationId: string, slot: ExpertSlot, at: Date): Promise<void> {
  await updateApplication(applicationId, {
    appendIn: { path: 'expertReview.panel', items: [slot] },
    entry: {
      stage: 'ExpertReview',
      result: slot.via === 'staff' ? 'EXPERT_ADDED' : 'EXPERT_REPLACED',
      at: toBeijingIso(at),
      detail: { round: slot.round },
    },
  });
}

/** Why the expert staff asked for may not review the application (a conflict, or asked already). */
function refuseIneligible(expert: Expert, candidate: ReviewCandidate, alreadyAsked: boolean): void {
  const conflict = conflictOf(expert, candidate);
  if (conflict)
    throw new DomainError('NO_ELIGIBLE_EXPERT', `${expert.name} may not review this application: ${conflict}`, [
      { path: 'expertId', code: 'CONFLICT', message: conflict },
    ]);
  if (alreadyAsked)
    throw new DomainError('NO_ELIGIBLE_EXPERT', `${expert.name} is already on this application's panel`, [
      { path: 'expertId', code: 'ALREADY_ON_PANEL', message: 'already asked' },
    ]);
}

/**
 * Takes a place of the expert's and opens their task; or says why not: at their cap, or asked
 * about this application before (a task of that id exists). For the expert staff asked for
 * (`wanted`), that is an error; the next-best is simply passed over.
 */
async function openTask(
  app: ApplicationRecord,
  call: Call,
  expert: Expert,
  { round, dueAt, at, wanted }: { round: number; dueAt: Date; at: Date; wanted: boolean },
): Promise<TaskRecord | 'AT_CAP' | 'ALREADY_ASKED'> {
  if (!(await addExpertLoad(expert.expertId, call.callId, 1, expert.maxLoad))) {
    if (wanted)
      throw new DomainError(
        'NO_ELIGIBLE_EXPERT',
        `${expert.name} has reached their cap of ${expert.maxLoad} applications`,
        [{ path: 'expertId', code: 'AT_CAP', message: `cap ${expert.maxLoad} reached` }],
      );
    return 'AT_CAP';
  }
  const task = await expertTask(app, call, expert, round, dueAt, at);
  if (await createTask(task)) return task;
  await releaseExpertLoad(expert.expertId, call.callId);
  if (wanted)
    throw new DomainError('NO_ELIGIBLE_EXPERT', `${expert.name} has already been asked to review this application`, [
      { path: 'expertId', code: 'ALREADY_ON_PANEL', message: 'already asked' },
    ]);
  return 'ALREADY_ASKED';
}
