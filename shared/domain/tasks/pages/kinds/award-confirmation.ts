/**
 * Award confirmation: the department head confirms a call's award proposal. Its proposal is a page of
 * its own (award-proposal.ts); shown as an ordinary task page it has nothing to check and offers its answers.
 */
import { answerFields, answerSection, radios } from './form';
import type { AnswerLabels, KindPage } from './kind-page';

export const AWARD_ANSWERS: AnswerLabels['award-confirmation'] = {
  confirm: { zh: '确认立项建议', en: 'Confirm the proposal' },
  revise: { zh: '退回修改', en: 'Send back for revision' },
};

export const AWARD_CONFIRMATION: KindPage<'award-confirmation'> = {
  title: { zh: '立项建议确认', en: 'Award confirmation' },
  answers: AWARD_ANSWERS,
  checks: () => '',
  material: () => '',
  form: (view) => answerSection(view.postUrl, answerFields(radios('award-confirmation', AWARD_ANSWERS))),
};
