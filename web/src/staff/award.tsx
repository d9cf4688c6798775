import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { instantText, useText } from '../i18n';
import { Loading, useLoad } from '../load';
import { ProposalTables } from './award-proposal-tables';
import { Publish, ResultTable } from './award-results';
import { isMade, type Results, type StoredProposal } from './award-types';
import { JobProgress, useJob, type Job } from './job-progress';
import { CallPicker, RoundError, useAction, useCallChoice } from './round-common';

/** The answer of a read the API refuses with `code` while there is nothing yet, as `undefined`. */
async function unlessRefused<T>(read: Promise<T>, code: string): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ApiError && error.code === code) return undefined;
    throw error;
  }
}

/**
 * Where the award stands, from the API (not from this browser): the latest proposal and its state,
 * and the results once the department head has confirmed them. Any staff member on any device sees
 * the same.
 */
async function loadAward(callId: string) {
  const path = `/calls/${encodeURIComponent(callId)}`;
  const proposal = await unlessRefused(api<StoredProposal>('GET', `${path}/award-proposal`), 'NOT_FOUND');
  const results =
    proposal?.state === 'CONFIRMED'
      ? await unlessRefused(api<Results>('GET', `${path}/results`), 'STAGE_NOT_READY')
      : undefined;
  return { proposal, results };
}

/**
 * The award (staff): propose it (the ranked table per type with its tie-breaks and unfilled
 * places), see whether the department head has confirmed it or asked for a revision and why, publish
 * the results and download them as the API's CSV.
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
  const award = useLoad(() => loadAward(callId), [callId]);
  const propose = useAction<Job>();
  const [started, setStarted] = useState<Job>();
  const stored = award.data?.proposal;
  const making = useJob(started ?? stored?.job, award.reload);
  const deciding = useJob(stored?.decisionJob, award.reload);
  const proposal = isMade(stored) ? stored : undefined;
  const results = award.data?.results;
  const running = making.job?.state === 'RUNNING';
  const makeProposal = async () => {
    const job = await propose.run(
      t(
        '确定提出立项建议吗？将按评审得分排出各类型的名次并发送部门负责人确认；此前未确认的建议将作废。',
        "Propose the award? Each type is ranked by the experts' scores and the proposal is sent to the department head to confirm; an earlier unconfirmed proposal is withdrawn.",
      ),
      () => api<Job>('POST', `/calls/${encodeURIComponent(callId)}/award-proposal`),
    );
    if (job) setStarted(job);
  };
  return (
    <>
      <section class="card" aria-labelledby="award-state">
        <h2 id="award-state">{t('确认情况', 'Confirmation')}</h2>
        {award.loading && !award.data && <Loading />}
        {award.error && <RoundError error={award.error} />}
        {award.data && <ConfirmationState proposal={stored} results={results} />}
        {making.job && making.job.state !== 'DONE' && (
          <JobProgress job={making.job} error={making.error} label={t('生成立项建议', 'Making the proposal')} />
        )}
        {deciding.job && deciding.job.state !== 'DONE' && (
          <JobProgress job={deciding.job} error={deciding.error} label={t('立项决定', "The award's decisions")} />
        )}
        <div class="actions">
          {award.data && proposal?.state !== 'CONFIRMED' && !running && (
            <button type="button" onClick={() => void makeProposal()} disabled={propose.busy}>
              {proposal ? t('重新提出立项建议', 'Propose again') : t('提出立项建议', 'Propose the award')}
            </button>
          )}
          <button type="button" class="secondary" onClick={award.reload} disabled={award.loading}>
            {t('刷新确认情况', 'Check the confirmation again')}
          </button>
        </div>
        {propose.busy && <Loading />}
        {propose.error && <RoundError error={propose.error} />}
      </section>
      {results && <Publish callId={callId} results={results} onPublished={award.reload} />}
      {proposal && <ProposalTables proposal={proposal} />}
      {results && !proposal && <ResultTable results={results} />}
    </>
  );
}

function ConfirmationState({ proposal, results }: { proposal?: StoredProposal; results?: Results }) {
  const { t, lang } = useText();
  if (proposal?.state === 'PROPOSING')
    return (
      <p>
        {t(
          '正在生成立项建议，完成后将发送部门负责人确认。',
          'The proposal is being made; it goes to the department head once ready.',
        )}
      </p>
    );
  if (proposal?.state === 'PROPOSAL_FAILED')
    return <p class="todo">{t('立项建议未能生成，原因见下。', 'The proposal could not be made; why is below.')}</p>;
  if (proposal?.state === 'CONFIRMED')
    return (
      <p role="status" class="award-confirmed">
        {t(
          `部门负责人已确认立项（${instantText(proposal.confirmedAt ?? results?.confirmedAt, lang)}）。`,
          `The department head confirmed the award (${instantText(proposal.confirmedAt ?? results?.confirmedAt, lang)}).`,
        )}{' '}
        {results?.published
          ? t(
              `结果已于${instantText(results.publishedAt, lang)}公布。`,
              `Published ${instantText(results.publishedAt, lang)}.`,
            )
          : t('结果尚未公布。', 'The results are not yet published.')}
      </p>
    );
  if (proposal?.state === 'REVISION_ASKED') return <RevisionAsked proposal={proposal} />;
  if (isMade(proposal))
    return (
      <p role="status" class="award-waiting">
        {t(
          `第${proposal.version}版立项建议已于${instantText(proposal.proposedAt, lang)}发送部门负责人，尚未确认。`,
          `Proposal v${proposal.version} went to the department head ${instantText(proposal.proposedAt, lang)} and is not yet confirmed.`,
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

/** The head sent the proposal back: their reasons, which the next proposal answers. */
function RevisionAsked({ proposal }: { proposal: Extract<StoredProposal, { version: number }> }) {
  const { t, lang } = useText();
  return (
    <div role="status" class="award-revision">
      <p class="todo">
        {t(
          `部门负责人于${instantText(proposal.revision?.at, lang)}要求修改第${proposal.version}版立项建议：`,
          `The department head asked for a revision of proposal v${proposal.version} (${instantText(proposal.revision?.at, lang)}):`,
        )}
      </p>
      <ul>
        {(proposal.revision?.reasons ?? []).map((reason, i) => (
          <li key={i}>{reason}</li>
        ))}
      </ul>
      <p>{t('请据此重新提出立项建议。', 'Propose again accordingly.')}</p>
    </div>
  );
}
