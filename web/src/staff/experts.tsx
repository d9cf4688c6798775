import { useState } from 'preact/hooks';
import type { Expert } from '@shared/domain/experts';
import { api } from '../api';
import { useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { Field, RestOfError, detailsAt, valueOf } from './desk-fields';

const PAGE_SIZE = 20;

interface ExpertPage {
  experts: Expert[];
  /** the last expert id of this page, when there are more */
  next?: string;
}

/** The form as typed: lists as text, one item a line (or separated by commas). */
interface ExpertDraft {
  expertId: string;
  name: string;
  email: string;
  affiliation: string;
  disciplines: string;
  unitIds: string;
  maxLoad: string;
}

const EMPTY: ExpertDraft = {
  expertId: '',
  name: '',
  email: '',
  affiliation: '',
  disciplines: '',
  unitIds: '',
  maxLoad: '10',
};

const listOf = (text: string) =>
  text
    .split(/[\n,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A number as typed, or the text itself when it is none, so the API names the problem. */
const numberOf = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

const draftOf = (expert: Expert): ExpertDraft => ({
  expertId: expert.expertId,
  name: expert.name,
  email: expert.email,
  affiliation: expert.affiliation,
  disciplines: expert.disciplines.join('\n'),
  unitIds: expert.unitIds.join('\n'),
  maxLoad: String(expert.maxLoad),
});

/**
 * 专家库: the expert pool a page at a time (GET /experts), and a form that adds an expert or changes
 * one (PUT /experts/{expertId}); the API names every field it refuses, shown by that field.
 */
export function ExpertsPage() {
  const { t } = useText();
  /** the `after` of each page seen, so that a page can go back */
  const [trail, setTrail] = useState<string[]>([]);
  const after = trail.at(-1);
  const page = useLoad(
    () => api<ExpertPage>('GET', `/experts?limit=${PAGE_SIZE}${after ? `&after=${encodeURIComponent(after)}` : ''}`),
    [after],
  );
  const [editing, setEditing] = useState<{ draft: ExpertDraft; existing: boolean; key: number }>({
    draft: EMPTY,
    existing: false,
    key: 0,
  });
  const edit = (expert: Expert) => {
    setEditing({ draft: draftOf(expert), existing: true, key: editing.key + 1 });
    document.getElementById('expert-form')?.scrollIntoView();
    document.getElementById('expert-name')?.focus();
  };
  return (
    <>
      <h1>{t('专家库', 'Expert pool')}</h1>
      <ExpertForm
        key={editing.key}
        initial={editing.draft}
        existing={editing.existing}
        onSaved={() => page.reload()}
        onNew={() => setEditing({ draft: EMPTY, existing: false, key: editing.key + 1 })}
      />
      <section aria-labelledby="expert-pool">
        <h2 id="expert-pool">
          {t('专家名单', 'The pool')}
          {trail.length > 0 && t(`（第${trail.length + 1}页）`, ` (page ${trail.length + 1})`)}
        </h2>
        {page.loading && <Loading />}
        {page.error && <ErrorNote error={page.error} />}
        {page.data && page.data.experts.length === 0 && <p>{t('专家库中还没有专家。', 'The pool is empty.')}</p>}
        {page.data && page.data.experts.length > 0 && <ExpertTable experts={page.data.experts} onEdit={edit} />}
        <div class="actions">
          {trail.length > 0 && (
            <button type="button" class="secondary" onClick={() => setTrail((all) => all.slice(0, -1))}>
              {t('上一页', 'Previous page')}
            </button>
          )}
          {page.data?.next && (
            <button type="button" class="secondary" onClick={() => setTrail((all) => [...all, page.data!.next!])}>
              {t('下一页', 'Next page')}
            </button>
          )}
        </div>
      </section>
    </>
  );
}

function ExpertTable({ experts, onEdit }: { experts: Expert[]; onEdit: (expert: Expert) => void }) {
  const { t } = useText();
  return (
    <table class="desk-table">
      <caption class="visually-hidden">{t('专家名单', 'The pool')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('姓名', 'Name')}</th>
          <th scope="col">{t('工作单位', 'Affiliation')}</th>
          <th scope="col">{t('学科', 'Disciplines')}</th>
          <th scope="col">{t('每次最多评审', 'Most per call')}</th>
          <th scope="col">{t('回避学会', 'Own societies')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('操作', 'Actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {experts.map((expert) => (
          <tr key={expert.expertId}>
            <th scope="row" data-label={t('姓名', 'Name')}>
              {expert.name}
              <span class="hint"> · {expert.expertId}</span>
              <br />
              <span class="hint">{expert.email}</span>
            </th>
            <td data-label={t('工作单位', 'Affiliation')}>{expert.affiliation}</td>
            <td data-label={t('学科', 'Disciplines')}>{expert.disciplines.join('、')}</td>
            <td data-label={t('每次最多评审', 'Most per call')}>{expert.maxLoad}</td>
            <td data-label={t('回避学会', 'Own societies')}>{expert.unitIds.join('、') || '—'}</td>
            <td>
              <button type="button" class="secondary edit" onClick={() => onEdit(expert)}>
                {t('编辑', 'Edit')}
                <span class="visually-hidden"> {expert.name}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExpertForm(props: { initial: ExpertDraft; existing: boolean; onSaved: () => void; onNew: () => void }) {
  const { t } = useText();
  const [draft, setDraft] = useState(props.initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState('');
  const set = (key: keyof ExpertDraft) => (event: Event) => setDraft({ ...draft, [key]: valueOf(event) });
  const submit = async (event: Event) => {
    event.preventDefault();
    const id = draft.expertId.trim();
    if (
      props.existing &&
      !window.confirm(
        t(`保存对专家 ${id} 的修改？原有信息将被替换。`, `Save the changes to ${id}? What was stored is replaced.`),
      )
    )
      return;
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      const expert = await api<Expert>('PUT', `/experts/${encodeURIComponent(id)}`, {
        body: {
          name: draft.name,
          email: draft.email.trim(),
          affiliation: draft.affiliation,
          disciplines: listOf(draft.disciplines),
          unitIds: listOf(draft.unitIds),
          maxLoad: numberOf(draft.maxLoad),
        },
      });
      setDone(t(`已保存专家：${expert.name}（${expert.expertId}）`, `Saved: ${expert.name} (${expert.expertId})`));
      props.onSaved();
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  const fields = ['expertId', 'name', 'email', 'affiliation', 'disciplines', 'unitIds', 'maxLoad'];
  return (
    <section class="card" aria-labelledby="expert-form">
      <h2 id="expert-form">{props.existing ? t('编辑专家', 'Edit an expert') : t('添加专家', 'Add an expert')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <RestOfError error={error} fields={fields} />
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
              readOnly={props.existing}
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
        <Field
          id="expert-disciplines"
          label={t('学科（每行一个）', 'Disciplines (one a line)')}
          hint={t(
            '与申请书的学科领域写法一致，如 物理学、电子信息',
            'As the forms write a field, e.g. 物理学, 电子信息',
          )}
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
