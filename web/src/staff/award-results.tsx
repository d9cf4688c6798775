import { api } from '../api';
import { moneyText, useText } from '../i18n';
import type { Results } from './award-types';
import { RoundError, ScrollTable, downloadCsv, useAction } from './round-common';

/** Publishing the confirmed results, and the API's CSV of them. */
export function Publish({
  callId,
  results,
  onPublished,
}: {
  callId: string;
  results: Results;
  onPublished: () => void;
}) {
  const { t } = useText();
  const publish = useAction<unknown>();
  const download = useAction<void>();
  const publishNow = async () => {
    const done = await publish.run(
      t(
        '确定公布立项结果吗？公布后任何人都能看到立项名单，此操作不能撤销。',
        'Publish the results? Anyone can then read the awarded list; this cannot be undone.',
      ),
      () => api('POST', `/calls/${encodeURIComponent(callId)}/results/publish`),
    );
    if (done) onPublished();
  };
  return (
    <section class="card" aria-labelledby="award-results">
      <h2 id="award-results">{t('立项结果', 'Results')}</h2>
      <div class="actions">
        {!results.published && (
          <button type="button" onClick={() => void publishNow()} disabled={publish.busy}>
            {t('公布立项结果', 'Publish the results')}
          </button>
        )}
        <button
          type="button"
          class="secondary"
          disabled={download.busy}
          onClick={() =>
            void download.run(undefined, () =>
              downloadCsv(`/calls/${encodeURIComponent(callId)}/results`, `${callId}-results.csv`),
            )
          }
        >
          {t('下载立项结果（CSV）', 'Download the results (CSV)')}
        </button>
      </div>
      {publish.error && <RoundError error={publish.error} />}
      {download.error && <RoundError error={download.error} />}
      {publish.done !== undefined && !publish.error && (
        <p role="status">{t('立项结果已公布。', 'The results are published.')}</p>
      )}
    </section>
  );
}

/** The confirmed ranking, when this page did not propose it itself. */
export function ResultTable({ results }: { results: Results }) {
  const { t, lang } = useText();
  return (
    <section aria-labelledby="award-ranking">
      <h2 id="award-ranking">{t('确认的排名', 'The confirmed ranking')}</h2>
      <ScrollTable wide label={t('确认的排名', 'The confirmed ranking')}>
        <thead>
          <tr>
            <th scope="col">{t('项目类型', 'Type')}</th>
            <th scope="col" class="num">
              {t('排名', 'Rank')}
            </th>
            <th scope="col">{t('项目名称', 'Title')}</th>
            <th scope="col">{t('申报单位', 'Unit')}</th>
            <th scope="col" class="num">
              {t('得分', 'Score')}
            </th>
            <th scope="col" class="num">
              {t('资助金额', 'Amount')}
            </th>
            <th scope="col">{t('立项', 'Awarded')}</th>
          </tr>
        </thead>
        <tbody>
          {results.rows.map((row) => (
            <tr key={`${row.projectTypeId}-${row.rank}`}>
              <td>{row.type}</td>
              <td class="num">{row.rank}</td>
              <th scope="row">{row.title}</th>
              <td>{row.unit}</td>
              <td class="num">{row.score}</td>
              <td class="num">{row.awarded ? moneyText(row.amountCny, lang) : '—'}</td>
              <td>{row.awarded ? t('是', 'yes') : t('否', 'no')}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}
