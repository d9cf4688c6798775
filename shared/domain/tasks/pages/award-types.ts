/** One project type of an award proposal: its quota and awards, its priority criteria, and its ranking. */
import { type RankedEntry, prioritiesByRanking } from '@shared/domain/award-ranking';
import type { Call, ProjectType } from '@shared/domain/catalogue';
import { displayScore } from '@shared/domain/scoring';
import { bi, biBlock, esc, para, row } from './frame';
import { moneyText, wan } from './format';
import type { AwardProposalView } from './views';

type ProposedType = AwardProposalView['types'][number];

/** A sum that a missing or broken amount does not turn into NaN. */
export const sumOf = (values: number[]) => values.reduce((total, v) => total + (Number.isFinite(v) ? v : 0), 0);

/** A tie-break the department assumed (spread, submission time), never the notice's. */
const ASSUMED_TIE_BREAK = bi('（学会学术部假设，非通知规定）', " (the department's assumption, not the notice)");

function rankedRow(e: RankedEntry, unitNames: Record<string, string>): string {
  const unit = Object.prototype.hasOwnProperty.call(unitNames, e.unitId) ? unitNames[e.unitId] : e.unitId;
  const score = typeof e.score === 'number' && Number.isFinite(e.score) ? displayScore(e.score) : '—';
  return [
    `<tr${e.awarded ? '' : ' class="out"'}>`,
    `<td class="num">${esc(e.rank)}</td>`,
    `<td>${esc(unit)}</td>`,
    `<td>${esc(e.title)}</td>`,
    `<td class="num">${esc(score)}</td>`,
    `<td class="num">${typeof e.requestedCny === 'number' ? esc(wan(e.requestedCny)) : '—'}</td>`,
    `<td class="num">${e.awarded ? esc(wan(e.amountCny)) : '—'}</td>`,
    `<td>${e.awarded ? '<strong>是</strong>' : '否'}</td>`,
    `<td>${e.tieBreak ? esc(e.tieBreak.reason.zh) + (e.tieBreak.by === 'priority' ? '' : ASSUMED_TIE_BREAK) : ''}</td>`,
    '</tr>',
  ].join('');
}

function unfilledText(t: ProposedType): string {
  if (t.unfilled <= 0) return esc(0);
  return `<strong class="bad">${esc(t.unfilled)}</strong> ${biBlock(
    '空缺名额保持空缺：不由评分不足的申报递补，也不调剂至其他类型。',
    'An unfilled quota stays unfilled: it is not filled by applications with too few scores, nor moved to another type.',
  )}`;
}

/**
 * The type's 同等条件下优先 criteria: which the ranking applied (read from the form) and which it
 * did not (the form cannot show them), for the department head to weigh those themselves.
 */
function typePrioritiesBlock(type: ProjectType | undefined): string {
  if (!type || !type.priorities.length) return '';
  const { applied, notApplied } = prioritiesByRanking(type);
  const list = (items: typeof applied) =>
    `<ul>${items.map((p) => `<li>${biBlock(p.text.zh, p.text.en)}</li>`).join('')}</ul>`;
  return [
    applied.length
      ? `<p>${bi('通知规定的优先条件，已由排名按申请书核对：', "The notice's priority criteria the ranking applied, read from the form:")}</p>${list(applied)}`
      : '',
    notApplied.length
      ? `<div class="warn"><p><strong>${bi(
          '通知规定的优先条件，排名未采用（申请书不含可核对的信息）：',
          "The notice's priority criteria the ranking did NOT apply (the form carries nothing to check them by):",
        )}</strong></p>${list(notApplied)}${para(
          '同分或分数接近时，请您在确认或退回修改时自行斟酌这些条件。',
          'Where scores tie or are close, weigh these yourself when you confirm or send the proposal back.',
        )}</div>`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The ranking down past the cut, and how many more rank below (none of them awarded). */
function rankingTable(t: ProposedType): string {
  if (!t.entries.length)
    return para('本类型没有获得足够评分的申报。', 'No application of this type has enough scores to be ranked.');
  const below = t.ranked - t.entries.length;
  return [
    '<div class="scroll">',
    '<table>',
    `<thead><tr><th>${bi('排名', 'Rank')}</th><th>${bi('申报单位', 'Unit')}</th><th>${bi('项目名称', 'Title')}</th><th>${bi('得分', 'Score')}</th><th>${bi(
      '申请金额（万元）',
      'Requested (CNY 10,000)',
    )}</th><th>${bi('资助金额（万元）', 'Award (CNY 10,000)')}</th><th>${bi('是否资助', 'Awarded')}</th><th>${bi('同分排序说明', 'Tie-break')}</th></tr></thead>`,
    `<tbody>${t.entries.map((e) => rankedRow(e, t.unitNames)).join('')}</tbody>`,
    '</table>',
    '</div>',
    below > 0
      ? para(
          `另有 ${below} 项排名在后，均不资助；确认后可在立项结果清单中查看全部排名。`,
          `${below} more rank below these, none awarded; the whole ranking is in the results once confirmed.`,
        )
      : '',
  ].join('\n');
}

function notScoredDetails(t: ProposedType): string {
  if (!t.notScored.length) return '';
  return `<details><summary>${bi(`评分不足、未参加排名（${t.notScored.length} 项）`, `Not ranked: too few scores (${t.notScored.length})`)}</summary><ul>${t.notScored
    .map((n) => `<li>${esc(n.applicationId)}：<span class="en">${esc(n.reason)}</span></li>`)
    .join('')}</ul></details>`;
}

export function proposedTypeSection(t: ProposedType, call: Call): string {
  const total = sumOf(t.entries.filter((e) => e.awarded).map((e) => e.amountCny));
  return [
    `<section${t.unfilled > 0 ? ' class="warn"' : ''}>`,
    `<h2>${biBlock(t.typeName.zh, t.typeName.en)}</h2>`,
    '<dl class="kv">',
    row('名额', 'Quota', esc(t.quota)),
    row('建议资助', 'Proposed awards', esc(t.awarded)),
    row('空缺名额', 'Unfilled places', unfilledText(t)),
    row('资助金额合计', 'Total funding', moneyText(total)),
    '</dl>',
    typePrioritiesBlock(call.projectTypes.find((p) => p.typeId === t.typeId)),
    rankingTable(t),
    notScoredDetails(t),
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}
