import { useText } from '../i18n';
import { ErrorNote, Loading } from '../load';
import { PageButtons, PageNumber, usePagedList } from './paging';
import type { UnitProfile } from './desk-unit-profile';

const PAGE_SIZE = 50;

/**
 * The registered member units a page at a time (`GET /units`), each opening its standing, its
 * computed reasons and its log in the panel below.
 */
export function UnitList({ onOpen, version }: { onOpen: (unitId: string) => void; version: number }) {
  const { t } = useText();
  const list = usePagedList<{ units: UnitProfile[]; next?: string }>('/units', PAGE_SIZE, {}, [version]);
  const { page } = list;
  return (
    <section aria-labelledby="unit-list">
      <h2 id="unit-list">
        {t('已登记的会员单位', 'Registered units')}
        <PageNumber number={list.number} />
      </h2>
      {page.loading && <Loading />}
      {page.error && <ErrorNote error={page.error} />}
      {page.data && <UnitTable units={page.data.units} onOpen={onOpen} />}
      <PageButtons back={list.back} forward={list.forward} />
    </section>
  );
}

function UnitTable({ units, onOpen }: { units: UnitProfile[]; onOpen: (unitId: string) => void }) {
  const { t } = useText();
  if (units.length === 0) return <p>{t('还没有登记的会员单位。', 'No unit is registered yet.')}</p>;
  return (
    <table class="desk-table">
      <caption class="visually-hidden">{t('已登记的会员单位', 'Registered units')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('名称', 'Name')}</th>
          <th scope="col">{t('登记邮箱', 'Registered email')}</th>
          <th scope="col">{t('申报资格', 'Standing')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('操作', 'Actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {units.map((unit) => (
          <tr key={unit.unitId}>
            <th scope="row" data-label={t('名称', 'Name')}>
              {t(unit.name?.zh ?? unit.unitId, unit.name?.en ?? unit.unitId)}
              <span class="hint"> · {unit.unitId}</span>
            </th>
            <td data-label={t('登记邮箱', 'Registered email')}>{unit.email ?? '—'}</td>
            <td data-label={t('申报资格', 'Standing')} class={unit.barred ? 'todo' : undefined}>
              {unit.barred ? t('限制申报', 'Barred') : t('可以申报', 'May apply')}
            </td>
            <td>
              <button type="button" class="secondary" onClick={() => onOpen(unit.unitId)}>
                {t('查看', 'Open')}
                <span class="visually-hidden"> {unit.unitId}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
