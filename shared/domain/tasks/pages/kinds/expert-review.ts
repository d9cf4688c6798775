/** Expert review: an expert scores one application on the call's scoring form, or declares a conflict, or declines. */
import type { Bilingual } from '@shared/domain/catalogue';
import { SCORE_FIELD_PREFIX } from '@shared/domain/tasks/link-rules';
import { COMMENT_MAX_CHARS, SCORE_STEPS_PER_POINT, type ScoringCriterion } from '@shared/domain/scoring';
import { b, bi, biBlock, checklist, esc } from '../frame';
import { percent } from '../format';
import { targetsAndBudget } from '../targets-budget';
import type { TaskPageView } from '../views';
import { RECORDED_ON_SUBMISSION, formOpen } from './form';
import type { AnswerLabels, KindPage } from './kind-page';

const ANSWERS: AnswerLabels['expert-review'] = {
  score: { zh: '已评分', en: 'Scored' },
  conflict: { zh: '存在利益冲突，回避', en: 'Conflict of interest: recused' },
  decline: { zh: '不参加评审', en: 'Declined' },
};

/** The rule an expert confirms before scoring. */
const CONFLICT_RULE: Bilingual = {
  zh: '本人不是申报单位成员，未在申报书中列名，也未被申报单位要求回避。',
  en: 'I am not a member of the applying unit, I am not named in the application, and I have not been asked to be avoided.',
};

/** A conflict of interest first, then how to score. */
function expertReviewChecks(view: TaskPageView): string {
  const scoring = view.call.review.scoringForm;
  return [
    '<section class="info">',
    `<h2>${biBlock('评审须知', 'Before you score')}</h2>`,
    checklist([
      [
        '如您是申报单位成员、在申报书中列名，或被申报单位要求回避，即存在利益冲突：请勿评分，在页面下方选择“存在利益冲突，回避”并说明情况。',
        'If you are a member of the applying unit, are named in the application, or were asked to be avoided, you have a conflict of interest: do not score; declare it at the foot of the page and say what it is.',
      ],
      [
        `请按评分表逐项打分（共 ${scoring.criteria.length} 项，可打半分），系统按权重计算加权总分。`,
        `Score each of the form's ${scoring.criteria.length} criteria (whole or half points); the weighted total is computed for you.`,
      ],
      [
        '请独立、公正评审，评审内容请勿外传。',
        'Review independently and fairly, and keep the application confidential.',
      ],
    ]),
    `<p class="hint">${b(scoring.assumptions)}</p>`,
    '</section>',
  ].join('\n');
}

/** One criterion's number input: its name, weight, range and guidance in the label. */
function criterionInput(c: ScoringCriterion): string {
  const id = `score-${c.id}`;
  const range = `${c.min}–${c.max}`;
  return [
    `<label class="field" for="${esc(id)}">${biBlock(c.name.zh, c.name.en)}<span class="hint block">${bi(
      `权重 ${percent(c.weight)} · ${range} 分`,
      `weight ${percent(c.weight)} · ${range} points`,
    )}</span></label>`,
    c.guidance ? `<p class="hint">${biBlock(c.guidance.zh, c.guidance.en)}</p>` : '',
    `<input type="number" id="${esc(id)}" name="${esc(`${SCORE_FIELD_PREFIX}${c.id}`)}" min="${esc(c.min)}" max="${esc(c.max)}" step="${esc(
      1 / SCORE_STEPS_PER_POINT,
    )}" inputmode="decimal" required>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The scores, which the expert gives only after confirming there is no conflict. */
function scoreSection(view: TaskPageView): string {
  const scoring = view.call.review.scoringForm;
  const commentLabel = biBlock(
    `评审意见（${scoring.commentRequired ? '必填' : '可不填'}，不超过 ${COMMENT_MAX_CHARS} 字）`,
    `Comment (${scoring.commentRequired ? 'required' : 'optional'}, up to ${COMMENT_MAX_CHARS} characters)`,
  );
  return [
    '<section>',
    `<h2>${biBlock('评分', 'Your scores')}</h2>`,
    formOpen(view.postUrl),
    '<input type="hidden" name="answer" value="score">',
    `<fieldset><legend>${biBlock('第一步：利益冲突声明', 'First: no conflict of interest')}</legend>`,
    `<label class="choice"><input type="checkbox" name="noConflict" value="yes" required> <span>${biBlock(CONFLICT_RULE.zh, CONFLICT_RULE.en)}</span></label>`,
    '</fieldset>',
    `<fieldset><legend>${biBlock('第二步：逐项评分', 'Then: a score for each criterion')}</legend>`,
    ...scoring.criteria.map(criterionInput),
    '</fieldset>',
    `<label class="field" for="comment">${commentLabel}</label>`,
    `<textarea id="comment" name="comment" rows="6" maxlength="${COMMENT_MAX_CHARS}"${scoring.commentRequired ? ' required' : ''}></textarea>`,
    `<button type="submit">${bi('提交评分', 'Submit scores')}</button>`,
    '</form>',
    RECORDED_ON_SUBMISSION,
    '</section>',
  ].join('\n');
}

/** A conflict (reasons required) and a decline (reasons optional), each a form of its own. */
function cannotReviewSection(view: TaskPageView): string {
  return [
    '<section>',
    `<h2>${biBlock('无法评审此项目', 'If you cannot review this application')}</h2>`,
    formOpen(view.postUrl),
    '<input type="hidden" name="answer" value="conflict">',
    `<label class="field" for="conflictReasons">${biBlock('存在利益冲突：请说明情况（必填，每行一条）', 'A conflict of interest: say what it is (required, one reason per line)')}</label>`,
    '<textarea id="conflictReasons" name="reasons" rows="4" maxlength="4000" required></textarea>',
    `<button type="submit" class="secondary">${bi('存在利益冲突，回避', 'Declare a conflict and recuse')}</button>`,
    '</form>',
    formOpen(view.postUrl),
    '<input type="hidden" name="answer" value="decline">',
    `<label class="field" for="declineReasons">${biBlock('不参加评审的原因（可不填，每行一条）', 'Why you decline (optional, one reason per line)')}</label>`,
    '<textarea id="declineReasons" name="reasons" rows="3" maxlength="4000"></textarea>',
    `<button type="submit" class="secondary">${bi('不参加评审', 'Decline to review')}</button>`,
    '</form>',
    '</section>',
  ].join('\n');
}

export const EXPERT_REVIEW: KindPage<'expert-review'> = {
  title: { zh: '专家评审', en: 'Expert review' },
  answers: ANSWERS,
  checks: expertReviewChecks,
  // an expert scores the targets and the budget too
  material: targetsAndBudget,
  form: (view) => [scoreSection(view), cannotReviewSection(view)].join('\n'),
};
