import { randomUUID } from 'node:crypto';
import {
  APPLICATION_STATUSES,
  IN_PROGRESS_STATUSES,
  type ApplicationRecord,
  type ExpertSlot,
} from '@shared/domain/application-record';
import { getProjectType, requireCall, type Call } from '@shared/domain/catalogue';
import { beijingDate, now, toBeijingIso } from '@shared/domain/clock';
import {
  expertDigestEmail,
  expertInvitationEmail,
  expertReminderEmail,
  type ExpertReviewItem,
} from '@shared/domain/email-texts';
import { DomainError, notFound, type FieldDetail } from '@shared/domain/errors';
import {
  assignExperts,
  candidateFromForm,
  conflictOf,
  nextExpert,
  type AssignmentSummary,
  type ReviewCandidate,
} from '@shared/domain/expert-assignment';
import type { Expert } from '@shared/domain/experts';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { callEmailKeys, emailKeys, expertTaskName, marks, waitTaskIds } from '@shared/domain/ids';
import { PENDING_TOKEN, type TaskRecord } from '@shared/domain/task';
import { linkTaskId } from '@shared/domain/task-links';
import {
  allApplicationsInStatus,
  countApplicationsInStatus,
  getApplication,
  updateApplication,
} from '@shared/adapters/dynamodb/application-items';
import { getExpert, listExpertPage, type StoredExpert } from '@shared/adapters/dynamodb/expert-items';
import {
  addExpertLoad,
  getCallRecord,
  listExpertLoads,
  putCallRecordOnce,
  releaseExpertLoad,
  releaseTaskLoadOnce,
} from '@shared/adapters/dynamodb/review-items';
import {
  cancelOpenTask,
  claimTask,
  createTask,
  getTask,
  moveTaskDue,
  retokenTask,
} from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { linkKey } from '@shared/adapters/link-key';
import { logger } from '@shared/adapters/logger';
import { enqueueBatches } from '@shared/use-cases/call-batches';
import { sendEmailOnce } from '@shared/use-cases/email-once';
import { linkOf, passOnEarlierAnswer } from '@shared/use-cases/steps/link-tasks';
import { notify, WorkflowSignal } from '@shared/use-cases/steps/common';
import { deliverOrLeaveToSweep } from '@shared/use-cases/task-answers';

/**
 * The expert review (专家评审): the call's round assigns every application waiting for it a panel of
 * experts (conflict-free, within caps, disciplines matched where possible); each expert gets one
 * email with a link per application; a decline or a declared conflict hands the place to the
 * next-best eligible expert at once; staff add an expert or extend the deadline for one application.
 *
 * The round is call-level work sized for a national funder: the plan is computed in one pass (the
 * pure assignment), then carried out in batches (call-batches.ts) that the request starts and the
 * sweep finishes, so nothing depends on one Lambda getting through 300,000 applications.
 */

/** The round's record on the call. */
export interface ReviewRound {
  state: 'ASSIGNING' | 'ASSIGNED';
  /** the plan whose batches carry the round out (batches of any other plan do nothing) */
  planId: string;
  startedAt: string;
  startedBy: string;
  dueAt: string;
  summary: AssignmentSummary;
  batches: string[];
}

/** Applications per batch of the round's assignment, and experts per batch of its emails. */
const ASSIGN_BATCH = 100;
const NOTIFY_BATCH = 50;

/** Every expert of the pool (GSI1 pages). */
export async function loadExpertPool(): Promise<StoredExpert[]> {
  const pool: StoredExpert[] = [];
  let after: string | undefined;
  do {
    const page = await listExpertPage(500, after);
    pool.push(...page.experts);
    after = page.next;
  } while (after);
  return pool;
}

const candidateOf = (app: Pick<ApplicationRecord, 'applicationId' | 'unitId' | 'form'>): ReviewCandidate =>
  candidateFromForm(
    app.applicationId,
    app.unitId,
    app.form as ApplicationRecord['form'] & { expertsToAvoid?: string[] },
  );

