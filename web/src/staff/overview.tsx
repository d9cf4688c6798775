import type { ComponentChildren } from 'preact';
import type { Call } from '@shared/domain/catalogue/call-schema';
import { STAGE_GROUPS } from '@shared/domain/status-stages';
import { api } from '../api';
import { appPath } from '../config';
import { instantText, useText, type Bilingual } from '../i18n';
import { Loading, useLoad } from '../load';
import { Link } from '../router';
import { RoundError, ScrollTable } from './round-common';

type Counts = Record<string, number>;

/** `GET /calls/{callId}/overview`. */
interface Overview {
  callId: string;
  now: string;
  total: number;
  byStatus: Counts;
  types: Array<{
    projectTypeId: string;
    typeName: Bilingual;
    quota: number;
    total: number;
    byStatus: Counts;
    awarded: number;
    unfilled?: number;
  }>;
  due: {
    until: string;
    myTasks: Array<{ taskId: string }>;
    paperCopiesMissing: number;
    paperCopyDueAt?: string;
    shortOfScores: number;
    overdueReports: number;
  };
}

async function load(callId: string) {
  const path = `/calls/${encodeURIComponent(callId)}`;
  const [overview, call] = await Promise.all([api<Overview>('GET', `${path}/overview`), api<Call>('GET', path)]);
  return { overview, call };
}

/** The statuses of a stage, counted together. */
const stageCount = (byStatus: Counts, statuses: readonly string[]) =>
  statuses.reduce((sum, status) => sum + (byStatus[status] ?? 0), 0);

/** A link to the applications table with these filters. */
const tableLink = (callId: string, filters: Record<string, string>) =>
  appPath(`staff/applications?${new URLSearchParams({ call: callId, ...filters }).toString()}`);

/**
 * A call at a glance for staff: what is due this week, then (after `children`, the person's own
 * tasks) each type's quota and where its applications stand, and the call's dates.
 */
export function CallOverview({ callId, children }: { callId: string; children?: ComponentChildren }) {
  const loaded = useLoad(() => load(callId), [callId]);
  return (
    <>
      {loaded.error && <RoundError error={loaded.error} />}
      {loaded.loading && !loaded.data && <Loading />}
      {loaded.data && <DueThisWeek overview={loaded.data.overview} />}
      {children}
      {loaded.data && <TypesTable overview={loaded.data.overview} />}
      {loaded.data && <CallDates call={loaded.data.call} />}
    </>
  );
}

function DueThisWeek({ overview }: { overview: Overview }) {
  const { t, lang } = useText();
  const { due, callId } = overview;
  const items: ComponentChildren[] = [];
  if (due.myTasks.length > 0)
    items.push(
      <a href="#my-tasks">
        {t(`${due.myTasks.length}项我的待办本周到期`, `${due.myTasks.length} of my tasks due this week`)}
      </a>,
    );
  if (due.paperCopiesMissing > 0)
    items.push(
      <Link href={tableLink(callId, { status: 'FORMAL_CHECK_PASSED' })}>
        {t(
          `${due.paperCopiesMissing}项申报尚未收到纸质材料（截止${instantText(due.paperCopyDueAt, lang)}）`,
          `${due.paperCopiesMissing} applications without their paper copy (due ${instantText(due.paperCopyDueAt, lang)})`,
        )}
      </Link>,
    );
  if (due.shortOfScores > 0)
    items.push(
      <Link href={appPath(`staff/review?call=${encodeURIComponent(callId)}`)}>
        {t(`${due.shortOfScores}项申报评分不足`, `${due.shortOfScores} applications short of scores`)}
      </Link>,
    );
  if (due.overdueReports > 0)
    items.push(
      <Link href={appPath(`staff/reports?call=${encodeURIComponent(callId)}`)}>
        {t(`${due.overdueReports}份报告已逾期`, `${due.overdueReports} reports overdue`)}
      </Link>,
    );
  return (
    <section class="card" aria-labelledby="due-this-week">
      <h2 id="due-this-week">{t('本周须办', 'Due this week')}</h2>
      {items.length === 0 ? (
        <p>{t('本周没有到期事项。', 'Nothing falls due this week.')}</p>
      ) : (
        <ul class="list">
          {items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      )}
      <p class="hint">{t(`统计至${instantText(due.until, lang)}`, `Up to ${instantText(due.until, lang)}`)}</p>
    </section>
  );
}

function TypesTable({ overview }: { overview: Overview }) {
  const { t, b } = useText();
  return (
    <section aria-labelledby="by-type">
      <h2 id="by-type">{t('各类型申报情况', 'Applications by type')}</h2>
      <p>
        <Link href={tableLink(overview.callId, {})}>
          {t(`全部申报：${overview.total}项`, `Every application: ${overview.total}`)}
        </Link>
      </p>
      <ScrollTable label={t('各类型申报数', 'Counts by type')} wide>
        <thead>
          <tr>
            <th scope="col">{t('项目类型', 'Type')}</th>
            <th scope="col">{t('名额', 'Quota')}</th>
            <th scope="col">{t('申报', 'Applied')}</th>
            {STAGE_GROUPS.map((stage) => (
              <th scope="col" key={stage.id}>
                {b(stage.name)}
              </th>
            ))}
            <th scope="col">{t('已立项', 'Awarded')}</th>
            <th scope="col">{t('空缺名额', 'Unfilled')}</th>
          </tr>
        </thead>
        <tbody>
          {overview.types.map((type) => (
            <tr key={type.projectTypeId}>
              <th scope="row">
                <Link href={tableLink(overview.callId, { typeId: type.projectTypeId })}>{b(type.typeName)}</Link>
              </th>
              <td>{type.quota}</td>
              <td>{type.total}</td>
              {STAGE_GROUPS.map((stage) => (
                <td key={stage.id}>{stageCount(type.byStatus, stage.statuses)}</td>
              ))}
              <td>{type.awarded}</td>
              <td>{type.unfilled ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}

function CallDates({ call }: { call: Call }) {
  const { t, lang } = useText();
  const dates: Array<[string, string]> = [
    [t('开始申报', 'Submission opens'), call.opensAt],
    [t('网上申报截止', 'Submission deadline'), call.submissionDeadline],
    [t('纸质材料截止', 'Paper copy deadline'), call.paperCopyDeadline],
    [t('专家评审开始', 'Expert review opens'), call.review.opensAt],
    [t('专家评审截止', 'Expert review deadline'), call.review.deadline],
  ];
  return (
    <section aria-labelledby="call-dates">
      <h2 id="call-dates">{t('日程', 'Dates')}</h2>
      <dl class="facts">
        {dates.map(([label, at]) => [
          <dt key={`${label}-t`}>{label}</dt>,
          <dd key={`${label}-d`}>{instantText(at, lang)}</dd>,
        ])}
      </dl>
    </section>
  );
}
