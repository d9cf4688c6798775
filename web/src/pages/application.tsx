import type { Call } from '@shared/domain/catalogue/call-schema';
import { STATUS_WORDS, unitActions, type UnitAction } from '@shared/domain/unit-next-step';
import { AMENDABLE_STATUSES, OPEN_STATUSES } from '@shared/domain/application-record';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { appPath } from '../config';
import { instantText, moneyText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { Link } from '../router';
import type { ApplicationView, CallListing, ObligationView } from '../types';
import { dueText, OBLIGATION_STATE_WORDS, reportName, reportPath } from './report';
import { ActionWords } from './action-words';

async function load(applicationId: string) {
  const app = await api<ApplicationView>('GET', `/applications/${applicationId}`);
  const [call, listing, { obligations }] = await Promise.all([
    api<Call>('GET', `/calls/${encodeURIComponent(app.callId)}`),
    api<CallListing>('GET', '/calls'),
    api<{ obligations: ObligationView[] }>('GET', `/units/me/obligations?callId=${encodeURIComponent(app.callId)}`),
  ]);
  const open = listing.calls.find((c) => c.callId === app.callId)?.submission === 'open';
  return { app, call, open, obligations: obligations.filter((o) => o.applicationId === applicationId) };
}

type Loaded = Awaited<ReturnType<typeof load>>;

/** One application: where it stands, why it came back, what to do, and its outcome. */
export function ApplicationPage({ applicationId }: { applicationId: string }) {
  const loaded = useLoad(() => load(applicationId), [applicationId]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { app, call, obligations } = loaded.data;
  const actions = unitActions({ ...app, obligations: obligations.map((o) => ({ ...o, report: o.kind })) }, call);
  return (
    <>
      <h1>{String(app.form.title ?? app.applicationId)}</h1>
      <StatusFacts app={app} />
      {(app.award || app.outcome) && <Outcome app={app} />}
      {actions.length > 0 && <ToDo actions={actions} call={call} />}
      {app.status === 'RETURNED_FOR_CORRECTION' && <ReturnReasons app={app} />}
      <ApplicationActions data={loaded.data} reload={loaded.reload} />
      {obligations.length > 0 && <Obligations applicationId={applicationId} obligations={obligations} />}
      <History app={app} />
    </>
  );
}

function StatusFacts({ app }: { app: ApplicationView }) {
  const { t, b } = useText();
  const words = STATUS_WORDS[app.status];
  return (
    <dl class="facts">
      <dt>{t('申报编号', 'Application number')}</dt>
      <dd>{app.applicationId}</dd>
      <dt>{t('状态', 'Status')}</dt>
      <dd class="status">{b(words.status)}</dd>
      {words.waitsOn && [<dt key="w">{t('当前环节', 'Waiting for')}</dt>, <dd key="wd">{b(words.waitsOn)}</dd>]}
      {app.score !== undefined &&
        !app.award && [<dt key="s">{t('专家评分', 'Score')}</dt>, <dd key="sd">{scoreText(app.score)}</dd>]}
    </dl>
  );
}

function ToDo({ actions, call }: { actions: UnitAction[]; call: Call }) {
  const { t } = useText();
  return (
    <section aria-labelledby="todo" class="card todo">
      <h2 id="todo">{t('需要您办理', 'What you need to do')}</h2>
      <ul>
        {actions.map((action, i) => (
          <li key={i}>
            <ActionWords action={action} call={call} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The staff's reasons and the automatic check's, for an application returned for correction. */
function ReturnReasons({ app }: { app: ApplicationView }) {
  const { t, b } = useText();
  const failed = app.formalCheck && !app.formalCheck.passed ? app.formalCheck.reasons : [];
  if (!app.staffReturn && failed.length === 0) return null;
  return (
    <section aria-labelledby="reasons" class="card">
      <h2 id="reasons">{t('退回原因', 'Why it was returned')}</h2>
      <ul>
        {(app.staffReturn?.reasons ?? []).map((reason, i) => (
          <li key={`s${i}`}>{reason}</li>
        ))}
        {failed.map((reason) => (
          <li key={reason.requirementId + reason.path}>{b(reason.text)}</li>
        ))}
      </ul>
    </section>
  );
}

/** Amend, print, and withdraw while the call is open (asked to confirm: it cannot be undone). */
function ApplicationActions({ data, reload }: { data: Loaded; reload: () => void }) {
  const { t } = useText();
  const [error, setError] = useState<Error>();
  const { app, open } = data;
  const withdraw = async () => {
    const question = t(
      '撤回此申报？撤回后不可恢复，名额释放。',
      'Withdraw this application? It cannot be undone; its slot is freed.',
    );
    if (!confirm(question)) return;
    try {
      await api('POST', `/applications/${app.applicationId}/withdraw`);
      reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <>
      {error && <ErrorNote error={error} />}
      <div class="actions">
        {AMENDABLE_STATUSES.includes(app.status) && (
          <Link href={appPath(`applications/${app.applicationId}/amend`)} class="button">
            {t('修改申请书', 'Amend the application')}
          </Link>
        )}
        <Link href={appPath(`applications/${app.applicationId}/print`)} class="button secondary">
          {t('打印申请书（盖章用）', 'Print for the seal')}
        </Link>
        {OPEN_STATUSES.includes(app.status) && open && (
          <button type="button" class="secondary" onClick={() => void withdraw()}>
            {t('撤回申报', 'Withdraw')}
          </button>
        )}
      </div>
    </>
  );
}

/** The application's stage history, oldest first (the unit's page and staff's show the same). */
export function History({ app }: { app: Pick<ApplicationView, 'history'> }) {
  const { t, lang } = useText();
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t('办理记录', 'History')}</h2>
      <ol class="history">
        {app.history.map((entry, i) => (
          <li key={i}>
            {instantText(entry.at, lang)} · {entry.stage} · {entry.result}
          </li>
        ))}
      </ol>
    </section>
  );
}

const scoreText = (score: number) => String(Math.round(score * 100) / 100);

/** The outcome in words: awarded or not, the experts' score, the rank among the type's applications, the amount. */
export function Outcome({ app }: { app: ApplicationView }) {
  const { t, b, lang } = useText();
  const result = app.outcome?.result as keyof typeof STATUS_WORDS | undefined;
  const words = result && STATUS_WORDS[result] ? STATUS_WORDS[result].status : STATUS_WORDS[app.status].status;
  const award = app.award;
  const score = app.score ?? award?.score;
  return (
    <section aria-labelledby="outcome" class="card outcome">
      <h2 id="outcome">{t('评审与立项结果', 'Review and award outcome')}</h2>
      <dl class="facts">
        <dt>{t('结果', 'Outcome')}</dt>
        <dd class="outcome-result">{b(words)}</dd>
        {score !== undefined && [
          <dt key="s">{t('专家评分', "The experts' score")}</dt>,
          <dd key="sd">{t(`${scoreText(score)}分`, `${scoreText(score)} points`)}</dd>,
        ]}
        {award && [
          <dt key="r">{t('排名', 'Rank')}</dt>,
          <dd key="rd">
            {t(
              `第${award.rank}名（本类型共${award.ofCount}项参评，立项${award.quota}项）`,
              `${award.rank} of ${award.ofCount} scored applications of its type (${award.quota} to be funded)`,
            )}
          </dd>,
        ]}
        {award?.awarded && [
          <dt key="a">{t('资助金额', 'Amount awarded')}</dt>,
          <dd key="ad">{moneyText(award.amountCny, lang)}</dd>,
        ]}
        {app.outcome?.reason && [<dt key="why">{t('原因', 'Reason')}</dt>, <dd key="whyd">{app.outcome.reason}</dd>]}
        {app.outcome?.at && [
          <dt key="at">{t('结果日期', 'Decided on')}</dt>,
          <dd key="atd">{instantText(app.outcome.at, lang)}</dd>,
        ]}
      </dl>
    </section>
  );
}

/**
 * What the project owes after its award: each report with its due date (Beijing time) and where it
 * stands. The unit's page links each to its hand-in page; staff (`handIn` false) read how many
 * versions were handed in and the review instead.
 */
export function Obligations(props: { applicationId: string; obligations: ObligationView[]; handIn?: boolean }) {
  const { applicationId, obligations, handIn = true } = props;
  const { t, b, lang } = useText();
  return (
    <section aria-labelledby="obligations">
      <h2 id="obligations">{t('立项后的义务与报告', 'Duties and reports after the award')}</h2>
      <ul class="list obligations">
        {obligations.map((o) => (
          <li key={o.obligationId}>
            {handIn ? (
              <Link href={appPath(`applications/${applicationId}/reports/${reportPath(o)}`)}>{b(reportName(o))}</Link>
            ) : (
              b(reportName(o))
            )}
            <span class={`obligation-state state-${o.state.toLowerCase()}`}>
              {' '}
              · {b(OBLIGATION_STATE_WORDS[o.state])}
            </span>
            <br />
            <span class="hint">
              {t('截止：', 'Due: ')}
              {dueText(o, lang)}
              {!handIn && t(`；已提交${o.submissions ?? 0}次`, `; handed in ${o.submissions ?? 0} time(s)`)}
            </span>
            <p class="hint">{b(o.text)}</p>
            {o.state === 'RETURNED' && (o.review?.reasons ?? []).length > 0 && (
              <p class="todo">
                {t('退回意见：', "Reviewer's reasons: ")}
                {(o.review?.reasons ?? []).join(t('；', '; '))}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
