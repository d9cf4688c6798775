import { instantText, moneyText, useText } from '../i18n';
import type { Proposal, ProposalType } from './award-types';
import { ScrollTable } from './round-common';

/** The proposal's ranked table per type, with tie-break reasons and unfilled places. */
export function ProposalTables({ proposal }: { proposal: Proposal }) {
  const { t, b, lang } = useText();
  const ranked = proposal.types.filter((type) => type.ranked > 0 || type.notScored.length > 0);
  const empty = proposal.types.filter((type) => !ranked.includes(type));
  return (
    <section aria-labelledby="award-proposal">
      <h2 id="award-proposal">
        {t(`立项建议（第${proposal.version}版）`, `The proposal (version ${proposal.version})`)}
      </h2>
      <p class="hint">
        {t('提出于', 'Proposed')} {instantText(proposal.proposedAt, lang)} · {t('资助总额', 'Total')}{' '}
        {moneyText(proposal.totalCny, lang)}
      </p>
      {ranked.map((type) => (
        <TypeRanking key={type.typeId} type={type} />
      ))}
      {empty.length > 0 && (
        <section aria-labelledby="award-empty" class="award-type">
          <h3 id="award-empty">{t('无申报参加排名的类型', 'Types with no application ranked')}</h3>
          <ul class="list">
            {empty.map((type) => (
              <li key={type.typeId}>
                {b(type.typeName)}
                {t(`：名额${type.quota}项全部空缺`, `: all ${type.quota} place(s) unfilled`)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

/** One type's ranking: its quota and what the proposal fills, the table, and what was not ranked. */
function TypeRanking({ type }: { type: ProposalType }) {
  const { t, b } = useText();
  return (
    <section aria-labelledby={`type-${type.typeId}`} class="award-type">
      <h3 id={`type-${type.typeId}`}>{b(type.typeName)}</h3>
      <p>
        {t(
          `名额${type.quota}项，建议立项${type.awarded}项，空缺${type.unfilled}项；参加排名${type.ranked}项。`,
          `Quota ${type.quota}, proposed ${type.awarded}, unfilled ${type.unfilled}; ${type.ranked} ranked.`,
        )}
        {type.entries.length < type.ranked &&
          t(
            `此处列出前${type.entries.length}名，确认后可下载全部名次。`,
            ` The first ${type.entries.length} are shown; every rank is in the results once confirmed.`,
          )}
      </p>
      {type.unfilled > 0 && (
        <p class="todo">{t(`${type.unfilled}个名额空缺（不递补）。`, `${type.unfilled} place(s) left unfilled.`)}</p>
      )}
      <RankingTable type={type} />
      {type.notScored.length > 0 && (
        <>
          <p>{t('未参加排名（评分不足）：', 'Not ranked (short of scores):')}</p>
          <ul>
            {type.notScored.map((n) => (
              <li key={n.applicationId}>
                <code>{n.applicationId}</code>：{n.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function RankingTable({ type }: { type: ProposalType }) {
  const { t, b, lang } = useText();
  return (
    <ScrollTable wide label={t(`${b(type.typeName)}排名`, `${b(type.typeName)}: ranking`)}>
      <thead>
        <tr>
          <th scope="col" class="num">
            {t('排名', 'Rank')}
          </th>
          <th scope="col">{t('项目名称', 'Title')}</th>
          <th scope="col">{t('申报单位', 'Unit')}</th>
          <th scope="col" class="num">
            {t('得分', 'Score')}
          </th>
          <th scope="col" class="num">
            {t('申请金额', 'Requested')}
          </th>
          <th scope="col" class="num">
            {t('资助金额', 'Amount')}
          </th>
          <th scope="col">{t('建议', 'Proposed')}</th>
          <th scope="col" class="reason">
            {t('同分排序理由', 'Tie-break')}
          </th>
        </tr>
      </thead>
      <tbody>
        {type.entries.map((entry) => (
          <tr key={entry.applicationId} class={entry.awarded ? 'awarded' : undefined}>
            <td class="num">{entry.rank}</td>
            <th scope="row">{entry.title}</th>
            <td>{entry.unitName}</td>
            <td class="num">{entry.score.toFixed(2)}</td>
            <td class="num">{moneyText(entry.requestedCny, lang)}</td>
            <td class="num">{entry.awarded ? moneyText(entry.amountCny, lang) : '—'}</td>
            <td>{entry.awarded ? t('立项', 'Award') : t('不立项', 'Not awarded')}</td>
            <td class="reason">{entry.tieBreak ? b(entry.tieBreak.reason) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
