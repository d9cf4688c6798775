import { IN_PROGRESS_STATUSES, type ApplicationRecord } from '@shared/domain/application-record';
import { getProjectType, type Call, type ProjectType } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { staffTaskEmail, staffTaskReminderEmail } from '@shared/domain/email-texts';
import { emailKeys, linkTaskName, marks } from '@shared/domain/ids';
import { linkTaskAssignee, linkTaskDue } from '@shared/domain/tasks/link-rules';
import type { Assignee, StaffTaskKind, TaskRecord } from '@shared/domain/tasks/record';
import { linkSignature, linkTaskId, taskLink } from '@shared/domain/tasks/link-identity';
import type { TaskAction } from '@shared/domain/tasks/schedule';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { cancelOpenTask, getTask, putTask, retokenTask } from '@shared/adapters/dynamodb/task-items';
import { linkKey } from '@shared/adapters/link-key';
import { failTask, resumeTask } from '@shared/adapters/workflow-engine';
import { publicBase } from '@shared/adapters/env';
import { countMetric } from '@shared/adapters/metrics';
import { continueIfRecorded, load, notify, unitAddressee } from '@shared/use-cases/steps/common';

const STAGE_OF = {
  'formal-review': 'StaffFormalReview',
  'paper-copy': 'PaperCopy',
  'target-review': 'TargetReview',
} as const;

/** The link that opens a task, signed for its assignee. */
export async function linkOf(task: Pick<TaskRecord, 'taskId' | 'assignee'>): Promise<string> {
  const key = await linkKey();
  return taskLink(publicBase(), task.taskId, linkSignature(key, task.taskId, task.assignee?.email ?? ''));
}

/**
 * Opens a staff task (formal review, paper copy, target review) and emails its assignee one link,
 * then the workflow waits on it. The task's id is derived from the application, the kind and the
 * review round, so a retried step, or a workflow resumed after a restart, re-opens the same task:
 * the link already emailed keeps working, and an answer given meanwhile is passed on at once.
 */
export async function openLinkTask(
  applicationId: string,
  kind: StaffTaskKind,
  token: string,
): Promise<{ taskId: string; state: string }> {
  const { app, call } = await load(applicationId);
  const type = getProjectType(call, app.projectTypeId);
  if (!type) throw new Error(`Unknown project type ${app.projectTypeId}`);
  const round = app.reviewRound ?? 1;
  const taskId = linkTaskId(await linkKey(), linkTaskName(applicationId, kind, round));
  const at = now();
  const task = newLinkTask({ taskId, kind, applicationId, token, round }, call, type, at);
  // Re-opened (a retried or resumed step): only the token changes; its due date, reminders and the
  // link already emailed stay as they were.
  const existing = await getTask(taskId);
  if (existing && existing.state !== 'OPEN') return passOnEarlierAnswer(taskId, token);
  const opened = existing
    ? (await retokenTask(taskId, token, 'OPEN')) && { ...existing, token }
    : (await putTask(task)) && task;
  if (!opened) return passOnEarlierAnswer(taskId, token);
  if (!existing) countMetric('TasksOpened');

  await recordTaskOpened(applicationId, kind, opened, at);
  const { assignee } = opened;
  if (assignee) await emailAssignee(applicationId, app, call, kind, { taskId, assignee, dueAt: opened.dueAt }, at);
  return { taskId, state: 'OPEN' };
}

/** The task as first opened: due by the task's rules, assigned to whoever its kind goes to. */
function newLinkTask(
  ids: { taskId: string; kind: StaffTaskKind; applicationId: string; token: string; round: number },
  call: Call,
  type: ProjectType,
  at: Date,
): TaskRecord {
  const { taskId, kind, applicationId, token, round } = ids;
  const { dueAt, answerableUntil } = linkTaskDue(kind, call, at);
  return {
    taskId,
    kind,
    applicationId,
    token,
    state: 'OPEN',
    dueAt: dueAt.toISOString(),
    ...(answerableUntil ? { answerableUntil: answerableUntil.toISOString() } : {}),
    createdAt: toBeijingIso(at),
    assignee: linkTaskAssignee(kind, call, type),
    round,
  };
}

