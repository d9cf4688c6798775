import {
  renderAnswered,
  renderAwardConfirmationPage,
  renderAwardConfirmed,
  renderLinkProblem,
  renderTaskPage,
  type LinkProblemCode,
} from '@shared/domain/tasks/pages';
import { readAwardConfirmation } from '@shared/use-cases/award';
import { answerAwardConfirmationNow } from '@shared/use-cases/call-jobs';
import { replaceIfDeclined } from '@shared/use-cases/expert-review';
import {
  answerLinkTask,
  linkTaskKindOf,
  readLinkTask,
  taskJson,
  type LinkTaskExtras,
} from '@shared/use-cases/tasks/answer-by-link';
import { carryOutIfReportReview } from '@shared/use-cases/obligations';
import { reportUnderReview } from '@shared/use-cases/reports';
import { publicBase } from '@shared/adapters/env';
import { httpHandler, wantsHtml, type HttpRequest, type HttpResult } from './lib/http';

/** The link itself, which the page's form posts back to. */
const selfUrl = (taskId: string, sig: string | undefined) =>
  `${publicBase()}tasks/${encodeURIComponent(taskId)}?sig=${encodeURIComponent(sig ?? '')}`;

/** What the expert review and the reports add to their tasks' links. */
const extras: LinkTaskExtras = {
  view: async (task) => {
    const report = await reportUnderReview(task);
    return report ? { report } : undefined;
  },
  targets: async (task) => {
    const report = await reportUnderReview(task);
    return report?.obligation.report === 'summary' ? report.obligation.targets : undefined;
  },
  afterClaim: async (claimed, at) => {
    await replaceIfDeclined(claimed, at);
    await carryOutIfReportReview(claimed, at);
  },
};

/** The department head's link to a call's award proposal. */
async function awardConfirmation({ method, path, query, headers, body }: HttpRequest): Promise<HttpResult> {
  const taskId = path.taskId ?? '';
  const postUrl = selfUrl(taskId, query.sig);
  if (method !== 'POST') {
    const { task, header, view } = await readAwardConfirmation(taskId, query.sig, postUrl);
    return wantsHtml(headers)
      ? { html: renderAwardConfirmationPage(view) }
      : {
          body: {
            taskId,
            kind: task.kind,
            state: view.state,
            answers: ['confirm', 'revise'],
            proposal: { ...header, types: view.types },
          },
        };
  }
  const answered = await answerAwardConfirmationNow(taskId, query.sig, body, postUrl);
  return wantsHtml(headers)
    ? { html: renderAwardConfirmed(answered.view) }
    : { body: { taskId, state: 'DONE', answer: answered.answer, version: answered.header.version } };
}

/**
 * `GET|POST /tasks/{taskId}?sig=…`: the one link a person gets per task (staff, an expert, the
 * department head). GET shows the task (a page, or JSON with Accept: application/json) and changes
 * nothing; POST answers it once.
 */
export const handler = httpHandler(
  async (request) => {
    const { method, path, query, headers, body } = request;
    const taskId = path.taskId ?? '';
    if ((await linkTaskKindOf(taskId)) === 'award-confirmation') return awardConfirmation(request);
    const postUrl = selfUrl(taskId, query.sig);
    if (method !== 'POST') {
      const context = await readLinkTask(taskId, query.sig, postUrl, extras);
      return wantsHtml(headers) ? { html: renderTaskPage(context.view) } : { body: taskJson(context) };
    }
    const answered = await answerLinkTask(taskId, query.sig, body, postUrl, extras);
    return wantsHtml(headers)
      ? { html: renderAnswered(answered.view) }
      : { body: { taskId: answered.task.taskId, state: 'DONE', answer: answered.answer } };
  },
  { errorPage: (code, message, details) => renderLinkProblem(code as LinkProblemCode, message, [...details]) },
);
