/** Staff changes to one application's review: an expert added, the deadline extended. */
import type { ApplicationRecord, ExpertSlot } from '@shared/domain/application-record';
import { requireCall, type Call } from '@shared/domain/catalogue';
import { beijingDate, now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, notFound, type FieldDetail } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { waitTaskIds } from '@shared/domain/ids';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { getExpert } from '@shared/adapters/dynamodb/expert-items';
import { getTask, moveTaskDue } from '@shared/adapters/dynamodb/task-items';
import { releaseWait } from './common';
import { addToPanel } from './replacement';

/** Reads `dueOn` (YYYY-MM-DD, Beijing) as the end of that day; named in the details when bad. */
function readDueOn(value: unknown, at: Date, details: FieldDetail[]): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00+08:00`))
  ) {
    details.push({ path: 'dueOn', code: 'INVALID_DATE', message: 'dueOn: a date written YYYY-MM-DD' });
    return undefined;
  }
  if (value < beijingDate(at)) {
    details.push({
      path: 'dueOn',
      code: 'IN_THE_PAST',
      message: `dueOn (${value}) is before today (${beijingDate(at)})`,
    });
    return undefined;
  }
  return new Date(`${value}T23:59:59.999+08:00`);
}

async function staffApplication(applicationId: string, caller: Caller) {
  requireStaff(caller);
  const app = await getApplication(applicationId);
  if (!app) throw notFound('Application');
  const call = requireCall(app.callId);
  if (!app.expertReview || (app.status !== 'IN_EXPERT_REVIEW' && app.status !== 'SHORT_OF_SCORES')) {
    throw new DomainError(
      'STAGE_NOT_READY',
      `The application is ${app.status}: experts are added during its expert review`,
      [{ path: 'status', code: 'NOT_IN_EXPERT_REVIEW', message: `status ${app.status}` }],
    );
  }
  return { app, call, expertReview: app.expertReview };
}

/**
 * `POST /applications/{applicationId}/experts` (staff): adds an expert (`expertId`, or the next-best
 * when absent) to one application, due at `dueOn` (default: the application's review deadline, or
 * 7 days from now if that has passed). An application short of scores goes back into review.
 */
export async function addExpert(applicationId: string, caller: Caller, body: unknown, at: Date = now()) {
  const { app, call, expertReview } = await staffApplication(applicationId, caller);
  const input = (body && typeof body === 'object' ? body : {}) as { expertId?: unknown; dueOn?: unknown };
  const details: FieldDetail[] = [];
  if (
    input.expertId !== undefined &&
    (typeof input.expertId !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.expertId))
  )
    details.push({ path: 'expertId', code: 'INVALID_VALUE', message: 'an expert id of the pool, e.g. exp-061' });
  const dueOn = readDueOn(input.dueOn, at, details);
  if (details.length) throw new DomainError('VALIDATION_FAILED', 'Invalid request', details);
  if (typeof input.expertId === 'string' && !(await getExpert(input.expertId)))
    throw notFound(`Expert ${input.expertId}`);
  const dueAt = dueOn ?? reviewDueAfter(expertReview.dueAt, at);
  const short = app.status === 'SHORT_OF_SCORES';
  const round = short ? expertReview.round + 1 : expertReview.round;
  // The expert first: a refusal (a conflict, a cap, nobody eligible) changes nothing.
  const slot = await addToPanel(app, call, 'staff', input.expertId as string | undefined, dueAt, at, round);
  if (!slot)
    throw new DomainError(
      'NO_ELIGIBLE_EXPERT',
      'No expert of the pool is free of conflicts and below their cap for this application',
      [],
    );
  if (short) await reopenReview(app, round, dueAt, at);
  // The workflow waiting for staff (this round's, or the one before if an earlier call was cut short) goes on.
  await releaseWait(waitTaskIds.reviewTopUp(applicationId, expertReview.round), at);
  if (expertReview.round > 1) await releaseWait(waitTaskIds.reviewTopUp(applicationId, expertReview.round - 1), at);
  return { applicationId, expertId: slot.expertId, dueAt: toBeijingIso(dueAt), round };
}

/** The review deadline of an application, or a week from now once it has passed. */
const reviewDueAfter = (dueAtIso: string, at: Date) =>
  Date.parse(dueAtIso) > at.getTime() ? new Date(dueAtIso) : new Date(at.getTime() + 7 * 24 * 3600_000);

/** A short application goes back into review in a new round with a new deadline. */
async function reopenReview(app: ApplicationRecord, round: number, dueAt: Date, at: Date): Promise<void> {
  await updateApplication(app.applicationId, {
    set: { status: 'IN_EXPERT_REVIEW' },
    setIn: { 'expertReview.round': round, 'expertReview.dueAt': dueAt.toISOString() },
    whenStatusIn: ['SHORT_OF_SCORES'],
    entry: {
      stage: 'ExpertReview',
      result: 'REOPENED',
      at: toBeijingIso(at),
      detail: { round, dueAt: toBeijingIso(dueAt) },
    },
  });
}

/**
 * `POST /applications/{applicationId}/review-deadline` (staff) with `{"dueOn": "YYYY-MM-DD"}`:
 * experts still working get until then; on an application short of scores, every expert who did
 * not answer in time is asked again (a new link) with the new deadline.
 */
export async function extendReview(applicationId: string, caller: Caller, body: unknown, at: Date = now()) {
  const { app, call, expertReview } = await staffApplication(applicationId, caller);
  const details: FieldDetail[] = [];
  const dueAt = readDueOn((body as { dueOn?: unknown } | undefined)?.dueOn, at, details);
  if (!dueAt && !details.length)
    details.push({ path: 'dueOn', code: 'REQUIRED', message: 'dueOn: the new review deadline, YYYY-MM-DD' });
  if (details.length || !dueAt) throw new DomainError('VALIDATION_FAILED', 'Invalid request', details);
  if (app.status === 'IN_EXPERT_REVIEW') {
    const moved = await extendOpenTasks(applicationId, expertReview.panel, dueAt, at);
    return { applicationId, dueAt: toBeijingIso(dueAt), expertsAskedAgain: 0, expertsExtended: moved };
  }
  const asked = await askSilentAgain(app, call, expertReview, dueAt, at);
  await releaseWait(waitTaskIds.reviewTopUp(applicationId, expertReview.round), at);
  return { applicationId, dueAt: toBeijingIso(dueAt), expertsAskedAgain: asked, expertsExtended: 0 };
}

/** Experts still working get until `dueAt`: answers how many tasks moved. */
async function extendOpenTasks(applicationId: string, panel: ExpertSlot[], dueAt: Date, at: Date): Promise<number> {
  let moved = 0;
  for (const slot of panel) {
    const task = await getTask(slot.taskId);
    if (task?.state === 'OPEN' && (await moveTaskDue(task, dueAt, at, dueAt))) moved++;
  }
  await updateApplication(applicationId, {
    setIn: { 'expertReview.dueAt': dueAt.toISOString() },
    entry: {
      stage: 'ExpertReview',
      result: 'DEADLINE_EXTENDED',
      at: toBeijingIso(at),
      detail: { dueAt: toBeijingIso(dueAt), experts: moved },
    },
  });
  return moved;
}

/** Short of scores: the experts silent in this round are asked again, in a new one; answers how many were. */
async function askSilentAgain(
  app: ApplicationRecord,
  call: Call,
  expertReview: NonNullable<ApplicationRecord['expertReview']>,
  dueAt: Date,
  at: Date,
): Promise<number> {
  const round = expertReview.round + 1;
  const silent: string[] = [];
  for (const slot of expertReview.panel.filter((s) => s.round === expertReview.round)) {
    const task = await getTask(slot.taskId);
    // Expired: finished, or still claimed when its token was never handed over (a replacement).
    if (task?.state === 'EXPIRED' || (task?.state === 'CLOSING' && task.closing?.outcome === 'EXPIRED'))
      silent.push(slot.expertId);
  }
  await reopenReview(app, round, dueAt, at);
  let asked = 0;
  for (const expertId of silent) {
    const slot = await addToPanel(app, call, 'staff', expertId, dueAt, at, round, true).catch((error: unknown) => {
      if (error instanceof DomainError) return undefined;
      throw error;
    });
    if (slot) asked++;
  }
  return asked;
}
