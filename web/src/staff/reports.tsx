import { useState } from 'preact/hooks';
import { api } from '../api';
import { appPath } from '../config';
import { Link } from '../router';
import { instantText, useText } from '../i18n';
import { Loading, useLoad } from '../load';
import type { ObligationState } from '@shared/domain/obligations/records';
import { OBLIGATION_STATE_WORDS, reportName } from '../report/obligation';
import { CallPicker, RoundError, ScrollTable, downloadCsv, useAction, useCallChoice } from './round-common';
import { JobProgress, useJob, type Job } from './job-progress';

/** `GET /calls/{callId}/obligations?state=overdue`. */
interface Overdue {
  callId: string;
  asOf: string;
  rows: Array<{
    applicationId: string;
    unitId: string;
    unit: string;
    title: string;
    obligationId: string;
    kind: string;
    dueOn: string;
    state: ObligationState;
    daysOverdue: number;
  }>;
}

/** The reporting round job's result (`POST /calls/{callId}/reporting-round` answers 202 with the job). */
interface RoundOpened {
  summaryDueOn: string;
  opened: number;
}

/** The reports after the award (staff): open the reporting round, chase the overdue reports. */
export function ReportsPage() {
  const { t } = useText();
  const choice = useCallChoice();
  return (
    <>
      <h1>{t('项目报告', 'Reports')}</h1>
      {choice.error && <RoundError error={choice.error} />}
      <CallPicker calls={choice.calls} callId={choice.callId} />
      {choice.callId ? (
        <>
          <ReportingRound callId={choice.callId} key={`r-${choice.callId}`} />
          <OverdueList callId={choice.callId} key={`o-${choice.callId}`} />
        </>
      ) : (
        !choice.error && <Loading />
      )}
    </>
  );
}

function ReportingRound({ callId }: { callId: string }) {
  const { t } = useText();
  const [dueOn, setDueOn] = useState('');
  const open = useAction<Job>();
  const opening = useJob(open.done, () => undefined);
  const opened = opening.job?.state === 'DONE' ? (opening.job.result as RoundOpened | undefined) : undefined;
  const openRound = () =>
    void open.run(
      t(
        `确定开启项目总结报告吗？所有立项项目的总结报告将在${dueOn}截止，各学会会收到通知，此操作不能撤销。`,
        `Open the reporting round? Every awarded project's summary report is due on ${dueOn} and each society is told; this cannot be undone.`,
      ),
      () =>
        api<Job>('POST', `/calls/${encodeURIComponent(callId)}/reporting-round`, {
          body: { summaryDueOn: dueOn },
        }),
    );
  return (
    <section class="card" aria-labelledby="reporting-round">
      <h2 id="reporting-round">{t('开启项目总结报告', 'Open the reporting round')}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          openRound();
        }}
      >
        <div class="field">
          <label for="summary-due">{t('总结报告截止日期', 'Summary reports due on')}</label>
          <input
            id="summary-due"
            type="date"
            required
            value={dueOn}
            onInput={(e) => setDueOn((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" disabled={open.busy}>
          {t('开启总结报告', 'Open the round')}
        </button>
      </form>
      {open.busy && <Loading />}
      {open.error && <RoundError error={open.error} />}
      {opening.job && opening.job.state !== 'DONE' && (
        <JobProgress job={opening.job} error={opening.error} label={t('开启总结报告', 'Opening the round')} />
      )}
      {opened && (
        <p role="status">
          {t(
            `已开启：${opened.opened}个项目的总结报告须在${opened.summaryDueOn}前提交。`,
            `Opened: ${opened.opened} project(s) owe their summary report by ${opened.summaryDueOn}.`,
          )}
        </p>
      )}
    </section>
  );
}

function OverdueList({ callId }: { callId: string }) {
  const { t, b, lang } = useText();
  const path = `/calls/${encodeURIComponent(callId)}/obligations?state=overdue`;
  const overdue = useLoad(() => api<Overdue>('GET', path), [callId]);
  const download = useAction<void>();
  return (
    <section aria-labelledby="overdue">
      <h2 id="overdue">{t('逾期未交的报告', 'Overdue reports')}</h2>
      {overdue.loading && !overdue.data && <Loading />}
      {overdue.error && <RoundError error={overdue.error} />}
      {overdue.data && (
        <>
          <p class="hint">
            {t('截至', 'As of')} {instantText(overdue.data.asOf, lang)}
          </p>
          {overdue.data.rows.length === 0 ? (
            <p>{t('没有逾期未交的报告。', 'No report is overdue.')}</p>
          ) : (
            <ScrollTable wide label={t('逾期未交的报告', 'Overdue reports')}>
              <thead>
                <tr>
                  <th scope="col">{t('申报单位', 'Unit')}</th>
                  <th scope="col">{t('项目名称', 'Title')}</th>
                  <th scope="col">{t('报告', 'Report')}</th>
                  <th scope="col">{t('截止日期', 'Due on')}</th>
                  <th scope="col" class="num">
                    {t('逾期天数', 'Days overdue')}
                  </th>
                  <th scope="col">{t('状态', 'State')}</th>
                </tr>
              </thead>
              <tbody>
                {overdue.data.rows.map((row) => (
                  <tr key={`${row.applicationId}-${row.obligationId}`}>
                    <td>{row.unit}</td>
                    <th scope="row">
                      <Link href={appPath(`staff/applications/${encodeURIComponent(row.applicationId)}`)}>
                        {row.title}
                      </Link>
                    </th>
                    <td>{b(reportName({ kind: row.kind }))}</td>
                    <td>{row.dueOn}</td>
                    <td class="num">{row.daysOverdue}</td>
                    <td>{OBLIGATION_STATE_WORDS[row.state] ? b(OBLIGATION_STATE_WORDS[row.state]) : row.state}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          )}
        </>
      )}
      <div class="actions">
        <button
          type="button"
          class="secondary"
          disabled={download.busy}
          onClick={() => void download.run(undefined, () => downloadCsv(path, `${callId}-overdue-reports.csv`))}
        >
          {t('下载逾期报告清单（CSV）', 'Download the overdue list (CSV)')}
        </button>
        <button type="button" class="secondary" onClick={overdue.reload} disabled={overdue.loading}>
          {t('刷新', 'Refresh')}
        </button>
      </div>
      {download.error && <RoundError error={download.error} />}
    </section>
  );
}