/**
 * `POST /calls/{callId}/expert-assignments` (staff), or the sweep at the call's review opening:
 * assigns every application at READY_FOR_EXPERT_REVIEW its panel, or, when the pool cannot serve
 * them all, answers POOL_INSUFFICIENT naming each application that cannot be served and why, and
 * assigns nothing. Once per call: a second start answers the round already under way.
 */
export async function startReviewRound(
  callId: string,
  by: Caller | 'sweep',
  at: Date = now(),
): Promise<{ round: ReviewRound; started: boolean }> {
  const startedBy = by === 'sweep' ? 'sweep' : requireStaff(by).subject;
  const call = requireCall(callId);
  const existing = await getCallRecord<ReviewRound>(callId, 'round');
  if (existing) return { round: existing, started: false };

  const earlier = await countApplicationsInStatus(callId, IN_PROGRESS_STATUSES);
  const open = Object.entries(earlier).filter(([, n]) => n > 0);
  if (open.length) {
    throw new DomainError(
      'STAGE_NOT_READY',
      'Applications are still in the earlier stages: the review round starts once every one has passed or left them',
      open.map(([status, n]) => ({
        path: `statuses.${status}`,
        code: 'STILL_OPEN',
        message: `${n} application(s) still ${status}`,
      })),
    );
  }

  const candidates: ReviewCandidate[] = [];
  // What assignment reads, kept when each became ready (not the forms); one read back whole otherwise.
  for (const ready of await allApplicationsInStatus(callId, 'READY_FOR_EXPERT_REVIEW', [
    'applicationId',
    'unitId',
    'reviewCandidate',
  ])) {
    if (ready.reviewCandidate) candidates.push(ready.reviewCandidate);
    else {
      const app = await getApplication(ready.applicationId);
      if (app) candidates.push(candidateOf(app));
    }
  }
  if (!candidates.length) {
    throw new DomainError('STAGE_NOT_READY', 'No application is waiting for the expert review', [
      { path: 'applications', code: 'NONE_READY', message: 'no application is at READY_FOR_EXPERT_REVIEW' },
    ]);
  }
  const pool = await loadExpertPool();
  const result = assignExperts(candidates, pool, {
    perApplication: call.review.expertsPerApplication,
    load: await listExpertLoads(callId),
  });
  if (!result.ok) {
    throw new DomainError(
      'POOL_INSUFFICIENT',
      `The expert pool cannot give ${result.unserved.length} application(s) ${call.review.expertsPerApplication} conflict-free experts within their caps; nothing was assigned. Add experts (PUT /experts/{expertId}) and try again.`,
      result.unserved.map(({ applicationId, reason }) => ({
        path: `applications.${applicationId}`,
        code: 'UNSERVED',
        message: reason,
      })),
    );
  }

  const plan = [...result.assignments.entries()].map(([applicationId, expertIds]) => ({ applicationId, expertIds }));
  const byExpert = new Map<string, string[]>();
  for (const { applicationId, expertIds } of plan)
    for (const id of expertIds) byExpert.set(id, [...(byExpert.get(id) ?? []), applicationId]);

  // The batches first, under a plan id of their own; then the round, naming that plan, written once.
  // A start cut short before the round is written leaves batches no round names: they do nothing
  // when the sweep reaches them, and a new start plans afresh. Two racing starts: one round wins,
  // the other's batches likewise do nothing. Loads are counted as each review task is created.
  const planId = randomUUID().slice(0, 8);
  const slices = <T>(items: T[], size: number) =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
  const assign = await enqueueBatches(callId, 'assign', slices(plan, ASSIGN_BATCH), at, planId);
  // The experts' emails come after the assignment batches (their links open tasks those create).
  const experts = [...byExpert.entries()].map(([expertId, applicationIds]) => ({ expertId, applicationIds }));
  const emails = await enqueueBatches(
    callId,
    'notify-experts',
    slices(experts, NOTIFY_BATCH),
    new Date(at.getTime() + 1000),
    planId,
  );
  const round: ReviewRound = {
    state: 'ASSIGNING',
    planId,
    startedAt: toBeijingIso(at),
    startedBy,
    dueAt: new Date(call.review.deadline).toISOString(),
    summary: result.summary,
    batches: [...assign, ...emails],
  };
  if (!(await putCallRecordOnce(callId, 'round', round))) {
    const raced = await getCallRecord<ReviewRound>(callId, 'round');
    if (raced) return { round: raced, started: false };
  }
  return { round, started: true };
}

