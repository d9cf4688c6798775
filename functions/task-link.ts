import { renderAnswered, renderLinkProblem, renderTaskPage, type LinkProblemCode } from '@shared/domain/task-pages';
import { answerLinkTask, readLinkTask, taskJson } from '@shared/use-cases/link-task-answers';
import { publicBase } from '@shared/adapters/env';
import { httpHandler, wantsHtml } from './lib/http';

/** The link itself, which the page's form posts back to. */
const selfUrl = (taskId: string, sig: string | undefined) => `${publicBase()}tasks/${encodeURIComponent(taskId)}?sig=${encodeURIComponent(sig ?? '')}`;

/**
 * `GET|POST /tasks/{taskId}?sig=…`: the one link a staff member gets per task. GET shows the task
 * (a page, or JSON with Accept: application/json) and changes nothing; POST answers it once.
 */
export const handler = httpHandler(
  async ({ method, path, query, headers, body }) => {
    const taskId = path.taskId ?? '';
    const postUrl = selfUrl(taskId, query.sig);
    if (method !== 'POST') {
      const context = await readLinkTask(taskId, query.sig, postUrl);
      return wantsHtml(headers) ? { html: renderTaskPage(context.view) } : { body: taskJson(context) };
    }
    const answered = await answerLinkTask(taskId, query.sig, body, postUrl);
    return wantsHtml(headers) ? { html: renderAnswered(answered.view) } : { body: { taskId: answered.task.taskId, state: 'DONE', answer: answered.answer } };
  },
  { errorPage: (code, message, details) => renderLinkProblem(code as LinkProblemCode, message, [...details]) },
);
