import { renderStaffTaskList } from '@shared/domain/tasks/pages';
import { kindTitle } from '@shared/domain/tasks/pages/kinds/registry';
import { now, toBeijingIso } from '@shared/domain/clock';
import { listStaffTasks } from '@shared/use-cases/tasks/answer-by-link';
import { publicBase } from '@shared/adapters/env';
import { httpHandler, wantsHtml } from './lib/http';

/** `GET /staff/tasks`: the signed-in staff member's open tasks, as a page or JSON. */
export const handler = httpHandler(async ({ caller, headers }) => {
  const tasks = await listStaffTasks(caller, publicBase());
  if (wantsHtml(headers)) return { html: renderStaffTaskList(tasks, now()) };
  return {
    body: {
      tasks: tasks.map((task) => ({ ...task, kindTitle: kindTitle(task.kind), dueAt: toBeijingIso(task.dueAt) })),
    },
  };
});
