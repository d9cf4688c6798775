/** The page shown instead of a task when its link cannot be used: what happened, and what to do. */
import type { Bilingual } from '@shared/domain/catalogue';
import { bi, biBlock, esc, page, para } from './frame';
import type { LinkProblemCode } from './views';

const PROBLEMS: Record<LinkProblemCode, { title: Bilingual; meaning: Bilingual }> = {
  LINK_INVALID: {
    title: { zh: '链接无效', en: 'This link is not valid' },
    meaning: {
      zh: '链接不完整或已被改动（部分邮件程序会把长链接截断或换行）。请从原邮件中完整复制链接后再打开。',
      en: 'The link is incomplete or was altered (some mail programs cut or wrap long links). Copy the whole link from the email and open it again.',
    },
  },
  LINK_EXPIRED: {
    title: { zh: '链接已失效', en: 'This link has expired' },
    meaning: {
      zh: '此任务已过期、已取消或已被新的任务取代，不再接受答复。如收到新的邮件，请使用新邮件中的链接。',
      en: 'This task has expired, was cancelled or was replaced by a new one, and takes no answer. If you received a newer email, use the link in it.',
    },
  },
  ALREADY_DONE: {
    title: { zh: '此任务已处理', en: 'This task has already been answered' },
    meaning: {
      zh: '此任务已有答复，每个链接只能答复一次，无需再次操作。',
      en: 'This task already has its answer; each link is answered once. Nothing more is needed.',
    },
  },
  NOT_FOUND: {
    title: { zh: '未找到此任务', en: 'Task not found' },
    meaning: {
      zh: '没有与此链接对应的任务。请检查链接是否完整。',
      en: 'No task matches this link. Check that the link is complete.',
    },
  },
  VALIDATION_FAILED: {
    title: { zh: '答复未能登记', en: 'The answer could not be recorded' },
    meaning: {
      zh: '提交的内容有误，未作任何登记。请返回上一页，按下列提示修改后重新提交。',
      en: 'Something in the answer is wrong and nothing was recorded. Go back to the previous page, correct what is listed below and submit again.',
    },
  },
};

/** A refusal, explained: what it means and whom to ask. */
export function renderLinkProblem(
  code: LinkProblemCode,
  message: string,
  details?: { path: string; message: string }[],
): string {
  // a code from a newer version still gets a page
  const problem = PROBLEMS[code] ?? PROBLEMS.LINK_INVALID;
  const list = details ?? [];
  const body = [
    '<section class="warn">',
    `<h1>${biBlock(problem.title.zh, problem.title.en)}</h1>`,
    para(problem.meaning.zh, problem.meaning.en),
    list.length
      ? `<ul>${list.map((d) => `<li>${d.path ? `<strong>${esc(d.path)}</strong>：` : ''}${esc(d.message)}</li>`).join('')}</ul>`
      : '',
    message ? `<p class="en">${esc(message)}</p>` : '',
    '</section>',
    '<section>',
    para(
      '如有疑问，请联系向您发送此邮件的省科协工作人员。',
      'If in doubt, contact the association staff member who sent you the email.',
    ),
    `<p class="en">${bi('错误代码：', 'Code:')} ${esc(code)}</p>`,
    '</section>',
  ].join('\n');
  return page(`${problem.title.zh} ${problem.title.en}`, body);
}
