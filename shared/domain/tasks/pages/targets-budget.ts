/** The application's type requirements, performance targets and budget: what a target review and an expert judge. */
import type { ApplicationForm, Indicator } from '@shared/domain/application-form';
import { type ProjectType, fundingAllows } from '@shared/domain/catalogue';
import { PERFORMANCE_TARGET_GROUPS } from '@shared/domain/formal-check';
import { b, bi, biBlock, esc, para, row } from './frame';
import { fundingText, groupThousands, moneyText } from './format';
import type { TaskPageView } from './views';

export function requirementsList(type: ProjectType): string {
  if (type.requirements.length === 0) {
    return `${para('通知对本类型没有可逐项核对的量化要求，请对照类型目标审核：', 'The notice sets no checkable requirement for this type; review against its objective:')}<p>${b(type.objective)}</p>`;
  }
  return `<ul>${type.requirements.map((r) => `<li>${b(r.text)}</li>`).join('')}</ul>`;
}

function indicatorRows(indicators: readonly Indicator[]): string {
  return indicators
    .map(
      (i) =>
        `<tr><td>${esc(i.name)}</td><td class="num">${esc(typeof i.target === 'number' ? groupThousands(i.target) : i.target)}</td><td>${esc(i.unit)}</td></tr>`,
    )
    .join('');
}

/** The indicators at a dotted path of the form; a form that lacks the path has none there. */
function indicatorsAt(form: ApplicationForm, path: string): readonly Indicator[] {
  let cur: unknown = form;
  for (const seg of path.split('.')) {
    cur =
      cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg)
        ? (cur as Record<string, unknown>)[seg]
        : undefined;
  }
  return Array.isArray(cur) ? (cur as Indicator[]) : [];
}

export function targetsSection(form: ApplicationForm): string {
  const groups = PERFORMANCE_TARGET_GROUPS.map((g) => {
    const list = indicatorsAt(form, g.path);
    const body = list.length
      ? indicatorRows(list)
      : `<tr><td colspan="3" class="bad">${bi('未填写', 'none given')}</td></tr>`;
    return `<tr><th colspan="3">${b(g.name)}</th></tr>${body}`;
  }).join('');
  return [
    '<section>',
    `<h2>${biBlock('绩效目标', 'Performance targets')}</h2>`,
    '<table>',
    `<thead><tr><th>${bi('指标', 'Indicator')}</th><th>${bi('目标值', 'Target')}</th><th>${bi('单位', 'Unit')}</th></tr></thead>`,
    `<tbody>${groups}</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

/** The budget's items and their total, flagged when the total is not the amount requested. */
function budgetTable(budget: ApplicationForm['budget']): string {
  const sum = budget.items.reduce((total, i) => total + i.amountCny, 0);
  const differs =
    sum === budget.requestedCny
      ? ''
      : ` <span class="bad">${bi('与申请经费不一致', 'differs from the request')}</span>`;
  return [
    '<table>',
    `<thead><tr><th>${bi('支出项目', 'Item')}</th><th>${bi('金额（元）', 'CNY')}</th></tr></thead>`,
    '<tbody>',
    budget.items
      .map((i) => `<tr><td>${esc(i.name)}</td><td class="num">${esc(groupThousands(i.amountCny))}</td></tr>`)
      .join(''),
    `<tr><th>${bi('合计', 'Total')}</th><td class="num"><strong>${esc(groupThousands(sum))}</strong>${differs}</td></tr>`,
    '</tbody>',
    '</table>',
  ].join('\n');
}

export function budgetSection(form: ApplicationForm, type: ProjectType): string {
  const budget = form.budget;
  const within = fundingAllows(type, budget.requestedCny);
  return [
    '<section>',
    `<h2>${biBlock('经费预算', 'Budget')}</h2>`,
    '<dl class="kv">',
    row('申请经费', 'Requested', moneyText(budget.requestedCny)),
    row('本类型资助额度', "This type's funding", fundingText(type)),
    row(
      '是否在额度内',
      'Within the funding',
      within ? bi('是', 'yes') : `<span class="bad">${bi('否，超出或低于资助额度', 'no: outside the funding')}</span>`,
    ),
    budget.matchingFundsCny !== undefined
      ? row('自筹配套经费', 'Matching funds', moneyText(budget.matchingFundsCny))
      : '',
    '</dl>',
    budgetTable(budget),
    '</section>',
  ].join('\n');
}

/** The targets and the budget, each in a section of its own. */
export const targetsAndBudget = (view: TaskPageView): string =>
  [targetsSection(view.application.form), budgetSection(view.application.form, view.type)].join('\n');
