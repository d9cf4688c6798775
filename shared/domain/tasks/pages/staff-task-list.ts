/** A staff member's open link tasks, each a card linking to its page. */
import { bi, biBlock, esc, page, para } from './frame';
import { instantText } from './format';
import { kindTitle } from './kinds/registry';
import type { StaffTaskListItem } from './views';

/** A task without a readable due date sorts last rather than breaking the order. */
const dueTime = (d: Date) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : Number.POSITIVE_INFINITY);

function taskCard(t: StaffTaskListItem): string {
  const k = kindTitle(t.kind);
  return [
    `<section class="task${t.overdue ? ' overdue' : ''}">`,
    t.overdue ? `<p><span class="badge">${bi('已逾期', 'Overdue')}</span></p>` : '',
    `<h2>${biBlock(k.zh, k.en)}</h2>`,
    `<p><strong>${esc(t.title)}</strong><br>${esc(t.unitName)}</p>`,
    `<p class="due">${bi('截止：', 'Due:')} ${instantText(t.dueAt)}</p>`,
    `<a class="button" href="${esc(t.link)}">${bi('打开处理', 'Open')}</a>`,
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** A staff member's open tasks, soonest due first, the overdue ones marked. */
export function renderStaffTaskList(tasks: StaffTaskListItem[], now: Date): string {
  const sorted = [...tasks].sort((a, b) => dueTime(a.dueAt) - dueTime(b.dueAt) || a.title.localeCompare(b.title));
  const overdue = sorted.filter((t) => t.overdue).length;
  const body = [
    '<section>',
    `<h1>${biBlock('我的待办任务', 'My open tasks')}</h1>`,
    `<p>${bi(`共 ${sorted.length} 项，其中逾期 ${overdue} 项。`, `${sorted.length} open, ${overdue} overdue.`)}</p>`,
    `<p>${bi('截至：', 'As of:')} ${instantText(now)}</p>`,
    sorted.length ? '' : para('暂无待办任务。', 'No open tasks.'),
    '</section>',
    ...sorted.map(taskCard),
  ]
    .filter(Boolean)
    .join('\n');
  return page('我的待办任务 My open tasks', body);
}