/**
 * The application waits on the task, once; if it is no longer in progress, the task is cancelled
 * (nobody may act on it) before the error goes on.
 */
async function recordTaskOpened(applicationId: string, kind: StaffTaskKind, opened: TaskRecord, at: Date) {
  const { taskId, assignee } = opened;
  const once = marks.taskOpened(taskId);
  const recorded = await updateApplication(applicationId, {
    waitOn: taskId,
    entry: {
      stage: STAGE_OF[kind],
      result: 'TASK_OPENED',
      at: toBeijingIso(at),
      detail: { taskId, assignee: assignee?.name, dueAt: toBeijingIso(new Date(opened.dueAt)) },
    },
    once,
    // Withdrawn (or excluded) since it was loaded: nobody may act on this task.
    whenStatusIn: IN_PROGRESS_STATUSES,
  });
  if (!recorded) {
    await continueIfRecorded(applicationId, once).catch(async (error: unknown) => {
      await cancelOpenTask(taskId, toBeijingIso(at));
      throw error;
    });
  }
}

/** The assignee's one email with the task's link (sent once per task). */
async function emailAssignee(
  applicationId: string,
  app: ApplicationRecord,
  call: Call,
  kind: StaffTaskKind,
  opened: { taskId: string; assignee: Assignee; dueAt: string },
  at: Date,
): Promise<void> {
  const { taskId, assignee } = opened;
  const email = staffTaskEmail(
    kind,
    assignee,
    app,
    call,
    await linkOf({ taskId, assignee }),
    new Date(opened.dueAt),
    await unitAddressee(app),
  );
  await notify(applicationId, emailKeys.staffTask(taskId), email, toBeijingIso(at), STAGE_OF[kind]);
}

/**
 * The task was answered (or ended) before this execution waited on it: the new token is told at
 * once. An answer still being delivered (to a token that is gone) is re-pointed at this token too,
 * so a redelivery by the sweep reaches it; a second delivery to a token already answered is ignored.
 */
export async function passOnEarlierAnswer(taskId: string, token: string): Promise<{ taskId: string; state: string }> {
  const existing = await getTask(taskId);
  const signal = existing?.closing?.signal;
  if (!existing || !signal)
    throw new Error(`Task ${taskId} is ${existing?.state ?? 'missing'} and holds no answer to pass on`);
  if (existing.state === 'CLOSING') await retokenTask(taskId, token, 'CLOSING');
  if (signal.kind === 'success') await resumeTask(token, signal.output);
  else await failTask(token, signal.error, signal.cause);
  return { taskId, state: existing.state };
}

/**
 * A staff task's reminder: before it is due (3 days, 1 day), or daily once overdue with the
 * department head copied. Once per task and action, and only while the task is open.
 */
export async function remindAssignee(task: TaskRecord, action: TaskAction, at: Date): Promise<boolean> {
  if (!task.assignee || (action.kind !== 'remind' && action.kind !== 'overdue')) return false;
  const app = await getApplication(task.applicationId);
  if (!app || app.status === 'WITHDRAWN' || app.status === 'REJECTED') return false;
  const { call } = await load(task.applicationId);
  const kind = task.kind as StaffTaskKind;
  const key = action.kind === 'remind' ? action.tier : `overdue-d${action.day}`;
  const email = staffTaskReminderEmail(
    kind,
    task.assignee,
    app,
    call,
    await linkOf(task),
    new Date(task.dueAt),
    action.kind === 'overdue',
    await unitAddressee(app),
  );
  return (
    (await notify(
      task.applicationId,
      emailKeys.taskReminder(task.taskId, key),
      email,
      toBeijingIso(at),
      STAGE_OF[kind],
    )) === 'sent'
  );
}
