import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Call } from '@shared/domain/catalogue/call-schema';
import { APPLICATION_STATUSES } from '@shared/domain/application-record';
import { STATUS_WORDS } from '@shared/domain/unit-next-step';
import { STAGE_GROUPS } from '@shared/domain/status-stages';
import { useText } from '../i18n';

export const FILTER_KEYS = ['stage', 'status', 'typeId', 'unitId', 'q', 'order'] as const;
export type Filters = Record<(typeof FILTER_KEYS)[number], string>;

/**
 * The table's filters, applied together when the person presses 筛选 (not on each keystroke: each
 * application of a filter is a request that reads the index). A stage and a status exclude each
 * other, as the API says: choosing one clears the other.
 */
export function ApplicationFilters(props: { filters: Filters; call?: Call; onApply: (filters: Filters) => void }) {
  const { t, b } = useText();
  const [draft, setDraft] = useState<Filters>(props.filters);
  useEffect(() => setDraft(props.filters), [JSON.stringify(props.filters)]);
  const set = (key: keyof Filters, clears?: keyof Filters) => (event: Event) => {
    const value = (event.target as HTMLInputElement | HTMLSelectElement).value;
    setDraft((d) => ({ ...d, [key]: value, ...(clears && value ? { [clears]: '' } : {}) }));
  };
  const clear = Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])) as Filters;
  return (
    <form
      class="filters"
      aria-label={t('筛选申报', 'Filter the applications')}
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply({ ...draft, unitId: draft.unitId.trim(), q: draft.q.trim() });
      }}
    >
      <SelectField id="filter-stage" label={t('阶段', 'Stage')} value={draft.stage} onChange={set('stage', 'status')}>
        <option value="">{t('全部阶段', 'Every stage')}</option>
        {STAGE_GROUPS.map((stage) => (
          <option key={stage.id} value={stage.id}>
            {b(stage.name)}
          </option>
        ))}
      </SelectField>
      <SelectField
        id="filter-status"
        label={t('状态', 'Status')}
        value={draft.status}
        onChange={set('status', 'stage')}
      >
        <option value="">{t('全部状态', 'Every status')}</option>
        {APPLICATION_STATUSES.map((status) => (
          <option key={status} value={status}>
            {b(STATUS_WORDS[status].status)}
          </option>
        ))}
      </SelectField>
      <SelectField id="filter-type" label={t('项目类型', 'Project type')} value={draft.typeId} onChange={set('typeId')}>
        <option value="">{t('全部类型', 'Every type')}</option>
        {(props.call?.projectTypes ?? []).map((type) => (
          <option key={type.typeId} value={type.typeId}>
            {type.no}. {b(type.name)}
          </option>
        ))}
      </SelectField>
      <div class="field">
        <label for="filter-unit">{t('申报单位编号', 'Unit id')}</label>
        <input id="filter-unit" value={draft.unitId} onInput={set('unitId')} autocomplete="off" />
      </div>
      <div class="field">
        <label for="filter-q">{t('项目名称包含', 'Title contains')}</label>
        <input id="filter-q" type="search" value={draft.q} onInput={set('q')} />
      </div>
      <SelectField id="filter-order" label={t('排序', 'Order')} value={draft.order} onChange={set('order')}>
        <option value="">{t('最新提交在前', 'Newest first')}</option>
        <option value="oldest">{t('最早提交在前', 'Oldest first')}</option>
      </SelectField>
      <div class="actions">
        <button type="submit">{t('筛选', 'Filter')}</button>
        <button type="button" class="secondary" onClick={() => props.onApply(clear)}>
          {t('清除筛选', 'Clear')}
        </button>
      </div>
    </form>
  );
}

function SelectField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (event: Event) => void;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={props.onChange}>
        {props.children}
      </select>
    </div>
  );
}
