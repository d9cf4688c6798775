import type { ApplicationRecord } from '@shared/domain/application-record';
import { getCall, getProjectType, type Call, type ProjectType } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, notFound } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { linkTaskName } from '@shared/domain/ids';
import { answerSignal, readTaskAnswer } from '@shared/domain/tasks/link-rules';
import {
  isLinkTaskKind,
  LINK_TASK_ANSWERS,
  type ClaimedTask,
  type LinkTaskKind,
  type TaskAnswer,
  type TaskClosing,
  type TaskRecord,
} from '@shared/domain/tasks/record';
import {
  isTaskIdShaped,
  linkSignature,
  linkTaskId,
  taskLink,
  verifyLinkSignature,
} from '@shared/domain/tasks/link-identity';
import type { StaffTaskListItem, TaskPageView } from '@shared/domain/tasks/pages';
import { getApplication } from '@shared/adapters/dynamodb/application-items';
import { claimTask, getTask, listAssigneeTasks } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { linkKey } from '@shared/adapters/link-key';
import { logger } from '@shared/adapters/logger';
import { countMetric } from '@shared/adapters/metrics';
import { deliverOrLeaveToSweep } from '@shared/use-cases/tasks/deliver-answer';

/**
 * Link tasks as the people holding the links use them (the task-link contract,
 * docs/design.md#the-task-link-contract): read a task (never changes anything: mail scanners follow
 * links), answer it once, and, for staff, list their open tasks and record a stack of paper copies at once.
 */

type LinkTask = TaskRecord & { kind: LinkTaskKind };

export interface LinkTaskContext {
  task: LinkTask;
  app: ApplicationRecord;
  call: Call;
  type: ProjectType;
  unitName: string;
  view: TaskPageView;
}

const FINISHED = new Set(['REJECTED', 'WITHDRAWN']);

async function loadTask(
  taskId: string,
): Promise<{ task: LinkTask; app: ApplicationRecord; call: Call; type: ProjectType }> {
  const task = isTaskIdShaped(taskId) ? await getTask(taskId) : undefined;
  if (!task || !isLinkTaskKind(task.kind)) throw notFound('Task');
  const app = await getApplication(task.applicationId);
  const call = app && getCall(app.callId);
  const type = app && call && getProjectType(call, app.projectTypeId);
  if (!app || !call || !type) throw notFound('Task');
  return { task: task as LinkTask, app, call, type };
}

async function requireSignature(task: LinkTask, sig: unknown): Promise<void> {
  if (!verifyLinkSignature(await linkKey(), task.taskId, task.assignee?.email ?? '', sig)) {
    throw new DomainError('LINK_INVALID', 'This link is not valid: open it exactly as it came in the email');
  }
}

/** Whether the task still takes an answer now; if not, the refusal the contract names. */
function refusal(task: LinkTask, app: ApplicationRecord, at: Date): DomainError | undefined {
  // A task being closed by an expiry or a withdrawal is gone, not answered.
  const answered = task.state === 'DONE' || (task.state === 'CLOSING' && task.closing?.outcome === 'DONE');
  if (answered) return new DomainError('ALREADY_DONE', 'This task has already been answered');
  if (task.state === 'CLOSING') return new DomainError('LINK_EXPIRED', 'This task has ended: the link no longer works');
  if (task.state !== 'OPEN')
    return new DomainError('LINK_EXPIRED', `This task is ${task.state.toLowerCase()}: the link no longer works`);
  if (FINISHED.has(app.status))
    return new DomainError('LINK_EXPIRED', `The application is ${app.status.toLowerCase()}: the link no longer works`);
  if (task.answerableUntil && Date.parse(task.answerableUntil) < at.getTime()) {
    return new DomainError(
      'LINK_EXPIRED',
      `This task could be answered until ${toBeijingIso(new Date(task.answerableUntil))}`,
    );
  }
  return undefined;
}

async function pageView(
  task: LinkTask,
  app: ApplicationRecord,
  call: Call,
  type: ProjectType,
  postUrl: string,
): Promise<{ view: TaskPageView; unitName: string }> {
  const unit = await getUnit(app.unitId);
  const unitName = unit?.name?.zh ?? app.unitId;
  const expired =
    task.state === 'OPEN' &&
    (FINISHED.has(app.status) ||
      (task.answerableUntil !== undefined && Date.parse(task.answerableUntil) < now().getTime()));
  const view: TaskPageView = {
    taskId: task.taskId,
    kind: task.kind,
    state: expired ? 'EXPIRED' : task.state,
    dueAt: new Date(task.dueAt),
    ...(task.answerableUntil ? { answerableUntil: new Date(task.answerableUntil) } : {}),
    postUrl,
    assignee: { name: task.assignee?.name ?? '' },
    application: {
      applicationId: app.applicationId,
      title: app.form.title,
      unitName,
      typeName: type.name,
      requestedCny: app.form.budget.requestedCny,
      submittedAt: app.createdAt,
      form: app.form,
      ...(app.formalCheck?.reasons.length ? { formalCheckReasons: app.formalCheck.reasons } : {}),
    },
    type,
    call,
    ...(task.answer ? { answer: task.answer } : {}),
  };
  return { view, unitName };
}

