import type { OpenTaskEntry } from '@shared/domain/tasks/open-tasks';
import { instantText, useText } from '../i18n';

/** A task the application's workflow waits on (`openTasks` of GET /applications/{id} as staff). */
export type OpenTask = OpenTaskEntry & {
  /** only on the signed-in person's own tasks: a task link is its assignee's authority */
  link?: string;
};

/**
 * Who the application waits on now and by when. A task of the signed-in person opens its task page;
 * another person's says whose it is, since its link is theirs alone.
 */
export function OpenTasks({ tasks }: { tasks: OpenTask[] }) {
  const { t, b, lang } = useText();
  return (
    <section aria-labelledby="staff-open-tasks">
      <h2 id="staff-open-tasks">{t('待办事项', 'Open tasks')}</h2>
      {tasks.length === 0 ? (
        <p class="hint">{t('目前没有等待人工办理的事项。', 'Nothing waits on a person now.')}</p>
      ) : (
        <ul class="list">
          {tasks.map((task) => (
            <li key={task.taskId}>
              {task.link ? <a href={task.link}>{b(task.kindTitle)}</a> : b(task.kindTitle)}
              <span class="hint">
                {' '}
                ·{' '}
                {task.mine
                  ? t('我的待办', 'mine')
                  : (task.assignee?.name ?? task.assignee?.email ?? t('系统', 'the system'))}
                {' · '}
                {t('截止', 'due')} {instantText(task.dueAt, lang)}
                {task.answerableUntil &&
                  t(
                    `（${instantText(task.answerableUntil, lang)}前仍可办理）`,
                    ` (answerable until ${instantText(task.answerableUntil, lang)})`,
                  )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
