/** Report review: staff accept a report an awarded project handed in, or return it; for a summary, each target met or not. */
import { TARGET_FIELD_PREFIX, TARGET_FINDINGS } from '@shared/domain/tasks/link-rules';
import type { TargetOutcome } from '@shared/domain/obligations';
import { bi, biBlock, checklist, esc } from '../frame';
import { reportSections } from '../report';
import { achievedByPath, submittedFields } from '../report-fields';
import type { ReportReviewView, TaskPageView } from '../views';
import { SUBMIT_BUTTON, answerSection, radios, reasonsField } from './form';
import type { AnswerLabels, KindPage } from './kind-page';

const ANSWERS: AnswerLabels['report-review'] = {
  accept: { zh: '通过', en: 'Accept' },
  return: { zh: '退回修改', en: 'Return for changes' },
};

/** The report and its files, and for a summary each target. */
function reportReviewChecks(view: TaskPageView): string {
  const summary = view.report?.obligation.report === 'summary';
  const items: Array<[string, string]> = [
    [
      '报告内容完整、真实，与申请书及立项内容一致。',
      'The report is complete and truthful, and matches the application as awarded.',
    ],
    [
      '附件齐全：签章的报告（PDF），可附照片；请下载核对。',
      'The files are there: the signed report (PDF), and photos if any; download and check them.',
    ],
  ];
  if (summary)
    items.push([
      '逐项核对绩效目标完成情况：选择“通过”时，须对每项目标选择“已完成”或“未完成”。未完成绩效目标的单位不得申报下一年度项目。',
      "Check each performance target against what was achieved: to accept, mark every target met or not met. A unit with a target not met may not apply to next year's call.",
    ]);
  items.push([
    '需要修改的，请选择“退回修改”并写明意见；单位按原方式重新提交后将再次审核。',
    'If it needs changes, return it and say what to change; the unit hands it in again the same way and it is reviewed again.',
  ]);
  return [
    '<section class="info">',
    `<h2>${biBlock('请核对', 'What to check')}</h2>`,
    checklist(items),
    '</section>',
  ].join('\n');
}

/** One target, met or not (`target.<path>`), beside what the unit says it achieved. */
function targetFindingField(t: TargetOutcome, achieved: Map<string, string>): string {
  const name = `${TARGET_FIELD_PREFIX}${t.path}`;
  const choice = (value: string, zh: string, en: string) =>
    `<label class="choice"><input type="radio" name="${esc(name)}" value="${esc(value)}"> <span>${bi(zh, en)}</span></label>`;
  return [
    `<fieldset><legend>${esc(t.indicator)}</legend>`,
    `<p class="hint">${bi('目标：', 'Target:')} ${esc(t.target)} · ${bi('完成：', 'Achieved:')} ${achieved.has(t.path) ? esc(achieved.get(t.path)) : bi('未填写', 'not given')}</p>`,
    choice(TARGET_FINDINGS.met, '已完成', 'Met'),
    choice(TARGET_FINDINGS.notMet, '未完成', 'Not met'),
    '</fieldset>',
  ].join('\n');
}

/** A summary's review: every target judged, needed to accept. */
function targetFindingFields(report: ReportReviewView): string {
  const targets = report.obligation.targets ?? [];
  if (targets.length === 0) return '';
  const achieved = achievedByPath(report.obligation, submittedFields(report.submission));
  return [
    `<h2>${biBlock('绩效目标完成情况（选择“通过”时逐项必选）', 'Each performance target: met or not (required to accept)')}</h2>`,
    ...targets.map((t) => targetFindingField(t, achieved)),
  ].join('\n');
}

/** Accept or return, for a summary each target met or not, and reasons. */
function reportReviewFields(view: TaskPageView): string {
  return [
    `<fieldset><legend>${biBlock('审核结果', 'Decision')}</legend>`,
    ...radios('report-review', ANSWERS),
    '</fieldset>',
    view.report?.obligation.report === 'summary' ? targetFindingFields(view.report) : '',
    reasonsField('意见（每行一条；选择“退回修改”时必填）', 'Reasons, one per line (required to return it)'),
    SUBMIT_BUTTON,
  ]
    .filter(Boolean)
    .join('\n');
}

export const REPORT_REVIEW: KindPage<'report-review'> = {
  title: { zh: '报告审核', en: 'Report review' },
  answers: ANSWERS,
  checks: reportReviewChecks,
  material: (view) => reportSections(view.call, view.report, view.application.form),
  form: (view) => answerSection(view.postUrl, reportReviewFields(view)),
};