/** The task of one expert's review of one application. */
async function expertTask(
  app: ApplicationRecord,
  call: Call,
  expert: Expert,
  round: number,
  dueAt: Date,
  at: Date,
): Promise<TaskRecord> {
  return {
    taskId: linkTaskId(await linkKey(), expertTaskName(app.applicationId, expert.expertId, round)),
    kind: 'expert-review',
    applicationId: app.applicationId,
    callId: call.callId,
    token: PENDING_TOKEN,
    state: 'OPEN',
    dueAt: dueAt.toISOString(),
    answerableUntil: dueAt.toISOString(),
    createdAt: toBeijingIso(at),
    assignee: { name: expert.name, email: expert.email },
    expertId: expert.expertId,
    round,
  };
}

/**
 * One application's part of the round: its experts' tasks (open before the workflow waits on them,
 * so the experts' email can link to them at once), its panel recorded, and its workflow told.
 * Safe to run twice: tasks are created once by id, the panel once per round. An application whose
 * workflow resumed at AwaitExpertAssignment after the round began, but before the round's batch for
 * it ran, got a panel of its own then (assignLate, `via: 'late'`); the plan's panel is then not a
 * second one: of two panels only the recorded one keeps its tasks and its experts' places, whichever
 * order they ran in, and a run cut short after the record gives back on its next run what it took.
 */
export async function assignPanel(
  applicationId: string,
  expertIds: string[],
  at: Date,
  via: 'assignment' | 'late' = 'assignment',
): Promise<void> {
  const app = await getApplication(applicationId);
  if (!app) return;
  const call = requireCall(app.callId);
  let recordedPanel = hasPanel(app) ? app.expertReview?.panel : undefined;
  if (!recordedPanel) {
    const dueAt = new Date(call.review.deadline);
    const panel: ExpertSlot[] = [];
    for (const expertId of expertIds) {
      const expert = await getExpert(expertId);
      if (!expert) throw new Error(`Expert ${expertId} of the round's plan is not in the pool`);
      // The place is taken with the task, and the task says whether it holds one (the cap may refuse it).
      const holdsLoad = await addExpertLoad(expertId, call.callId, 1, expert.maxLoad);
      if (!holdsLoad)
        logger.warn('an expert passed their cap as the round assigned them (a replacement raced it)', {
          expertId,
          applicationId,
        });
      const task = { ...(await expertTask(app, call, expert, 1, dueAt, at)), holdsLoad };
      // There already (a run cut short, or the other panel chose this expert too): that task holds its own place.
      if (!(await createTask(task)) && holdsLoad) await releaseExpertLoad(expertId, call.callId);
      panel.push({ expertId, taskId: task.taskId, round: 1, via });
    }
    const recordedNow = await updateApplication(applicationId, {
      set: { status: 'IN_EXPERT_REVIEW', expertReview: { panel, dueAt: dueAt.toISOString(), round: 1 } },
      once: marks.expertAssigned(1),
      whenStatusIn: ['READY_FOR_EXPERT_REVIEW'],
      entry: {
        stage: 'ExpertReview',
        result: 'EXPERTS_ASSIGNED',
        at: toBeijingIso(at),
        detail: { experts: panel.length, dueAt: toBeijingIso(dueAt) },
      },
    });
    // Read back only when this panel was not the one written (the round's usual case needs no read).
    recordedPanel = recordedNow ? panel : (await getApplication(applicationId))?.expertReview?.panel;
  }
  // This panel's tasks the recorded panel does not hold (it lost, or another panel was recorded first,
  // or a withdrawal came between) close, and give back the places they hold, once each.
  const recorded = new Set((recordedPanel ?? []).map((slot) => slot.taskId));
  const key = await linkKey();
  for (const expertId of expertIds) {
    const taskId = linkTaskId(key, expertTaskName(applicationId, expertId, 1));
    if (recorded.has(taskId)) continue;
    const task = await getTask(taskId);
    if (!task) continue;
    if (task.state === 'OPEN') await cancelOpenTask(taskId, toBeijingIso(at));
    if (task.holdsLoad) await releaseTaskLoadOnce(taskId, expertId, call.callId);
  }
  await releaseWait(waitTaskIds.expertAssignment(applicationId), at);
}

