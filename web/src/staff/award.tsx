import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { instantText, moneyText, useText, type Bilingual } from '../i18n';
import { Loading, useLoad } from '../load';
import { CallPicker, RoundError, ScrollTable, downloadCsv, useAction, useCallChoice } from './round-common';

/** One ranked application of a proposal (`POST /calls/{callId}/award-proposal`). */
interface ProposalEntry {
  applicationId: string;
  unitId: string;
  unitName: string;
  title: string;
  rank: number;
  score: number;
  awarded: boolean;
  requestedCny: number;
  amountCny: number;
  tieBreak?: { with: string[]; by: string; reason: Bilingual };
}

interface ProposalType {
  typeId: string;
  typeName: Bilingual;
  quota: number;
  awarded: number;
  unfilled: number;
  ranked: number;
  notScored: Array<{ applicationId: string; reason: string }>;
  entries: ProposalEntry[];
}

interface Proposal {
  callId: string;
  version: number;
  proposedAt: string;
  state: string;
  totalCny: number;
  types: ProposalType[];
}

/** `GET /calls/{callId}/results` (staff, once confirmed). */
interface Results {
  callId: string;
  confirmedAt?: string;
  published: boolean;
  publishedAt?: string;
  rows: Array<{
    projectTypeId: string;
    type: string;
    rank: number;
    unit: string;
    title: string;
    score: string;
    requestedCny: number;
    amountCny: number;
    awarded: boolean;
  }>;
  page: number;
  pages: number;
}

/** The results if the award is confirmed; `undefined` while it is not (the API's STAGE_NOT_READY). */
async function confirmedResults(callId: string): Promise<Results | undefined> {
  try {
    return await api<Results>('GET', `/calls/${encodeURIComponent(callId)}/results`);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'STAGE_NOT_READY') return undefined;
    throw error;
  }
}

/** The proposal made from this browser, kept so the table is still there after a reload. */
const proposalKey = (callId: string) => `gdast.proposal.${callId}`;
function keptProposal(callId: string): Proposal | undefined {
  try {
    const kept = sessionStorage.getItem(proposalKey(callId));
    return kept ? (JSON.parse(kept) as Proposal) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The award (staff): propose it (the ranked table per type with its tie-breaks and unfilled
 * places), see whether the department head has confirmed it, publish the results and download
 * them as the API's CSV.
 */
export function AwardPage() {
  const { t } = useText();
  const choice = useCallChoice();
  return (
    <>
      <h1>{t('立项', 'Award')}</h1>
      {choice.error && <RoundError error={choice.error} />}
      <CallPicker calls={choice.calls} callId={choice.callId} />
      {choice.callId ? <Award callId={choice.callId} key={choice.callId} /> : !choice.error && <Loading />}
    </>
  );
}

function Award({ callId }: { callId: string }) {
  const { t } = useText();
  const results = useLoad(() => confirmedResults(callId), [callId]);
  const [proposal, setProposal] = useState<Proposal | undefined>(() => keptProposal(callId));
  const propose = useAction<Proposal>();
  const confirmed = results.data;
  const makeProposal = async () => {
    const made = await propose.run(
      t(
        '确定提出立项建议吗？将按评审得分排出各类型的名次并发送部门负责人确认；此前未确认的建议将作废。',
        "Propose the award? Each type is ranked by the experts' scores and the proposal is sent to the department head to confirm; an earlier unconfirmed proposal is withdrawn.",
      ),
      () => api<Proposal>('POST', `/calls/${encodeURIComponent(callId)}/award-proposal`),
    );
    if (made) {
      sessionStorage.setItem(proposalKey(callId), JSON.stringify(made));
      setProposal(made);
    }
  };
  return (
    <>
      <section class="card" aria-labelledby="award-state">
        <h2 id="award-state">{t('确认情况', 'Confirmation')}</h2>
        {results.loading && !results.data && <Loading />}
        {results.error && <RoundError error={results.error} />}
        {!results.loading && !results.error && <ConfirmationState results={confirmed} proposal={proposal} />}
        <div class="actions">
          {!confirmed && !results.loading && (
            <button type="button" onClick={() => void makeProposal()} disabled={propose.busy}>
              {proposal ? t('重新提出立项建议', 'Propose again') : t('提出立项建议', 'Propose the award')}
            </button>
          )}
          <button type="button" class="secondary" onClick={results.reload} disabled={results.loading}>
            {t('刷新确认情况', 'Check the confirmation again')}
          </button>
        </div>
        {propose.busy && <Loading />}
        {propose.error && <RoundError error={propose.error} />}
      </section>
      {confirmed && <Publish callId={callId} results={confirmed} onPublished={results.reload} />}
      {proposal && <ProposalTables proposal={proposal} />}
      {confirmed && !proposal && <ResultTable results={confirmed} />}
    </>
  );
}

function ConfirmationState({ results, proposal }: { results?: Results; proposal?: Proposal }) {
  const { t, lang } = useText();
  if (results)
    return (
      <p role="status" class="award-confirmed">
        {t(
          `部门负责人已确认立项（${instantText(results.confirmedAt, lang)}）。`,
          `The department head confirmed the award (${instantText(results.confirmedAt, lang)}).`,
        )}{' '}
        {results.published
          ? t(
              `结果已于${instantText(results.publishedAt, lang)}公布。`,
              `Published ${instantText(results.publishedAt, lang)}.`,
            )
          : t('结果尚未公布。', 'The results are not yet published.')}
      </p>
    );
  if (proposal)
    return (
      <p role="status" class="award-waiting">
        {t(
          `第${proposal.version}版立项建议已于${instantText(proposal.proposedAt, lang)}发送部门负责人，尚未确认。部门负责人若要求修改，会在确认页中写明意见；请据此重新提出建议。`,
          `Proposal v${proposal.version} went to the department head ${instantText(proposal.proposedAt, lang)} and is not yet confirmed. If they ask for a revision, their reasons are on their confirmation page: propose again accordingly.`,
        )}
      </p>
    );
  return (
    <p role="status">
      {t(
        '立项尚未确认。评审截止且全部申报评分完成后，可提出立项建议，由部门负责人确认。',
        'The award is not confirmed. Once the review deadline has passed and every application is scored, propose it for the department head to confirm.',
      )}
    </p>
  );
}

function Publish({ callId, results, onPublished }: { callId: string; results: Results; onPublished: () => void }) {
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

function ProposalTables({ proposal }: { proposal: Proposal }) {
  const { t, b, lang } = useText();
  const ranked = proposal.types.filter((type) => type.ranked > 0 || type.notScored.length > 0);
  const empty = proposal.types.filter((type) => !ranked.includes(type));
  return (
    <section aria-labelledby="award-proposal">
      <h2 id="award-proposal">
        {t(`立项建议（第${proposal.version}版）`, `The proposal (version ${proposal.version})`)}
      </h2>
      <p class="hint">
        {t('本浏览器中最近提出的建议', 'The latest proposal made from this browser')} · {t('提出于', 'proposed')}{' '}
        {instantText(proposal.proposedAt, lang)} · {t('资助总额', 'Total')} {moneyText(proposal.totalCny, lang)}
      </p>
      {ranked.map((type) => (
        <section key={type.typeId} aria-labelledby={`type-${type.typeId}`} class="award-type">
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
            <p class="todo">
              {t(`${type.unfilled}个名额空缺（不递补）。`, `${type.unfilled} place(s) left unfilled.`)}
            </p>
          )}
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

function ResultTable({ results }: { results: Results }) {
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
