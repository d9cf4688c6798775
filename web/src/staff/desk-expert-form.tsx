import { useState } from 'preact/hooks';
import type { Expert } from '@shared/domain/experts';
import { api } from '../api';
import { useText } from '../i18n';
import { Field, RestOfError, detailsAt, valueOf } from './desk-fields';
import { EXPERT_FIELDS, bodyOf, type ExpertDraft } from './desk-expert-draft';
import { useDeskSave } from './desk-save';

interface ExpertFormProps {
  initial: ExpertDraft;
  existing: boolean;
  onSaved: () => void;
  onNew: () => void;
}

/** What a field of the form needs: the draft, its refusal, and a handler that sets one key. */
interface DraftFields {
  draft: ExpertDraft;
  existing: boolean;
  error: Error | undefined;
  set: (key: keyof ExpertDraft) => (event: Event) => void;
}

/** Saves the draft with `PUT /experts/{expertId}`, once confirmed when it replaces a stored expert. */
function useSaveExpert(draft: ExpertDraft, { existing, onSaved }: Pick<ExpertFormProps, 'existing' | 'onSaved'>) {
  const { t } = useText();
  const saving = useDeskSave();
  const submit = async (event: Event) => {
    event.preventDefault();
    const id = draft.expertId.trim();
    if (
      existing &&
      !window.confirm(
        t(`保存对专家 ${id} 的修改？原有信息将被替换。`, `Save the changes to ${id}? What was stored is replaced.`),
      )
    )
      return;
    await saving.save(async () => {
      const expert = await api<Expert>('PUT', `/experts/${encodeURIComponent(id)}`, { body: bodyOf(draft) });
      onSaved();
      return t(`已保存专家：${expert.name}（${expert.expertId}）`, `Saved: ${expert.name} (${expert.expertId})`);
    });
  };
  return { ...saving, submit };
}

/** Adds an expert, or changes the one being edited. */
export function ExpertForm(props: ExpertFormProps) {
  const { t } = useText();
  const [draft, setDraft] = useState(props.initial);
  const { busy, error, done, submit } = useSaveExpert(draft, props);
  const fields: DraftFields = {
    draft,
    existing: props.existing,
    error,
    set: (key) => (event) => setDraft({ ...draft, [key]: valueOf(event) }),
  };
  return (
    <section class="card" aria-labelledby="expert-form">
      <h2 id="expert-form">{props.existing ? t('编辑专家', 'Edit an expert') : t('添加专家', 'Add an expert')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <RestOfError error={error} fields={EXPERT_FIELDS} />
        <ExpertWhoFields {...fields} />
        <ExpertScopeFields {...fields} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy
              ? t('正在保存…', 'Saving…')
              : props.existing
                ? t('保存修改', 'Save the changes')
                : t('添加专家', 'Add the expert')}
          </button>
          {props.existing && (
            <button type="button" class="secondary" onClick={props.onNew}>
              {t('改为添加新专家', 'Add a new expert instead')}
            </button>
          )}
        </div>
        <p role="status">{done}</p>
      </form>
    </section>
  );
}

/** Who the expert is: id, name, email, affiliation. */
function ExpertWhoFields({ draft, existing, error, set }: DraftFields) {
  const { t } = useText();
  return (
    <>
      <Field
        id="expert-id"
        label={t('专家编号', 'Expert id')}
        hint={t(
          '小写字母、数字和连字符，如 exp-061；已有编号即修改该专家',
          'kebab-case, e.g. exp-061; an existing id changes that expert',
        )}
        problems={detailsAt(error, 'expertId')}
      >
        {(aria) => (
          <input
            {...aria}
            value={draft.expertId}
            readOnly={existing}
            autoComplete="off"
            spellcheck={false}
            onInput={set('expertId')}
          />
        )}
      </Field>
      <Field id="expert-name" label={t('姓名', 'Name')} problems={detailsAt(error, 'name')}>
        {(aria) => <input {...aria} value={draft.name} onInput={set('name')} />}
      </Field>
      <Field id="expert-email" label={t('邮箱', 'Email')} problems={detailsAt(error, 'email')}>
        {(aria) => <input {...aria} type="email" value={draft.email} autoComplete="off" onInput={set('email')} />}
      </Field>
      <Field id="expert-affiliation" label={t('工作单位', 'Affiliation')} problems={detailsAt(error, 'affiliation')}>
        {(aria) => <input {...aria} value={draft.affiliation} onInput={set('affiliation')} />}
      </Field>
    </>
  );
}

/** What the expert may review: disciplines, own societies to avoid, and how many at most. */
function ExpertScopeFields({ draft, error, set }: DraftFields) {
  const { t } = useText();
  return (
    <>
      <Field
        id="expert-disciplines"
        label={t('学科（每行一个）', 'Disciplines (one a line)')}
        hint={t('与申请书的学科领域写法一致，如 物理学、电子信息', 'As the forms write a field, e.g. 物理学, 电子信息')}
        problems={detailsAt(error, 'disciplines')}
      >
        {(aria) => <textarea {...aria} rows={3} value={draft.disciplines} onInput={set('disciplines')} />}
      </Field>
      <Field
        id="expert-units"
        label={t('所属学会编号（每行一个，可不填）', 'Own societies by unit id (one a line, optional)')}
        hint={t('不会分配其所属学会的申请书', "Never assigned their own societies' applications")}
        problems={detailsAt(error, 'unitIds')}
      >
        {(aria) => <textarea {...aria} rows={2} value={draft.unitIds} spellcheck={false} onInput={set('unitIds')} />}
      </Field>
      <Field
        id="expert-max-load"
        label={t('每次申报最多评审（份）', 'Most applications per call')}
        hint={t('1–200', '1–200')}
        problems={detailsAt(error, 'maxLoad')}
      >
        {(aria) => (
          <input
            {...aria}
            type="number"
            inputMode="numeric"
            min={1}
            max={200}
            value={draft.maxLoad}
            onInput={set('maxLoad')}
          />
        )}
      </Field>
    </>
  );
}