/** Whether the application has its panel of the first round already. */
const hasPanel = (app: ApplicationRecord) =>
  app.status !== 'READY_FOR_EXPERT_REVIEW' && (app.expertReview?.panel.length ?? 0) > 0;

/** Tells a workflow waiting on one of its no-link waits to go on (if it waits yet: else its step will see). */
export async function releaseWait(taskId: string, at: Date, output: Record<string, unknown> = {}): Promise<void> {
  const wait = await getTask(taskId);
  if (!wait || wait.state !== 'OPEN') return;
  const claimed = await claimTask(wait, {
    outcome: 'DONE',
    signal: { kind: 'success', output: { taskId, ...output } },
    claimedAt: at.toISOString(),
  });
  if (claimed) await deliverOrLeaveToSweep(claimed, at);
}

/** What an expert's emails show of one application. */
async function reviewItem(
  app: ApplicationRecord,
  call: Call,
  task: Pick<TaskRecord, 'taskId' | 'assignee'>,
): Promise<ExpertReviewItem> {
  const type = getProjectType(call, app.projectTypeId);
  const unit = await getUnit(app.unitId);
  return {
    title: app.form.title,
    typeName: type?.name ?? { zh: app.projectTypeId, en: app.projectTypeId },
    unitName: unit?.name?.zh ?? app.unitId,
    link: await linkOf(task),
  };
}

/**
 * One email per expert listing every application the round gave them, each with its own link.
 * False when a task it links to is not open yet (its assignment batch has not run): tried again later.
 */
export async function emailExpertDigest(
  callId: string,
  expertId: string,
  applicationIds: string[],
  at: Date,
): Promise<boolean> {
  const call = requireCall(callId);
  const expert = await getExpert(expertId);
  if (!expert) return true;
  const items: ExpertReviewItem[] = [];
  const key = await linkKey();
  for (const applicationId of applicationIds) {
    const task = await getTask(linkTaskId(key, expertTaskName(applicationId, expertId, 1)));
    const app = await getApplication(applicationId);
    if (!app) continue;
    // Its panel came another way (see assignPanel): not theirs to review, or their own email invited them.
    const slot = app.expertReview?.panel.find((kept) => kept.taskId === task?.taskId);
    if (hasPanel(app) && (!slot || slot.via === 'late')) continue;
    if (!task) return false;
    // Withdrawn before its panel was recorded: the task was closed again.
    if (task.state === 'CANCELLED') continue;
    items.push(await reviewItem(app, call, task));
  }
  if (items.length)
    await sendEmailOnce(
      callEmailKeys.expertDigest(callId, expertId),
      expertDigestEmail(expert, call, items, new Date(call.review.deadline)),
      toBeijingIso(at),
    );
  return true;
}

/**
 * AwaitExpertAssignment: the application waits for the round. If the round already ran (a late
 * application, e.g. one reviewed again after a return), it gets its panel at once; if it has its
 * panel already (a resumed workflow), the workflow goes straight on.
 */
export async function openExpertAssignmentWait(
  applicationId: string,
  token: string,
  at: Date = now(),
): Promise<{ waiting: boolean }> {
  const app = await getApplication(applicationId);
  if (!app) throw new Error(`Application ${applicationId} does not exist`);
  const call = requireCall(app.callId);
  const taskId = waitTaskIds.expertAssignment(applicationId);
  const task: TaskRecord = {
    taskId,
    kind: 'expert-assignment',
    applicationId,
    callId: call.callId,
    token,
    state: 'OPEN',
    dueAt: new Date(call.review.opensAt).toISOString(),
    createdAt: toBeijingIso(at),
  };
  const { waiting } = await openWait(task, app.status !== 'READY_FOR_EXPERT_REVIEW', at);
  if (waiting && (await getCallRecord<ReviewRound>(call.callId, 'round'))) await assignLate(app, call, at);
  return { waiting };
}

