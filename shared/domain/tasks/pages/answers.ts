/** An answer once given, and a task that takes no answer (any more): answered, being recorded, expired or cancelled. */
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { TargetOutcome } from '@shared/domain/obligations';
import { type ScoringForm, displayScore } from '@shared/domain/scoring';
import type { TaskAnswer } from '@shared/domain/tasks/record';
import { b, bi, biBlock, esc, para, row } from './frame';
import { dayText, instantStringText, percent } from './format';
import { answerLabel } from './kinds/registry';
import type { TaskPageState } from './views';

/** An expert's scores: each criterion of the form (then any other key given), and the weighted total. */
function scoresTable(scores: Record<string, number>, total: number | undefined, form: ScoringForm | undefined): string {
  const has = (id: string) => Object.prototype.hasOwnProperty.call(scores, id);
  const criteria = form?.criteria ?? [];
  const known = new Set(criteria.map((c) => c.id));
  const rows = [
    ...criteria
      .filter((c) => has(c.id))
      .map(
        (c) =>
          `<tr><td>${b(c.name)}</td><td class="num">${esc(percent(c.weight))}</td><td class="num">${esc(scores[c.id])}</td></tr>`,
      ),
    ...Object.keys(scores)
      .filter((id) => !known.has(id))
      .map((id) => `<tr><td>${esc(id)}</td><td class="num">—</td><td class="num">${esc(scores[id])}</td></tr>`),
  ];
  const totalRow =
    typeof total === 'number' && Number.isFinite(total)
      ? `<tr><th colspan="2">${bi('加权总分', 'Weighted total')}</th><td class="num"><strong>${esc(displayScore(total))}</strong></td></tr>`
      : '';
  return [
    '<table>',
    `<thead><tr><th>${bi('评分项', 'Criterion')}</th><th>${bi('权重', 'Weight')}</th><th>${bi('得分', 'Score')}</th></tr></thead>`,
    `<tbody>${rows.join('')}${totalRow}</tbody>`,
    '</table>',
  ].join('');
}

/** A summary report's review: each target the reviewer judged, met or not (the application's targets first, in order). */
function findingsList(findings: Record<string, boolean>, targets: readonly TargetOutcome[] = []): string {
  const has = (path: string) => Object.prototype.hasOwnProperty.call(findings, path);
  const known = new Set(targets.map((t) => t.path));
  const item = (name: string, met: boolean) =>
    `<li>${esc(name)}：${met ? `<strong>${bi('已完成', 'met')}</strong>` : `<strong class="bad">${bi('未完成', 'not met')}</strong>`}</li>`;
  const items = [
    ...targets.filter((t) => has(t.path)).map((t) => item(`${t.indicator}（${t.target}）`, findings[t.path] === true)),
    ...Object.keys(findings)
      .filter((path) => !known.has(path))
      .map((path) => item(path, findings[path] === true)),
  ];
  const unmet = Object.values(findings).filter((met) => met !== true).length;
  return `<p>${bi(`未完成 ${unmet} 项，共 ${items.length} 项`, `${unmet} of ${items.length} not met`)}</p><ul>${items.join('')}</ul>`;
}

/** What was answered, with whatever the answer carries (reasons, findings, scores, dates). */
export function answerList(
  kind: string,
  answer: TaskAnswer,
  form?: ScoringForm,
  targets?: readonly TargetOutcome[],
): string {
  const label = answerLabel(kind, answer.answer);
  const reasons = (answer.reasons ?? []).filter((r) => r.trim() !== '');
  return [
    '<dl class="kv">',
    row('答复', 'Answer', `<strong>${bi(label.zh, label.en)}</strong>`),
    reasons.length ? row('理由', 'Reasons', `<ol>${reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ol>`) : '',
    answer.targets && Object.keys(answer.targets).length
      ? row('绩效目标完成情况', 'Performance targets', findingsList(answer.targets, targets))
      : '',
    answer.scores ? row('评分', 'Scores', scoresTable(answer.scores, answer.total, form)) : '',
    answer.comment ? row('评审意见', 'Comment', `<div class="pre">${esc(answer.comment)}</div>`) : '',
    answer.receivedOn ? row('收到日期', 'Received on', dayText(answer.receivedOn)) : '',
    answer.correctionDueAt ? row('修改截止', 'Correct by', instantStringText(answer.correctionDueAt)) : '',
    row('答复时间', 'Answered at', instantStringText(answer.answeredAt)),
    '</dl>',
  ].join('\n');
}

const CANCELLED_TEXT: Bilingual = {
  zh: '此任务已取消或已被新的任务取代（例如申报已撤回，或退回修改后将重新审查）。如收到新的邮件，请使用新邮件中的链接。',
  en: 'This task was cancelled or replaced by a new one (for example the application was withdrawn, or will be reviewed again after correction). If you received a newer email, use the link in it.',
};

/** A closed task, as both the task page and the award proposal page tell of it. */
export interface ClosedTask {
  state: TaskPageState;
  kind: string;
  call: Call;
  answer?: TaskAnswer;
  form?: ScoringForm;
  targets?: readonly TargetOutcome[];
  /** why the task no longer works, when the general wording does not fit */
  cancelled?: Bilingual;
}

function answeredSection(task: ClosedTask): string {
  const done = task.state === 'DONE';
  return [
    '<section class="ok">',
    `<h2>${biBlock(
      done ? '此任务已处理' : '答复已收到，正在登记',
      done ? 'This task has already been answered' : 'The answer has been received and is being recorded',
    )}</h2>`,
    task.answer ? answerList(task.kind, task.answer, task.form, task.targets) : '',
    para('无需再次操作。', 'Nothing more is needed.'),
    '</section>',
  ].join('\n');
}

function expiredSection(call: Call): string {
  const department = call.staffReview.department;
  return [
    '<section class="warn">',
    `<h2>${biBlock('此链接已过期', 'This link has expired')}</h2>`,
    para(
      `答复期限已过，此任务不再接受答复。如仍需处理，请联系${department.zh}。`,
      `The time to answer has passed and this task takes no answer. If it still needs handling, contact ${department.en}.`,
    ),
    '</section>',
  ].join('\n');
}

function cancelledSection(text: Bilingual): string {
  return [
    '<section class="warn">',
    `<h2>${biBlock('此链接已失效', 'This link no longer works')}</h2>`,
    para(text.zh, text.en),
    '</section>',
  ].join('\n');
}

/** A task that takes no answer (any more); an open task has nothing to say here. */
export function closedStateSection(task: ClosedTask): string {
  switch (task.state) {
    case 'DONE':
    case 'CLOSING':
      return answeredSection(task);
    case 'EXPIRED':
      return expiredSection(task.call);
    case 'CANCELLED':
      return cancelledSection(task.cancelled ?? CANCELLED_TEXT);
    default:
      return '';
  }
}
