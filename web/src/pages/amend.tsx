import type { Call } from '@shared/domain/catalogue/call-schema';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { appPath } from '../config';
import { problemsFromRefusal } from '../form/checks';
import { useApplicationForm } from '../form/form-state';
import { FormEditor } from '../form/editor';
import { formBody } from '../form/values';
import { instantText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { navigate } from '../router';
import type { ApplicationView } from '../types';

async function load(applicationId: string) {
  const app = await api<ApplicationView>('GET', `/applications/${applicationId}`);
  return { app, call: await api<Call>('GET', `/calls/${encodeURIComponent(app.callId)}`) };
}

/**
 * Correcting a returned application: the staff's reasons at the top, the formal check's by the
 * fields they concern (the same check runs here as it typed), the correction's deadline, resubmit.
 */
export function AmendPage({ applicationId }: { applicationId: string }) {
  const loaded = useLoad(() => load(applicationId), [applicationId]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  return <Amend app={loaded.data.app} call={loaded.data.call} />;
}

function Amend({ app, call }: { app: ApplicationView; call: Call }) {
  const { t, lang } = useText();
  const { form, problems, showEveryProblem, refuse, editorProps } = useApplicationForm(call, app.form, [], true);
  const [error, setError] = useState<Error>();
  const [sending, setSending] = useState(false);
  const resubmit = async () => {
    showEveryProblem();
    if (problems.length || sending) return;
    setSending(true);
    try {
      await api('PUT', `/applications/${app.applicationId}`, { body: formBody(form) });
      navigate(appPath(`applications/${app.applicationId}`), { replace: true });
    } catch (e) {
      setError(e as Error);
      refuse(problemsFromRefusal(e));
      setSending(false);
    }
  };
  return (
    <>
      <h1>{t('修改申请书', 'Amend the application')}</h1>
      {app.staffReturn && (
        <section class="card" aria-labelledby="staff-reasons">
          <h2 id="staff-reasons">{t('省科协退回意见', "The association's reasons")}</h2>
          <ul>
            {app.staffReturn.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
          <p>
            {t('修改截止：', 'Correct by: ')}
            {instantText(app.staffReturn.correctionDueAt, lang)}
          </p>
        </section>
      )}
      {error && <ErrorNote error={error} />}
      <form onSubmit={(e) => (e.preventDefault(), void resubmit())} noValidate>
        <FormEditor {...editorProps} typeLocked />
        <div class="actions">
          <button type="submit" disabled={sending}>
            {t('重新提交', 'Resubmit')}
          </button>
        </div>
      </form>
    </>
  );
}
