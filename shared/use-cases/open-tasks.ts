import type { ApplicationRecord } from '@shared/domain/application-record';
import { awaitedTaskIds, openTaskEntry, type OpenTaskEntry } from '@shared/domain/tasks/open-tasks';
import { isLinkTaskKind } from '@shared/domain/tasks/record';
import { getOpenTasks } from '@shared/adapters/dynamodb/task-items';
import type { Caller } from '@shared/domain/identity';
import { readApplication, viewOf } from '@shared/use-cases/application-access';
import { linkOf } from '@shared/use-cases/tasks/open-link-task';
import { applicationObligations } from '@shared/use-cases/obligations/listings';

/**
 * `GET /applications/{applicationId}`: the application as its unit or staff see it, and for staff
 * the tasks it waits on now and the reports it owes after its award, each with its review. Apart from application-access.ts, whose view the amendment and the
 * withdrawal also answer with: they would otherwise carry the link key for nothing.
 */
export async function applicationWithOpenTasks(applicationId: string, caller: Caller) {
  const record = await readApplication(applicationId, caller);
  const shown = await viewOf(record, caller);
  if (caller.kind !== 'staff') return shown;
  const [openTasks, obligations] = await Promise.all([
    openTasksOf(record, caller.email),
    record.status === 'AWARDED' ? applicationObligations(applicationId) : [],
  ]);
  return { ...shown, openTasks, obligations };
}

/**
 * The tasks an application waits on now, soonest due first, as one staff member sees them. The
 * link goes only with a task assigned to the reader: a link is its assignee's authority (its
 * signature names their address), and handed to a colleague it would let them answer in the
 * assignee's name. The others show who holds them.
 */
export async function openTasksOf(
  record: Pick<ApplicationRecord, 'openTaskId' | 'waitingOn' | 'expertReview'>,
  staffEmail: string | undefined,
): Promise<(OpenTaskEntry & { link?: string })[]> {
  const tasks = (await getOpenTasks(awaitedTaskIds(record))).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return Promise.all(
    tasks.map(async (task) => {
      const entry = openTaskEntry(task, staffEmail);
      return entry.mine && isLinkTaskKind(task.kind) ? { ...entry, link: await linkOf(task) } : entry;
    }),
  );
}