/**
 * Opens (or re-tokens) one of an application's waits and hands it the execution's token. A wait
 * released before this execution waited (a resumed workflow) is passed on at once; `released` says
 * the application has moved past it already, and it is then released now.
 */
export async function openWait(
  task: TaskRecord,
  released: boolean,
  at: Date,
): Promise<{ taskId: string; waiting: boolean }> {
  const existing = await getTask(task.taskId);
  if (existing && existing.state !== 'OPEN') {
    await passOnEarlierAnswer(task.taskId, task.token);
    return { taskId: task.taskId, waiting: false };
  }
  if (existing) await retokenTask(task.taskId, task.token, 'OPEN');
  else await createTask(task);
  // Withdrawn while the wait was being opened: the withdrawal found no wait to end, so this one
  // ends itself (the same rule as a staff task opened as the unit withdraws).
  if ((await getApplication(task.applicationId))?.status === 'WITHDRAWN') {
    await cancelOpenTask(task.taskId, toBeijingIso(at));
    throw new WorkflowSignal('Withdrawn', `Application ${task.applicationId} was withdrawn`);
  }
  if (released) await releaseWait(task.taskId, at);
  return { taskId: task.taskId, waiting: !released };
}

/** A panel for an application that reached the review after the round ran: the next-best experts, one by one. */
async function assignLate(app: ApplicationRecord, call: Call, at: Date): Promise<void> {
  const pool = await loadExpertPool();
  const loads = await listExpertLoads(call.callId);
  const candidate = candidateOf(app);
  const chosen: string[] = [];
  const tried = new Set<string>();
  while (chosen.length < call.review.expertsPerApplication) {
    const expert = nextExpert({ ...candidate, assigned: chosen }, pool, loads, tried);
    if (!expert) break;
    tried.add(expert.expertId);
    // Their places are taken with their tasks (assignPanel).
    chosen.push(expert.expertId);
    loads.set(expert.expertId, (loads.get(expert.expertId) ?? 0) + 1);
  }
  if (chosen.length < call.review.expertsPerApplication) {
    logger.warn('a late application could not get a full panel; it goes on with what the pool has', {
      applicationId: app.applicationId,
      experts: chosen.length,
    });
  }
  await assignPanel(app.applicationId, chosen, at, 'late');
  // Only if this panel is the one recorded: the round's own panel is told by the round's digest.
  const assigned = await getApplication(app.applicationId);
  for (const slot of assigned?.expertReview?.panel ?? [])
    if (slot.via === 'late') await inviteExpert(app.applicationId, slot.taskId, at);
}

/** Emails one expert the link of one review (a replacement, a late panel, an expert staff added). */
async function inviteExpert(applicationId: string, taskId: string, at: Date): Promise<void> {
  const task = await getTask(taskId);
  const app = await getApplication(applicationId);
  if (!task?.assignee || !app) return;
  const call = requireCall(app.callId);
  const email = expertInvitationEmail(task.assignee, call, await reviewItem(app, call, task), new Date(task.dueAt));
  await notify(applicationId, emailKeys.expertInvitation(taskId), email, toBeijingIso(at), 'ExpertReview');
}

