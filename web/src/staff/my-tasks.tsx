import { api } from '../api';
import { instantText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';

interface StaffTask {
  taskId: string;
  kind: string;
  kindTitle: { zh: string; en: string };
  title: string;
  unitName: string;
  dueAt: string;
  link: string;
  overdue: boolean;
}

/**
 * The signed-in staff member's open tasks, soonest due first, each opening its task page (the same
 * page the task's email links to), so a lost email is never a lost task.
 */
export function MyTasks() {
  const { t, b, lang } = useText();
  const tasks = useLoad(() => api<{ tasks: StaffTask[] }>('GET', '/staff/tasks'), []);
  return (
    <section aria-labelledby="my-tasks">
      <h2 id="my-tasks">{t('我的待办', 'My tasks')}</h2>
      {tasks.loading && !tasks.data && <Loading />}
      {tasks.error && <ErrorNote error={tasks.error} />}
      {tasks.data && tasks.data.tasks.length === 0 && <p>{t('目前没有待办事项。', 'Nothing is waiting for you.')}</p>}
      {tasks.data && tasks.data.tasks.length > 0 && (
        <ul class="list">
          {tasks.data.tasks.map((task) => (
            <li key={task.taskId}>
              <a href={task.link}>
                {b(task.kindTitle)}：{task.title}
              </a>
              <span class={task.overdue ? 'todo' : 'hint'}>
                {' '}
                · {task.unitName} · {task.overdue ? t('已逾期，', 'overdue, ') : ''}
                {t('截止', 'due')} {instantText(task.dueAt, lang)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
