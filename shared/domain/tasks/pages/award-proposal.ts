/** The award proposal of a whole call, as the department head confirms it or sends it back. */
import { AWARD_AMOUNT_RULE } from '@shared/domain/award-ranking';
import type { Bilingual } from '@shared/domain/catalogue';
import { answerList, closedStateSection } from './answers';
import { proposedTypeSection, sumOf } from './award-types';
import { b, bi, biBlock, callHeader, esc, page, para, row } from './frame';
import { instantStringText, instantText, moneyText } from './format';
import { AWARD_ANSWERS, AWARD_CONFIRMATION } from './kinds/award-confirmation';
import { SUBMIT_BUTTON, answerSection, radios, reasonsField } from './kinds/form';
import type { AwardProposalView } from './views';

const KIND = 'award-confirmation';

function awardHeadSection(view: AwardProposalView, title: Bilingual): string {
  return [
    '<section>',
    `<h1>${biBlock(title.zh, title.en)}</h1>`,
    `<p>${biBlock(`${view.assignee.name}，您好：`, `For ${view.assignee.name}`)}</p>`,
    `<p>${b(view.call.title)}</p>`,
    '<dl class="kv">',
    row('建议版本', 'Version', esc(view.version)),
    row('生成时间', 'Proposed at', instantStringText(view.proposedAt)),
    '</dl>',
    `<p class="due">${bi('截止时间：', 'Due:')} ${instantText(view.dueAt)}</p>`,
    '</section>',
  ].join('\n');
}

/** How the ranking was made: the notice's rule, then the tie-breaks the department assumed. */
function rankingRules(view: AwardProposalView): string {
  const { furtherTieBreaks, assumptions } = view.call.awardRanking;
  return [
    para(AWARD_AMOUNT_RULE.zh, AWARD_AMOUNT_RULE.en),
    para(
      '各类型按专家评分从高到低排序，名额从排名第一起依次资助。同分时，先按通知规定的“同等条件下优先”条件满足项数多者在前（仅限能从申请书核对的条件；未采用的条件见各类型）。',
      "Each type is ranked by the experts' score and the quota awarded from the top. Ties are broken first by the notice's priority criteria met, more first (only those the form can show; each type names those not applied).",
    ),
    `<p>${biBlock(
      `其后依次：${furtherTieBreaks.map((t) => t.text.zh).join('；')}。${assumptions.zh}`,
      `Then: ${furtherTieBreaks.map((t) => t.text.en).join('; ')}. ${assumptions.en}`,
    )}</p>`,
  ].join('\n');
}

function awardSummarySection(view: AwardProposalView): string {
  const awarded = sumOf(view.types.map((t) => t.awarded));
  const unfilled = sumOf(view.types.map((t) => Math.max(0, t.unfilled)));
  const funding = sumOf(view.types.flatMap((t) => t.entries.filter((e) => e.awarded).map((e) => e.amountCny)));
  return [
    '<section class="info">',
    `<h2>${biBlock('建议概要', 'The proposal in short')}</h2>`,
    '<dl class="kv">',
    row('项目类型', 'Project types', esc(view.types.length)),
    row('建议资助项目', 'Proposed awards', esc(awarded)),
    row('资助金额合计', 'Total funding', moneyText(funding)),
    row('空缺名额', 'Unfilled places', esc(unfilled)),
    '</dl>',
    rankingRules(view),
    '</section>',
  ].join('\n');
}

function awardFormSection(view: AwardProposalView): string {
  const fields = [
    `<fieldset><legend>${biBlock('确认结果', 'Decision')}</legend>`,
    ...radios(KIND, AWARD_ANSWERS),
    '</fieldset>',
    reasonsField(
      '理由（每行一条；选择“退回修改”时必填）',
      'Reasons, one per line (required to send it back for revision)',
    ),
    SUBMIT_BUTTON,
  ].join('\n');
  return answerSection(view.postUrl, fields);
}

const AWARD_CANCELLED: Bilingual = {
  zh: '此任务已取消或已被新的任务取代（例如立项建议已修改为新版本）。如收到新的邮件，请使用新邮件中的链接。',
  en: 'This task was cancelled or replaced by a new one (for example the proposal was revised into a new version). If you received a newer email, use the link in it.',
};

/** The award proposal of a call: per type the quota, the awards, the unfilled places and the ranking; the form only while OPEN. */
export function renderAwardConfirmationPage(view: AwardProposalView): string {
  const title = AWARD_CONFIRMATION.title;
  const open = view.state === 'OPEN';
  const { state, call, answer } = view;
  const body = [
    awardHeadSection(view, title),
    open ? '' : closedStateSection({ state, kind: KIND, call, answer, cancelled: AWARD_CANCELLED }),
    awardSummarySection(view),
    ...view.types.map((t) => proposedTypeSection(t, view.call)),
    open ? awardFormSection(view) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return page(`${title.zh} · ${view.call.title.zh}`, body, callHeader(view.call));
}

const REVISING: Bilingual = {
  zh: '立项建议已退回修改，修改后将生成新版本并再次请您确认。',
  en: 'The proposal goes back for revision; a new version will be sent to you to confirm.',
};
const CONFIRMED: Bilingual = {
  zh: '立项建议已确认，各申报将据此完成评审。',
  en: 'The proposal is confirmed, and each application is decided by it.',
};

/** The confirmation after the award proposal was answered: what was recorded. */
export function renderAwardConfirmed(view: AwardProposalView): string {
  const title = AWARD_CONFIRMATION.title;
  const next = view.answer?.answer === 'revise' ? REVISING : CONFIRMED;
  const body = [
    '<section class="ok">',
    `<h1>${biBlock('已登记', 'Recorded')}</h1>`,
    `<p>${bi(`${title.zh}：`, `${title.en}:`)} <strong>${b(view.call.title)}</strong></p>`,
    `<p>${bi('建议版本：', 'Version:')} ${esc(view.version)} · ${bi('生成时间：', 'Proposed at:')} ${instantStringText(view.proposedAt)}</p>`,
    view.answer ? answerList(KIND, view.answer) : para('您的答复已收到。', 'Your answer has been received.'),
    view.answer ? para(next.zh, next.en) : '',
    para('此链接已失效。您可以关闭此页面。', 'This link no longer works. You may close this page.'),
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
  return page(`已登记 Recorded · ${view.call.title.zh}`, body, callHeader(view.call));
}
