import { useState } from 'preact/hooks';
import type { Expert } from '@shared/domain/experts';
import { useText } from '../i18n';
import { ErrorNote, Loading } from '../load';
import { PageButtons, PageNumber, usePagedList } from './paging';
import { CallPicker, useCallChoice } from './round-common';
import { EMPTY, draftOf, type ExpertDraft } from './desk-expert-draft';
import { ExpertForm } from './desk-expert-form';

const PAGE_SIZE = 20;

/** An expert with their load in the chosen call (`GET /experts?callId=`). */
type PoolExpert = Expert & { load?: { assigned: number; max: number } };

interface ExpertPage {
  experts: PoolExpert[];
  /** the last expert id of this page, when there are more */
  next?: string;
}

/** The pool a page at a time, and each expert's load in the call being reviewed. */
const useExpertPool = (callId: string | undefined) =>
  usePagedList<ExpertPage>('/experts', PAGE_SIZE, { callId }, [callId]);

/** The expert in the form: a new one, or one of the pool; a new key gives the form a fresh start. */
function useExpertEditing() {
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
  const startNew = () => setEditing({ draft: EMPTY, existing: false, key: editing.key + 1 });
  return { editing, edit, startNew };
}

/**
 * 专家库: the expert pool a page at a time (GET /experts), and a form that adds an expert or changes
 * one (PUT /experts/{expertId}); the API names every field it refuses, shown by that field.
 */
export function ExpertsPage() {
  const { t } = useText();
  const choice = useCallChoice();
  const pool = useExpertPool(choice.callId);
  const { editing, edit, startNew } = useExpertEditing();
  return (
    <>
      <h1>{t('专家库', 'Expert pool')}</h1>
      <CallPicker calls={choice.calls} callId={choice.callId} />
      <ExpertForm
        key={editing.key}
        initial={editing.draft}
        existing={editing.existing}
        onSaved={() => pool.page.reload()}
        onNew={startNew}
      />
      <ExpertPool pool={pool} onEdit={edit} />
    </>
  );
}

function ExpertPool({ pool, onEdit }: { pool: ReturnType<typeof useExpertPool>; onEdit: (expert: Expert) => void }) {
  const { t } = useText();
  const { page } = pool;
  return (
    <section aria-labelledby="expert-pool">
      <h2 id="expert-pool">
        {t('专家名单', 'The pool')}
        <PageNumber number={pool.number} />
      </h2>
      {page.loading && <Loading />}
      {page.error && <ErrorNote error={page.error} />}
      {page.data && page.data.experts.length === 0 && <p>{t('专家库中还没有专家。', 'The pool is empty.')}</p>}
      {page.data && page.data.experts.length > 0 && <ExpertTable experts={page.data.experts} onEdit={onEdit} />}
      <PageButtons back={pool.back} forward={pool.forward} />
    </section>
  );
}

function ExpertTable({ experts, onEdit }: { experts: PoolExpert[]; onEdit: (expert: Expert) => void }) {
  const { t } = useText();
  return (
    <table class="desk-table">
      <caption class="visually-hidden">{t('专家名单', 'The pool')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('姓名', 'Name')}</th>
          <th scope="col">{t('工作单位', 'Affiliation')}</th>
          <th scope="col">{t('学科', 'Disciplines')}</th>
          <th scope="col">{t('本次已分配 / 最多', 'Assigned in this call / most')}</th>
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
            <td data-label={t('本次已分配 / 最多', 'Assigned in this call / most')}>
              {expert.load?.assigned ?? 0} / {expert.maxLoad}
            </td>
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
