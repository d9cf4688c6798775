/** The page a task link opens for one application, and the confirmation once it was answered. */
import { answerList, closedStateSection } from './answers';
import { applicationSection } from './application';
import { bi, biBlock, callHeader, esc, page, para } from './frame';
import { instantText } from './format';
import { answerFields, answerSection } from './kinds/form';
import { kindPage, kindTitle } from './kinds/registry';
import type { TaskPageView } from './views';

function headSection(view: TaskPageView): string {
  const title = kindTitle(view.kind);
  return [
    '<section>',
    `<h1>${biBlock(title.zh, title.en)}</h1>`,
    `<p>${biBlock(`${view.assignee.name}，您好：`, `For ${view.assignee.name}`)}</p>`,
    `<p>${bi('项目：', 'Application:')} <strong>${esc(view.application.title)}</strong></p>`,
    view.kind === 'report-review' ? `<p>${bi('申报单位：', 'Unit:')} ${esc(view.application.unitName)}</p>` : '',
    `<p class="due">${bi('截止时间：', 'Due:')} ${instantText(view.dueAt)}</p>`,
    // a paper copy's checks say until when it may be recorded, in their own words
    view.answerableUntil && view.kind !== 'paper-copy'
      ? `<p>${bi('可答复至：', 'Answers taken until:')} ${instantText(view.answerableUntil)}</p>`
      : '',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

function closedSection(view: TaskPageView): string {
  return closedStateSection({ ...view, form: view.call.review.scoringForm, targets: view.report?.obligation.targets });
}

/** The page a task link opens: the application, what to check, and the form (only while OPEN). */
export function renderTaskPage(view: TaskPageView): string {
  const kind = kindPage(view.kind);
  const open = view.state === 'OPEN';
  const body = [
    headSection(view),
    open ? '' : closedSection(view),
    kind?.checks(view) ?? '',
    kind?.material(view) ?? '',
    applicationSection(view),
    // a kind this code does not know still takes an answer, though it offers none to choose
    open ? (kind?.form(view) ?? answerSection(view.postUrl, answerFields([]))) : '',
  ]
    .filter(Boolean)
    .join('\n');
  const title = kindTitle(view.kind);
  return page(`${title.zh} · ${view.application.title}`, body, callHeader(view.call));
}

/** The confirmation after the form was posted: what was recorded. */
export function renderAnswered(view: TaskPageView): string {
  const title = kindTitle(view.kind);
  const body = [
    '<section class="ok">',
    `<h1>${biBlock('已登记', 'Recorded')}</h1>`,
    `<p>${bi(`${title.zh}：`, `${title.en}:`)} <strong>${esc(view.application.title)}</strong></p>`,
    `<p>${bi('申报单位：', 'Unit:')} ${esc(view.application.unitName)} · ${bi('申报编号：', 'Application id:')} ${esc(view.application.applicationId)}</p>`,
    view.answer
      ? answerList(view.kind, view.answer, view.call.review.scoringForm, view.report?.obligation.targets)
      : para('您的答复已收到。', 'Your answer has been received.'),
    para(
      '工作流程将据此继续，此链接已失效。您可以关闭此页面。',
      'The workflow goes on from here, and this link no longer works. You may close this page.',
    ),
    '</section>',
  ].join('\n');
  return page(`已登记 Recorded · ${view.application.title}`, body, callHeader(view.call));
}
