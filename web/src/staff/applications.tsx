import { useEffect, useState } from 'preact/hooks';
import type { Call } from '@shared/domain/catalogue/call-schema';
import type { ApplicationRow } from '@shared/domain/application-listing/row';
import { STATUS_WORDS } from '@shared/domain/unit-next-step';
import { api } from '../api';
import { appPath } from '../config';
import { instantText, useText } from '../i18n';
import { Loading, useLoad } from '../load';
import { Link, navigate, useLocation } from '../router';
import { ApplicationFilters, FILTER_KEYS, type Filters } from './application-filters';
import { CallPicker, RoundError, ScrollTable, useCallChoice } from './round-common';

interface ApplicationPage {
  applications: ApplicationRow[];
  cursor?: string;
}

const PAGE_SIZE = 25;

/** The filters as the address holds them, so a filtered table can be bookmarked, shared and gone back to. */
function filtersOf(url: URL): Filters {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, url.searchParams.get(key) ?? ''])) as Filters;
}

function queryOf(filters: Filters, cursor?: string): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/**
 * Every application of a call (staff): filtered by stage or status, unit and type, searched by
 * title, newest or oldest first, a page at a time. The API pages on its status index, so the table
 * never holds more than the pages a person asked for, at 300 or 300,000 applications.
 */
export function ApplicationsPage() {
  const { t } = useText();
  const choice = useCallChoice();
  return (
    <>
      <h1>{t('申报一览', 'Applications')}</h1>
      {choice.error && <RoundError error={choice.error} />}
      <CallPicker calls={choice.calls} callId={choice.callId} />
      {choice.callId ? <Applications callId={choice.callId} key={choice.callId} /> : !choice.error && <Loading />}
    </>
  );
}

function Applications({ callId }: { callId: string }) {
  const { t } = useText();
  const url = useLocation();
  const filters = filtersOf(url);
  const call = useLoad(() => api<Call>('GET', `/calls/${encodeURIComponent(callId)}`), [callId]);
  const pages = usePages(callId, filters);
  const apply = (next: Filters) => {
    const address = new URL(location.href);
    for (const key of FILTER_KEYS) {
      if (next[key]) address.searchParams.set(key, next[key]);
      else address.searchParams.delete(key);
    }
    navigate(address.pathname + address.search, { replace: true });
  };
  return (
    <>
      <ApplicationFilters filters={filters} call={call.data} onApply={apply} />
      {pages.error && <RoundError error={pages.error} />}
      <p role="status" class="hint">
        {pages.loading
          ? t('正在加载…', 'Loading…')
          : t(
              `显示${pages.rows.length}项${pages.cursor ? '，还有更多' : ''}`,
              `${pages.rows.length} shown${pages.cursor ? ', more to load' : ''}`,
            )}
      </p>
      {pages.rows.length > 0 && <RowsTable rows={pages.rows} />}
      {!pages.loading && !pages.error && pages.rows.length === 0 && !pages.cursor && (
        <p>{t('没有符合条件的申报。', 'No application matches.')}</p>
      )}
      {pages.cursor && (
        <div class="actions">
          <button type="button" class="secondary" onClick={pages.more} disabled={pages.loading}>
            {t('加载更多', 'Load more')}
          </button>
        </div>
      )}
    </>
  );
}

/**
 * The pages loaded so far for these filters: a change of filters starts again from the first page.
 * A filter the API matches rarely may answer a short page with a cursor (it bounds the reading per
 * request), so "load more" is offered for as long as there is a cursor.
 */
function usePages(callId: string, filters: Filters) {
  const key = queryOf(filters);
  const [state, setState] = useState<{ rows: ApplicationRow[]; cursor?: string; loading: boolean; error?: Error }>({
    rows: [],
    loading: true,
  });
  const load = async (cursor: string | undefined, rows: ApplicationRow[], isLive: () => boolean) => {
    setState({ rows, cursor, loading: true });
    try {
      const page = await api<ApplicationPage>(
        'GET',
        `/calls/${encodeURIComponent(callId)}/applications?${queryOf(filters, cursor)}`,
      );
      if (isLive()) setState({ rows: [...rows, ...page.applications], cursor: page.cursor, loading: false });
    } catch (error) {
      if (isLive()) setState({ rows, cursor, loading: false, error: error as Error });
    }
  };
  useEffect(() => {
    let live = true;
    void load(undefined, [], () => live);
    return () => {
      live = false;
    };
  }, [callId, key]);
  return { ...state, more: () => void load(state.cursor, state.rows, () => true) };
}

function RowsTable({ rows }: { rows: ApplicationRow[] }) {
  const { t, b, lang } = useText();
  return (
    <ScrollTable label={t('申报列表', 'Application list')} wide>
      <thead>
        <tr>
          <th scope="col">{t('申报编号', 'Number')}</th>
          <th scope="col">{t('项目名称', 'Title')}</th>
          <th scope="col">{t('申报单位', 'Unit')}</th>
          <th scope="col">{t('项目类型', 'Type')}</th>
          <th scope="col">{t('状态', 'Status')}</th>
          <th scope="col">{t('提交时间', 'Submitted')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.applicationId}>
            <th scope="row">
              <Link href={appPath(`staff/applications/${encodeURIComponent(row.applicationId)}`)}>
                {row.applicationId}
              </Link>
            </th>
            <td>{row.title}</td>
            <td>{row.unitName ?? row.unitId}</td>
            <td>{b(row.typeName)}</td>
            <td>{b(STATUS_WORDS[row.status]?.status) || row.status}</td>
            <td>{instantText(row.createdAt, lang)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
