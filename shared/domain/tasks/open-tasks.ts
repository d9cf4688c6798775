/**
 * The tasks an application's workflow waits on now, as staff see them on the application. Pure:
 * which ids to read, and how a read task is shown to one staff member.
 */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual } from '@shared/domain/catalogue';
import { toBeijingIso } from '@shared/domain/clock';
import { kindTitle } from '@shared/domain/tasks/pages/kinds/registry';
import type { TaskRecord } from '@shared/domain/tasks/record';

export interface OpenTaskEntry {
  taskId: string;
  kind: string;
  kindTitle: Bilingual;
  assignee?: { name?: string; email?: string };
  /** Beijing ISO */
  dueAt: string;
  /** Beijing ISO; absent when an answer is taken at any time */
  answerableUntil?: string;
  /** assigned to the staff member reading: only then does the entry carry its link */
  mine: boolean;
}

/**
 * The ids of the tasks the workflow may wait on: the unit's amendment, the staff review's link
 * tasks, and the expert panel's places. A panel keeps its declined and answered places, so some of
 * these are closed; the caller keeps only the open ones it reads.
 */
export function awaitedTaskIds(record: Pick<ApplicationRecord, 'openTaskId' | 'waitingOn' | 'expertReview'>): string[] {
  const ids = [
    ...(record.openTaskId ? [record.openTaskId] : []),
    ...(record.waitingOn ?? []),
    ...(record.expertReview?.panel ?? []).map((slot) => slot.taskId),
  ];
  return [...new Set(ids)];
}

/** Whether a task is assigned to this address (addresses compare lower-cased, as link signatures do). */
export const isAssignedTo = (task: Pick<TaskRecord, 'assignee'>, email: string | undefined): boolean =>
  !!email && !!task.assignee?.email && task.assignee.email.toLowerCase() === email.toLowerCase();

/** One open task as the staff member at `viewerEmail` sees it. */
export function openTaskEntry(task: TaskRecord, viewerEmail: string | undefined): OpenTaskEntry {
  return {
    taskId: task.taskId,
    kind: task.kind,
    kindTitle: kindTitle(task.kind),
    ...(task.assignee ? { assignee: { name: task.assignee.name, email: task.assignee.email } } : {}),
    dueAt: toBeijingIso(new Date(task.dueAt)),
    ...(task.answerableUntil ? { answerableUntil: toBeijingIso(new Date(task.answerableUntil)) } : {}),
    mine: isAssignedTo(task, viewerEmail),
  };
}
