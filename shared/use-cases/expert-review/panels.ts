/**
 * Panels of the first round: one application's part of the round's plan, and the wait at
 * AwaitExpertAssignment (with the panel of an application that arrives after the round ran).
 */
import type { ApplicationRecord, ExpertSlot } from '@shared/domain/application-record';
import { requireCall, type Call } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { nextExpert } from '@shared/domain/expert-assignment';
import { expertTaskName, marks, waitTaskIds } from '@shared/domain/ids';
import type { TaskRecord } from '@shared/domain/tasks/record';
import { linkTaskId } from '@shared/domain/tasks/link-identity';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { getExpert } from '@shared/adapters/dynamodb/expert-items';
import {
  addExpertLoad,
  getCallRecord,
  givePlaceToTask,
  listExpertLoads,
  releaseExpertLoad,
  releaseTaskLoadOnce,
} from '@shared/adapters/dynamodb/review-items';
import { cancelOpenTask, createTask, getTask, retokenTask } from '@shared/adapters/dynamodb/task-items';
import { linkKey } from '@shared/adapters/link-key';
import { logger } from '@shared/adapters/logger';
import { passOnEarlierAnswer } from '@shared/use-cases/tasks/open-link-task';
import { WorkflowSignal } from '@shared/use-cases/steps/common';
import { candidateOf, expertTask, hasPanel, inviteExpert, loadExpertPool, releaseWait } from './common';
import { roundUnderWay, type ReviewRound } from './round';

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
  const recordedPanel = hasPanel(app) ? app.expertReview?.panel : await recordPanel(app, call, expertIds, at, via);
  await closeUnrecordedTasks(applicationId, call, expertIds, recordedPanel ?? [], at);
  await releaseWait(waitTaskIds.expertAssignment(applicationId), at);
}

/** Opens the experts' tasks and records the panel, unless another was recorded first: answers the recorded one. */
async function recordPanel(
  app: ApplicationRecord,
  call: Call,
  expertIds: string[],
  at: Date,
  via: 'assignment' | 'late',
): Promise<ExpertSlot[] | undefined> {
  const dueAt = new Date(call.review.deadline);
  const panel: ExpertSlot[] = [];
  for (const expertId of expertIds) {
    const taskId = await openPanelTask(app, call, expertId, dueAt, at);
    panel.push({ expertId, taskId, round: 1, via });
  }
  const recordedNow = await updateApplication(app.applicationId, {
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
  return recordedNow ? panel : (await getApplication(app.applicationId))?.expertReview?.panel;
}

/** One expert's task of a first-round panel, taking their place with it: answers its taskId. */
async function openPanelTask(
  app: ApplicationRecord,
  call: Call,
  expertId: string,
  dueAt: Date,
  at: Date,
): Promise<string> {
  const expert = await getExpert(expertId);
  if (!expert) throw new Error(`Expert ${expertId} of the round's plan is not in the pool`);
  // The place is taken with the task, and the task says whether it holds one (the cap may refuse it).
  const holdsLoad = await addExpertLoad(expertId, call.callId, 1, expert.maxLoad);
  if (!holdsLoad)
    logger.warn('an expert passed their cap as the round assigned them (a replacement raced it)', {
      expertId,
      applicationId: app.applicationId,
    });
  const task = { ...(await expertTask(app, call, expert, 1, dueAt, at)), holdsLoad };
  // There already (a run cut short, a run of the same batch beside this one, or the other panel chose
  // this expert too): that task holds its own place, and this one's is given back. Unless it holds
  // none: a run beside this one was refused by the cap because this run's place had just filled it,
  // and created the task first; the place is then the task's (givePlaceToTask), or the panel keeps a
  // task no load counts.
  if (!(await createTask(task)) && holdsLoad && !(await givePlaceToTask(task.taskId)))
    await releaseExpertLoad(expertId, call.callId);
  return task.taskId;
}

/**
 * This panel's tasks the recorded panel does not hold (it lost, or another panel was recorded
 * first, or a withdrawal came between) close, and give back the places they hold, once each.
 */
async function closeUnrecordedTasks(
  applicationId: string,
  call: Call,
  expertIds: string[],
  recordedPanel: ExpertSlot[],
  at: Date,
): Promise<void> {
  const recorded = new Set(recordedPanel.map((slot) => slot.taskId));
  const key = await linkKey();
  for (const expertId of expertIds) {
    const taskId = linkTaskId(key, expertTaskName(applicationId, expertId, 1));
    if (recorded.has(taskId)) continue;
    const task = await getTask(taskId);
    if (!task) continue;
    if (task.state === 'OPEN') await cancelOpenTask(taskId, toBeijingIso(at));
    // A round's task (it says whether it holds a place): whether it holds one is read as it is freed,
    // after the cancel, since a run beside this one may have given it a place since it was read.
    if (task.holdsLoad !== undefined) await releaseTaskLoadOnce(taskId, expertId, call.callId);
  }
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
  if (waiting && roundUnderWay(await getCallRecord<ReviewRound>(call.callId, 'round'))) await assignLate(app, call, at);
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
