import type { Call } from '@shared/domain/catalogue/call-schema';
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { appPath } from '../config';
import { formProblems, problemsFromRefusal, type Problem } from '../form/checks';
import { FormEditor } from '../form/editor';
import { formBody, type FormValue } from '../form/values';
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
  const [form, setForm] = useState<FormValue>(app.form);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(true);
  const [error, setError] = useState<Error>();
  const [sending, setSending] = useState(false);
  // The API's refusal stays by its fields until the form changes.
  const [refused, setRefused] = useState<{ form: FormValue; problems: Problem[] }>();
  const problems = useMemo(
    () => [...formProblems(call, form), ...(refused?.form === form ? refused.problems : [])],
    [call, form, refused],
  );
  const resubmit = async () => {
    setShowAll(true);
    if (problems.length || sending) return;
    setSending(true);
    try {
      await api('PUT', `/applications/${app.applicationId}`, { body: formBody(form) });
      navigate(appPath(`applications/${app.applicationId}`), { replace: true });
    } catch (e) {
      setError(e as Error);
      setRefused({ form, problems: problemsFromRefusal(e) });
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
        <FormEditor
          call={call}
          value={form}
          onChange={setForm}
          problems={problems}
          touched={touched}
          onTouch={(path) => setTouched((s) => new Set([...s, path]))}
          showAll={showAll}
          typeLocked
        />
        <div class="actions">
          <button type="submit" disabled={sending}>
            {t('重新提交', 'Resubmit')}
          </button>
        </div>
      </form>
    </>
  );
}
