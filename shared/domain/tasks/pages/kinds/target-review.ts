/** Performance-target review: staff judge the targets and the budget against the type's requirements. */
import { biBlock, checklist } from '../frame';
import { requirementsList, targetsAndBudget } from '../targets-budget';
import type { TaskPageView } from '../views';
import { SUBMIT_BUTTON, answerSection, radios, reasonsField } from './form';
import type { AnswerLabels, KindPage } from './kind-page';

const ANSWERS: AnswerLabels['target-review'] = {
  pass: { zh: '通过', en: 'Pass' },
  fail: { zh: '不通过', en: 'Fail' },
};

/** The targets against the type's requirements, and the budget. */
function targetReviewChecks(view: TaskPageView): string {
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist([
      [
        '绩效目标完整、具体、可衡量（产出、效益、满意度指标）。',
        'The targets are complete, specific and measurable (output, effect, satisfaction).',
      ],
      ['目标与本类型的要求一致：', "The targets match this type's requirements:"],
    ]),
    requirementsList(view.type),
    checklist([
      ['预算与目标相符，申请经费在本类型资助额度内。', "The budget fits the targets and is within the type's funding."],
      [
        '未通过绩效目标审核的申报不进入下一阶段评审。',
        'An application that fails this review does not go on to the next stage.',
      ],
    ]),
    '</section>',
  ].join('\n');
}

/** Pass or fail, with reasons. */
function targetReviewFields(): string {
  return [
    `<fieldset><legend>${biBlock('审核结果', 'Decision')}</legend>`,
    ...radios('target-review', ANSWERS),
    '</fieldset>',
    reasonsField('理由（每行一条；选择“不通过”时必填）', 'Reasons, one per line (required for fail)'),
    SUBMIT_BUTTON,
  ].join('\n');
}

export const TARGET_REVIEW: KindPage<'target-review'> = {
  title: { zh: '绩效目标审核', en: 'Performance-target review' },
  answers: ANSWERS,
  checks: targetReviewChecks,
  material: targetsAndBudget,
  form: (view) => answerSection(view.postUrl, targetReviewFields()),
};