/** The kind of the task behind a link id (undefined: none), so the handler can tell a call-level task apart. */
export async function linkTaskKindOf(taskId: string): Promise<string | undefined> {
  return isTaskIdShaped(taskId) ? (await getTask(taskId))?.kind : undefined;
}

/** The task behind a link, as its page shows it. Changes nothing. */
export async function readLinkTask(
  taskId: string,
  sig: unknown,
  postUrl: string,
  extras: LinkTaskExtras = {},
): Promise<LinkTaskContext> {
  const { task, app, call, type } = await loadTask(taskId);
  await requireSignature(task, sig);
  const { view, unitName } = await pageView(task, app, call, type, postUrl);
  Object.assign(view, await extras.view?.(task));
  return { task, app, call, type, unitName, view };
}

/** The JSON the contract gives for `GET /tasks/{taskId}` with `Accept: application/json`. */
export function taskJson({ task, view, app, call, unitName }: LinkTaskContext) {
  return {
    taskId: task.taskId,
    kind: task.kind,
    state: view.state,
    applicationId: task.applicationId,
    dueAt: toBeijingIso(new Date(task.dueAt)),
    ...(task.answerableUntil ? { answerableUntil: toBeijingIso(new Date(task.answerableUntil)) } : {}),
    answers: [...LINK_TASK_ANSWERS[task.kind]],
    ...(task.kind === 'expert-review' ? { scoringForm: call.review.scoringForm } : {}),
    ...(task.answer ? { answer: task.answer } : {}),
    application: {
      applicationId: app.applicationId,
      title: app.form.title,
      unitId: app.unitId,
      unitName,
      projectTypeId: app.projectTypeId,
      status: app.status,
      requestedCny: app.form.budget.requestedCny,
      submittedAt: app.createdAt,
      ...(task.kind === 'target-review' || task.kind === 'expert-review'
        ? { performanceTargets: app.form.performanceTargets, budget: app.form.budget }
        : {}),
    },
  };
}

/** Answers a task once: the answer is stored with the claim, then handed to the waiting workflow. */
/** Work done between a task's claim and the delivery of its answer (an expert's replacement). */
export type AfterClaim = (claimed: ClaimedTask, at: Date) => Promise<void>;

/**
 * What other stages add to a link task (kept out of this module, so a Lambda that answers only staff
 * tasks bundles none of it): more for its page (a report under review and its files), what its
 * answer is read against (a summary report's targets), and work between the claim and the delivery.
 */
export interface LinkTaskExtras {
  view?: (task: TaskRecord) => Promise<Partial<TaskPageView> | undefined>;
  targets?: (task: TaskRecord) => Promise<readonly { path: string; indicator: string }[] | undefined>;
  afterClaim?: AfterClaim;
}

async function answer(
  task: LinkTask,
  app: ApplicationRecord,
  call: Call,
  body: unknown,
  extras: LinkTaskExtras = {},
): Promise<TaskAnswer> {
  const at = now();
  const problem = refusal(task, app, at);
  if (problem) throw problem;
  const targets = await extras.targets?.(task);
  const read = readTaskAnswer(task.kind, body, { call, now: at, ...(targets ? { targets } : {}) });
  if (!read.ok)
    throw new DomainError('VALIDATION_FAILED', `The answer has ${read.details.length} problem(s)`, read.details);
  const given: TaskAnswer = { ...read.answer, answeredAt: toBeijingIso(at) };
  const closing: TaskClosing = {
    outcome: 'DONE',
    signal: answerSignal(task.kind, task.taskId, given),
    claimedAt: at.toISOString(),
  };
  const claimed = await claimTask(task, closing, given);
  if (!claimed) {
    const current = (await getTask(task.taskId)) as LinkTask | undefined;
    throw (
      (current && refusal(current, app, at)) ?? new DomainError('ALREADY_DONE', 'This task has already been answered')
    );
  }
  countMetric('TasksAnswered');
  try {
    await extras.afterClaim?.(claimed, at);
  } catch (error) {
    // The answer is taken (claimed); what follows it (a replacement, a report's effects) is the
    // sweep's to finish, with the delivery, so the one who answered is not told it failed.
    logger.error('work after a claimed answer failed; the sweep finishes it and delivers the answer', {
      taskId: task.taskId,
      error: error as Error,
    });
    return given;
  }
  await deliverOrLeaveToSweep(claimed, at);
  return given;
}

