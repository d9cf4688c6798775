/** Paper copy: staff record the day the stamped paper application arrived. */
import { beijingDateTimeEn, beijingDateTimeZh } from '@shared/domain/beijing-dates';
import { bi, biBlock, checklist } from '../frame';
import { isValidDate } from '../format';
import type { TaskPageView } from '../views';
import { DATE_INPUT_ATTRS, answerSection } from './form';
import type { AnswerLabels, KindPage } from './kind-page';

const ANSWERS: AnswerLabels['paper-copy'] = { received: { zh: '已收到', en: 'Received' } };

/** The copy itself, its count and seal, and until when it counts. */
function paperCopyChecks(view: TaskPageView): string {
  const { call } = view;
  const copies = call.paperCopy?.copies ?? 1;
  const items: Array<[string, string]> = [
    ['纸质申请书与网上提交的内容一致。', 'The paper copy is the application submitted online.'],
    [`份数：${copies} 份。`, `Copies: ${copies}.`],
  ];
  if (call.paperCopy?.sealRequired) items.push(['加盖申报单位公章。', "It bears the unit's official seal."]);
  const deadline = new Date(call.paperCopyDeadline);
  const until = view.answerableUntil;
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist(items),
    isValidDate(deadline)
      ? `<p>${biBlock(
          `只有在纸质材料截止时间 ${beijingDateTimeZh(deadline)}（北京时间）前收到的纸质申请书有效，逾期不予受理。`,
          `Only copies received by the paper deadline, ${beijingDateTimeEn(deadline)} (Beijing time), count; late copies are not accepted.`,
        )}</p>`
      : '',
    isValidDate(until)
      ? `<p>${biBlock(
          `截止前收到的材料可登记至 ${beijingDateTimeZh(until)}（北京时间）。`,
          `Copies received in time may be recorded until ${beijingDateTimeEn(until)} (Beijing time).`,
        )}</p>`
      : '',
    '</section>',
  ].join('\n');
}

/** The one answer is implied: the form asks only for the date it arrived. */
function paperCopyFields(): string {
  return [
    '<input type="hidden" name="answer" value="received">',
    `<label class="field" for="receivedOn">${biBlock('收到纸质申请书的日期', 'The date the stamped copy arrived')}</label>`,
    `<input type="date" id="receivedOn" name="receivedOn" required ${DATE_INPUT_ATTRS}>`,
    `<button type="submit">${bi(ANSWERS.received.zh, ANSWERS.received.en)}</button>`,
  ].join('\n');
}

export const PAPER_COPY: KindPage<'paper-copy'> = {
  title: { zh: '纸质申请书签收', en: 'Paper copy received' },
  answers: ANSWERS,
  checks: paperCopyChecks,
  material: () => '',
  form: (view) => answerSection(view.postUrl, paperCopyFields()),
};