/** An expert's reminder before the review deadline (once per task and tier). */
export async function remindExpert(task: TaskRecord, tier: string, at: Date): Promise<boolean> {
  const app = await getApplication(task.applicationId);
  if (!task.assignee || !app || app.status !== 'IN_EXPERT_REVIEW') return false;
  const call = requireCall(app.callId);
  const email = expertReminderEmail(task.assignee, call, await reviewItem(app, call, task), new Date(task.dueAt));
  return (
    (await notify(
      task.applicationId,
      emailKeys.taskReminder(task.taskId, tier),
      email,
      toBeijingIso(at),
      'ExpertReview',
    )) === 'sent'
  );
}

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
  // A round's task the cap refused held no place to give back.
  if (task.holdsLoad !== false) await releaseTaskLoadOnce(task.taskId, task.expertId, call.callId);
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
async function addToPanel(
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
    if (wanted) {
      const conflict = conflictOf(expert, candidate);
      if (conflict)
        throw new DomainError('NO_ELIGIBLE_EXPERT', `${expert.name} may not review this application: ${conflict}`, [
          { path: 'expertId', code: 'CONFLICT', message: conflict },
        ]);
      if (onPanel.has(expert.expertId) && !askAgain)
        throw new DomainError('NO_ELIGIBLE_EXPERT', `${expert.name} is already on this application's panel`, [
          { path: 'expertId', code: 'ALREADY_ON_PANEL', message: 'already asked' },
        ]);
    }
    tried.add(expert.expertId);
    if (!(await addExpertLoad(expert.expertId, call.callId, 1, expert.maxLoad))) {
      if (wanted)
        throw new DomainError(
          'NO_ELIGIBLE_EXPERT',
          `${expert.name} has reached their cap of ${expert.maxLoad} applications`,
          [{ path: 'expertId', code: 'AT_CAP', message: `cap ${expert.maxLoad} reached` }],
        );
      loads.set(expert.expertId, expert.maxLoad);
      continue;
    }
    const task = await expertTask(app, call, expert, round, dueAt, at);
    if (!(await createTask(task))) {
      await releaseExpertLoad(expert.expertId, call.callId);
      if (wanted)
        throw new DomainError(
          'NO_ELIGIBLE_EXPERT',
          `${expert.name} has already been asked to review this application`,
          [{ path: 'expertId', code: 'ALREADY_ON_PANEL', message: 'already asked' }],
        );
      continue;
    }
    const slot: ExpertSlot = {
      expertId: expert.expertId,
      taskId: task.taskId,
      round,
      via,
      ...(replaces ? { replaces } : {}),
    };
    await updateApplication(app.applicationId, {
      appendIn: { path: 'expertReview.panel', items: [slot] },
      entry: {
        stage: 'ExpertReview',
        result: via === 'staff' ? 'EXPERT_ADDED' : 'EXPERT_REPLACED',
        at: toBeijingIso(at),
        detail: { round },
      },
    });
    await inviteExpert(app.applicationId, task.taskId, at);
    return slot;
  }
}

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
    let moved = 0;
    for (const slot of expertReview.panel) {
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
    return { applicationId, dueAt: toBeijingIso(dueAt), expertsAskedAgain: 0, expertsExtended: moved };
  }
  // Short of scores: the silent experts are asked again, in a new round.
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
  await releaseWait(waitTaskIds.reviewTopUp(applicationId, expertReview.round), at);
  return { applicationId, dueAt: toBeijingIso(dueAt), expertsAskedAgain: asked, expertsExtended: 0 };
}

/** `GET /calls/{callId}/review-status` (staff): where the review stands, and the applications short of scores. */
export async function reviewStatus(callId: string, caller: Caller) {
  requireStaff(caller);
  const call = requireCall(callId);
  const counts = await countApplicationsInStatus(
    callId,
    APPLICATION_STATUSES.slice(
      APPLICATION_STATUSES.indexOf('READY_FOR_EXPERT_REVIEW'),
      APPLICATION_STATUSES.indexOf('REJECTED'),
    ),
  );
  const round = await getCallRecord<ReviewRound>(callId, 'round');
  const short: unknown[] = [];
  for (const app of await allApplicationsInStatus(callId, 'SHORT_OF_SCORES', [
    'applicationId',
    'unitId',
    'projectTypeId',
    'form',
    'expertReview',
  ])) {
    short.push({
      applicationId: app.applicationId,
      unitId: app.unitId,
      projectTypeId: app.projectTypeId,
      title: app.form.title,
      validScores: app.expertReview?.scores?.length ?? 0,
      needed: 3,
      panel: app.expertReview?.panel.length ?? 0,
      dueAt: app.expertReview ? toBeijingIso(new Date(app.expertReview.dueAt)) : undefined,
    });
  }
  return {
    callId,
    reviewOpensAt: call.review.opensAt,
    reviewDeadline: call.review.deadline,
    round: round
      ? { state: round.state, startedAt: round.startedAt, startedBy: round.startedBy, summary: round.summary }
      : null,
    counts,
    shortOfScores: short,
  };
}
