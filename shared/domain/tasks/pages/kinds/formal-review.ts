/** Formal review: staff confirm the form meets the notice, after the automatic check. */
import { isoDateEn, isoDateZh } from '@shared/domain/beijing-dates';
import { b, biBlock, checklist, para } from '../frame';
import { requirementsList } from '../targets-budget';
import type { TaskPageView } from '../views';
import { DATE_INPUT_ATTRS, SUBMIT_BUTTON, answerSection, radios, reasonsField } from './form';
import type { AnswerLabels, KindPage } from './kind-page';

const ANSWERS: AnswerLabels['formal-review'] = {
  pass: { zh: '通过', en: 'Pass' },
  return: { zh: '退回修改', en: 'Return for correction' },
  reject: { zh: '不予受理', en: 'Reject' },
};

/** The form, the type's limits and requirements, and the automatic check's findings. */
function formalReviewChecks(view: TaskPageView): string {
  const { type } = view;
  const reasons = view.application.formalCheckReasons ?? [];
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist([
      ['申请书各项内容填写完整、真实，符合通知要求。', 'The form is complete and truthful and meets the notice.'],
      [
        `项目在 ${isoDateZh(type.finishBy)} 前完成，申请经费在本类型资助额度内。`,
        `The project finishes by ${isoDateEn(type.finishBy)} and the request is within the type's funding.`,
      ],
      ['符合本类型的申报要求：', "It meets this type's requirements:"],
    ]),
    requirementsList(type),
    reasons.length
      ? `<h2>${biBlock('自动形式审查提示', 'Findings of the automatic check')}</h2><ul>${reasons.map((r) => `<li>${b(r.text)}</li>`).join('')}</ul>`
      : para('自动形式审查未发现问题。', 'The automatic check found nothing wrong.'),
    '</section>',
  ].join('\n');
}

/** Pass, return (with reasons and an optional date to correct by) or reject. */
function formalReviewFields(): string {
  return [
    `<fieldset><legend>${biBlock('审查结果', 'Decision')}</legend>`,
    ...radios('formal-review', ANSWERS),
    '</fieldset>',
    reasonsField(
      '理由（每行一条；选择“退回修改”或“不予受理”时必填）',
      'Reasons, one per line (required for return and reject)',
    ),
    `<label class="field" for="correctionDueOn">${biBlock('修改截止日期（仅“退回修改”时填写，可不填）', 'Correct by (for return only; optional)')}</label>`,
    `<input type="date" id="correctionDueOn" name="correctionDueOn" ${DATE_INPUT_ATTRS}>`,
    SUBMIT_BUTTON,
  ].join('\n');
}

export const FORMAL_REVIEW: KindPage<'formal-review'> = {
  title: { zh: '形式审查确认', en: 'Formal review' },
  answers: ANSWERS,
  checks: formalReviewChecks,
  material: () => '',
  form: (view) => answerSection(view.postUrl, formalReviewFields()),
};
