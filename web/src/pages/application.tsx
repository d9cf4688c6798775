import type { Call } from '@shared/domain/catalogue/call-schema';
import { STATUS_WORDS, unitActions } from '@shared/domain/unit-next-step';
import { AMENDABLE_STATUSES, OPEN_STATUSES } from '@shared/domain/application-record';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { appPath } from '../config';
import { instantText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { Link } from '../router';
import type { ApplicationView, CallListing, ObligationView } from '../types';

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

/** One application: where it stands, why it came back, what to do, and its outcome. */
export function ApplicationPage({ applicationId }: { applicationId: string }) {
  const { t, b, lang } = useText();
  const loaded = useLoad(() => load(applicationId), [applicationId]);
  const [error, setError] = useState<Error>();
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { app, call, open, obligations } = loaded.data;
  const words = STATUS_WORDS[app.status];
  const actions = unitActions({ ...app, obligations: obligations.map((o) => ({ ...o, report: o.kind })) }, call);
  const withdraw = async () => {
    if (
      !confirm(
        t(
          '撤回此申报？撤回后不可恢复，名额释放。',
          'Withdraw this application? It cannot be undone; its slot is freed.',
        ),
      )
    )
      return;
    try {
      await api('POST', `/applications/${applicationId}/withdraw`);
      loaded.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const failed = app.formalCheck && !app.formalCheck.passed ? app.formalCheck.reasons : [];
  return (
    <>
      <h1>{String(app.form.title ?? app.applicationId)}</h1>
      <dl class="facts">
        <dt>{t('申报编号', 'Application number')}</dt>
        <dd>{app.applicationId}</dd>
        <dt>{t('状态', 'Status')}</dt>
        <dd class="status">{b(words.status)}</dd>
        {words.waitsOn && [<dt key="w">{t('当前环节', 'Waiting for')}</dt>, <dd key="wd">{b(words.waitsOn)}</dd>]}
        {app.score !== undefined && [<dt key="s">{t('专家评分', 'Score')}</dt>, <dd key="sd">{app.score}</dd>]}
      </dl>
      {actions.length > 0 && (
        <section aria-labelledby="todo" class="card todo">
          <h2 id="todo">{t('需要您办理', 'What you need to do')}</h2>
          <ul>
            {actions.map((action, i) => (
              <li key={i}>
                {action.kind === 'amend'
                  ? t(
                      `请在${instantText(action.dueAt, lang)}前修改并重新提交。`,
                      `Correct and resubmit by ${instantText(action.dueAt, lang)}.`,
                    )
                  : action.kind === 'paper-copy'
                    ? t(
                        `请打印申请书一式1份、加盖单位公章，于${instantText(action.dueAt, lang)}前寄送省科协。`,
                        `Print one copy, seal it and send it to the association by ${instantText(action.dueAt, lang)}.`,
                      )
                    : t(
                        `请在${instantText(action.dueAt, lang)}前提交报告。`,
                        `Hand in the report by ${instantText(action.dueAt, lang)}.`,
                      )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(app.staffReturn || failed.length > 0) && app.status === 'RETURNED_FOR_CORRECTION' && (
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
      )}
      {error && <ErrorNote error={error} />}
      <div class="actions">
        {AMENDABLE_STATUSES.includes(app.status) && (
          <Link href={appPath(`applications/${applicationId}/amend`)} class="button">
            {t('修改申请书', 'Amend the application')}
          </Link>
        )}
        <Link href={appPath(`applications/${applicationId}/print`)} class="button secondary">
          {t('打印申请书（盖章用）', 'Print for the seal')}
        </Link>
        {OPEN_STATUSES.includes(app.status) && open && (
          <button type="button" class="secondary" onClick={() => void withdraw()}>
            {t('撤回申报', 'Withdraw')}
          </button>
        )}
      </div>
      {obligations.length > 0 && <Obligations obligations={obligations} />}
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
    </>
  );
}

function Obligations({ obligations }: { obligations: ObligationView[] }) {
  const { t, b, lang } = useText();
  return (
    <section aria-labelledby="obligations">
      <h2 id="obligations">{t('立项后的义务与报告', 'Duties and reports after the award')}</h2>
      <ul class="list">
        {obligations.map((o) => (
          <li key={o.obligationId}>
            {b(o.text)}
            <span class="hint">
              {' '}
              · {o.dueAt ? instantText(o.dueAt, lang) : t('截止日期待定', 'due date to be set')} · {o.state}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
