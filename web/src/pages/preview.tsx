import type { Call } from '@shared/domain/catalogue/call-schema';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { keepRefusal, problemsFromRefusal } from '../form/checks';
import { appPath } from '../config';
import { ApplicationDocument } from '../form/document';
import { formBody } from '../form/values';
import { useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { Link, navigate } from '../router';
import type { Draft } from '../types';

async function load(draftId: string) {
  const draft = await api<Draft>('GET', `/units/me/drafts/${draftId}`);
  return { draft, call: await api<Call>('GET', `/calls/${encodeURIComponent(draft.callId)}`) };
}

/**
 * The whole application as it will be submitted. Submitting sends the draft once: the request
 * carries an Idempotency-Key named after the draft, so a second click, a retry after a lost answer
 * or the same draft submitted from another device all give the one application.
 */
export function PreviewPage({ draftId }: { draftId: string }) {
  const { t } = useText();
  const loaded = useLoad(() => load(draftId), [draftId]);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { draft, call } = loaded.data;
  const submit = async () => {
    if (submitting) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await api<{ applicationId: string }>(
        'POST',
        `/calls/${encodeURIComponent(call.callId)}/applications`,
        {
          body: formBody(draft.form),
          headers: { 'Idempotency-Key': `draft-${draft.draftId}` },
        },
      );
      await api('DELETE', `/units/me/drafts/${draft.draftId}`);
      navigate(appPath(`applications/${created.applicationId}`), { replace: true });
    } catch (e) {
      const byField = problemsFromRefusal(e);
      if (byField.length) {
        // Refused field by field: back to the form, each problem by its field.
        keepRefusal(draft.draftId, byField);
        navigate(appPath(`drafts/${draft.draftId}`), { replace: true });
        return;
      }
      setError(e as Error);
      setSubmitting(false);
    }
  };
  return (
    <>
      <h1>{t('预览申请书', 'Preview the application')}</h1>
      <p class="hint">
        {t(
          '请核对全部内容。提交后，申请书进入形式审查。',
          'Check everything. Once submitted, it goes to the formal check.',
        )}
      </p>
      <ApplicationDocument call={call} form={draft.form} />
      {error && <ErrorNote error={error} />}
      <div class="actions">
        <button type="button" onClick={() => void submit()} disabled={submitting} aria-busy={submitting}>
          {submitting ? t('正在提交…', 'Submitting…') : t('提交申报', 'Submit the application')}
        </button>
        <Link href={appPath(`drafts/${draft.draftId}`)} class="button secondary">
          {t('返回修改', 'Back to editing')}
        </Link>
      </div>
    </>
  );
}