/** `POST /tasks/{taskId}?sig=…`: the holder of the link answers. */
export async function answerLinkTask(
  taskId: string,
  sig: unknown,
  body: unknown,
  postUrl: string,
  extras: LinkTaskExtras = {},
): Promise<LinkTaskContext & { answer: TaskAnswer }> {
  const { task, app, call, type } = await loadTask(taskId);
  await requireSignature(task, sig);
  const given = await answer(task, app, call, body, extras);
  const { view, unitName } = await pageView({ ...task, state: 'DONE', answer: given }, app, call, type, postUrl);
  Object.assign(view, await extras.view?.(task));
  return { task, app, call, type, unitName, view, answer: given };
}

/** The link of a task for its assignee (the staff task list shows it). */
async function linkFor(task: TaskRecord, apiBase: string): Promise<string> {
  return taskLink(apiBase, task.taskId, linkSignature(await linkKey(), task.taskId, task.assignee?.email ?? ''));
}

/**
 * `GET /staff/tasks`: the caller's open tasks, soonest due first, so a lost email is not a lost task.
 * `dueBefore` (the call overview's week) leaves the later ones out before their applications are read.
 */
export async function listStaffTasks(caller: Caller, apiBase: string, dueBefore?: Date): Promise<StaffTaskListItem[]> {
  const staff = requireStaff(caller);
  if (!staff.email) {
    throw new DomainError('VALIDATION_FAILED', 'Your sign-in carries no email address, so your tasks cannot be found', [
      { path: 'email', code: 'REQUIRED', message: 'sign in with the address your task emails go to' },
    ]);
  }
  const at = now();
  const tasks = (await listAssigneeTasks(staff.email)).filter(
    (task) =>
      task.state === 'OPEN' &&
      isLinkTaskKind(task.kind) &&
      (dueBefore === undefined || Date.parse(task.dueAt) < dueBefore.getTime()),
  );
  return Promise.all(
    tasks.map(async (task) => {
      // A call-level task (the award's confirmation) has no application.
      const app = task.applicationId ? await getApplication(task.applicationId) : undefined;
      const unit = app && (await getUnit(app.unitId));
      return {
        taskId: task.taskId,
        kind: task.kind as LinkTaskKind,
        ...(task.applicationId ? { applicationId: task.applicationId } : {}),
        title:
          app?.form.title ??
          (task.kind === 'award-confirmation'
            ? `${task.callId ?? ''} 立项建议 v${task.round ?? 1}`
            : task.applicationId),
        unitName: unit?.name?.zh ?? app?.unitId ?? '',
        dueAt: new Date(task.dueAt),
        link: await linkFor(task, apiBase),
        overdue: Date.parse(task.dueAt) < at.getTime(),
      };
    }),
  );
}

const MAX_BULK = 200;

/**
 * `POST /calls/{callId}/paper-copies`: staff who opened a stack of envelopes record them at once.
 * Each item is answered on its own, as its task link would answer it.
 */
export async function recordPaperCopies(callId: string, caller: Caller, body: unknown) {
  requireStaff(caller);
  const call = getCall(callId);
  if (!call) throw notFound(`Call ${callId}`);
  const items = (body as { received?: unknown } | undefined)?.received;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BULK) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Send {"received": [{"applicationId": "…", "receivedOn": "YYYY-MM-DD"}, …]}',
      [
        {
          path: 'received',
          code: Array.isArray(items) && items.length > MAX_BULK ? 'TOO_MANY_ITEMS' : 'REQUIRED',
          message: `a list of 1–${MAX_BULK} paper copies`,
        },
      ],
    );
  }
  const key = await linkKey();
  const results: ({ index: number; applicationId: string } & (
    { state: 'DONE'; receivedOn?: string } | { error: DomainError }
  ))[] = [];
  for (const [index, item] of items.entries()) {
    const applicationId =
      typeof (item as { applicationId?: unknown })?.applicationId === 'string'
        ? (item as { applicationId: string }).applicationId
        : '';
    try {
      const { task, app } = await loadTask(linkTaskId(key, linkTaskName(applicationId, 'paper-copy', 1)));
      if (app.callId !== callId) throw notFound('Application');
      const given = await answer(task, app, call, {
        answer: 'received',
        receivedOn: (item as { receivedOn?: unknown })?.receivedOn,
      });
      results.push({ index, applicationId, state: 'DONE' as const, receivedOn: given.receivedOn });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ index, applicationId, error });
    }
  }
  return results;
}
