import type { Call } from '@shared/domain/catalogue/call-schema';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { appPath } from '../config';
import { takeRefusal } from '../form/checks';
import { useApplicationForm } from '../form/form-state';
import { FormEditor } from '../form/editor';
import type { FormValue } from '../form/values';
import { instantText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { navigate } from '../router';
import type { Draft } from '../types';

const AUTOSAVE_MS = 1200;

async function loadDraft(draftId: string): Promise<{ draft: Draft; call: Call }> {
  let draft: Draft;
  try {
    draft = await api<Draft>('GET', `/units/me/drafts/${draftId}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    const callId = new URL(location.href).searchParams.get('call') ?? '';
    draft = { draftId, callId, version: 0, savedAt: '', form: {} };
  }
  return { draft, call: await api<Call>('GET', `/calls/${encodeURIComponent(draft.callId)}`) };
}

/** A draft being filled in: saved to the server as it is typed, resumable on any device. */
export function DraftPage({ draftId }: { draftId: string }) {
  const loaded = useLoad(() => loadDraft(draftId), [draftId]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  return <DraftEditor key={draftId} draft={loaded.data.draft} call={loaded.data.call} />;
}

type SaveState =
  { kind: 'saved'; at: string } | { kind: 'saving' } | { kind: 'unsaved' } | { kind: 'failed'; error: Error };

function useAutosave(draft: Draft, form: FormValue) {
  const version = useRef(draft.version);
  const [state, setState] = useState<SaveState>(
    draft.savedAt ? { kind: 'saved', at: draft.savedAt } : { kind: 'unsaved' },
  );
  const first = useRef(true);
  const save = async (value: FormValue) => {
    setState({ kind: 'saving' });
    try {
      const saved = await api<{ version: number; savedAt: string }>('PUT', `/units/me/drafts/${draft.draftId}`, {
        body: { callId: draft.callId, version: version.current, form: value },
      });
      version.current = saved.version;
      setState({ kind: 'saved', at: saved.savedAt });
      return true;
    } catch (error) {
      setState({ kind: 'failed', error: error as Error });
      return false;
    }
  };
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setState({ kind: 'unsaved' });
    const timer = setTimeout(() => void save(form), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [form]);
  return { state, saveNow: () => save(form) };
}

function SaveStatus({ state }: { state: SaveState }) {
  const { t, lang } = useText();
  const text =
    state.kind === 'saved'
      ? t(`已保存 ${instantText(state.at, lang)}`, `Saved ${instantText(state.at, lang)}`)
      : state.kind === 'saving'
        ? t('正在保存…', 'Saving…')
        : state.kind === 'unsaved'
          ? t('有未保存的修改', 'Unsaved changes')
          : state.error instanceof ApiError && state.error.code === 'DRAFT_CHANGED'
            ? t(
                '此草稿已在其他窗口或设备上保存：请刷新页面后继续。',
                'This draft was saved from another window or device: reload the page to go on.',
              )
            : t(`保存失败：${state.error.message}`, `Not saved: ${state.error.message}`);
  return (
    <p class={`save-status ${state.kind}`} role="status" aria-live="polite">
      {text}
    </p>
  );
}

function DraftEditor({ draft, call }: { draft: Draft; call: Call }) {
  const { t } = useText();
  // A refusal of the API, kept by the preview page, shows by its fields.
  const [refusal] = useState(() => takeRefusal(draft.draftId));
  const { form, problems, showAll, showEveryProblem, editorProps } = useApplicationForm(call, draft.form, refusal);
  const autosave = useAutosave(draft, form);
  const preview = async () => {
    showEveryProblem();
    if (problems.length) {
      document.getElementById('problem-summary')?.focus();
      return;
    }
    if (await autosave.saveNow()) navigate(appPath(`drafts/${draft.draftId}/preview`));
  };
  const remove = async () => {
    if (!confirm(t('删除此草稿？删除后无法恢复。', 'Delete this draft? It cannot be undone.'))) return;
    await api('DELETE', `/units/me/drafts/${draft.draftId}`);
    navigate(appPath(''));
  };
  return (
    <>
      <h1>{t('填写申请书', 'Fill in the application')}</h1>
      <SaveStatus state={autosave.state} />
      {showAll && problems.length > 0 && (
        <div id="problem-summary" class="error-note" role="alert" tabIndex={-1}>
          {t(
            `还有${problems.length}处需要修改，已在各栏目旁标出。`,
            `${problems.length} problem(s) to fix, marked by their fields.`,
          )}
        </div>
      )}
      <form onSubmit={(e) => (e.preventDefault(), void preview())} noValidate>
        <FormEditor {...editorProps} />
        <div class="actions">
          <button type="submit">{t('检查并预览', 'Check and preview')}</button>
          <button type="button" class="secondary" onClick={() => void remove()}>
            {t('删除草稿', 'Delete the draft')}
          </button>
        </div>
      </form>
    </>
  );
}
