import { STATUS_WORDS } from '@shared/domain/unit-next-step';
import type { ApplicationStatus } from '@shared/domain/application-record';
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { instantText, useText } from '../i18n';
import { Loading, useLoad } from '../load';
import { CallPicker, RoundError, ScrollTable, useAction, useCallChoice } from './round-common';
import { JobProgress, useJob, type Job } from './job-progress';
import { ShortPanels, type ShortPanel } from './review-short';

/** `GET /calls/{callId}/review-status`. */
interface ReviewStatus {
  callId: string;
  reviewOpensAt: string;
  reviewDeadline: string;
  round: {
    state: string;
    startedAt: string;
    startedBy: string;
    summary?: RoundSummary;
  } | null;
  /** the latest start's job: its progress, or why the pool could not serve the round */
  job: Job | null;
  counts: Partial<Record<ApplicationStatus, number>>;
  shortOfScores: ShortPanel[];
}

interface RoundSummary {
  applications: number;
  expertsUsed: number;
  load: { min: number; max: number; mean: number };
  disciplineMatchRate: number;
}

/**
 * The expert review round (staff): start it (the pool's shortfalls listed when it cannot), follow
 * its progress, and top up a panel short of scores with an expert or more time.
 */
export function ReviewPage() {
  const { t } = useText();
  const choice = useCallChoice();
  return (
    <>
      <h1>{t('专家评审', 'Expert review')}</h1>
      {choice.error && <RoundError error={choice.error} />}
      <CallPicker calls={choice.calls} callId={choice.callId} />
      {choice.callId ? <Review callId={choice.callId} key={choice.callId} /> : !choice.error && <Loading />}
    </>
  );
}

function Review({ callId }: { callId: string }) {
  const { t } = useText();
  const status = useLoad(
    () => api<ReviewStatus>('GET', `/calls/${encodeURIComponent(callId)}/review-status`),
    [callId],
  );
  return (
    <>
      {status.loading && !status.data && <Loading />}
      {status.error && <RoundError error={status.error} />}
      {status.data && (
        <>
          <StartRound status={status.data} onStarted={status.reload} />
          <Progress status={status.data} />
          <ShortPanels panels={status.data.shortOfScores} onChanged={status.reload} />
          <p>
            <button type="button" class="secondary" onClick={status.reload} disabled={status.loading}>
              {t('刷新进度', 'Refresh the progress')}
            </button>
          </p>
        </>
      )}
    </>
  );
}

/**
 * A round's job that ended without a round (the pool could not serve every application) as the
 * refusal staff act on: what failed and, per application, why (the job's errors).
 */
function refusalOf(job: Job | undefined | null): ApiError | undefined {
  if (job?.kind !== 'review-round' || job.state !== 'FAILED' || typeof job.result?.code !== 'string') return undefined;
  return new ApiError(
    409,
    job.result.code,
    String(job.result.message ?? ''),
    job.errors.map((e) => ({
      path: e.item ? `applications.${e.item}` : '',
      code: 'UNSERVED',
      message: e.message,
    })),
  );
}

function StartRound({ status, onStarted }: { status: ReviewStatus; onStarted: () => void }) {
  const { t, lang } = useText();
  const start = useAction<Job>();
  const [started, setStarted] = useState<Job>();
  const assigning = useJob(started, onStarted);
  // The latest start refused (this one, or one before the page was opened): what to fix, listed.
  const refused = refusalOf(assigning.job ?? status.job);
  const unserved = Number((assigning.job ?? status.job)?.result?.unserved ?? 0);
  const ready = status.counts.READY_FOR_EXPERT_REVIEW ?? 0;
  const begin = async () => {
    const job = await start.run(
      t(
        `确定开始专家评审吗？将为${ready}项待评审的申报分配专家并发出评审邀请，此操作不能撤销。`,
        `Start the expert review? Experts are assigned to the ${ready} application(s) ready for review and invited; this cannot be undone.`,
      ),
      () => api<Job>('POST', `/calls/${encodeURIComponent(status.callId)}/expert-assignments`),
    );
    if (job) {
      setStarted(job);
      onStarted();
    }
  };
  return (
    <section class="card" aria-labelledby="round-start">
      <h2 id="round-start">{t('评审轮次', 'The review round')}</h2>
      <dl class="facts">
        <dt>{t('评审开始', 'Review opens')}</dt>
        <dd>{instantText(status.reviewOpensAt, lang)}</dd>
        <dt>{t('评审截止', 'Review deadline')}</dt>
        <dd>{instantText(status.reviewDeadline, lang)}</dd>
        <dt>{t('状态', 'State')}</dt>
        <dd class="round-state">
          {status.round
            ? t(
                `已开始（${instantText(status.round.startedAt, lang)}）`,
                `Started ${instantText(status.round.startedAt, lang)}`,
              )
            : t('尚未开始', 'Not started')}
        </dd>
      </dl>
      {status.round?.summary && <Summary summary={status.round.summary} />}
      {!status.round && (
        <>
          <p>
            {t(
              `${ready}项申报已通过工作人员审核，等待专家评审。`,
              `${ready} application(s) passed the staff stages and wait for the expert review.`,
            )}
          </p>
          <button type="button" onClick={() => void begin()} disabled={start.busy}>
            {t('开始专家评审', 'Start the review round')}
          </button>
        </>
      )}
      {start.busy && <Loading />}
      {start.error && <RoundError error={start.error} />}
      {!status.round && refused && (
        <>
          <RoundError error={refused} />
          {unserved > refused.details.length && (
            <p>
              {t(
                `共${unserved}项申报无法分配专家，以上列出前${refused.details.length}项。`,
                `${unserved} applications cannot be served; the first ${refused.details.length} are listed.`,
              )}
            </p>
          )}
        </>
      )}
      {assigning.job && !refused && (
        <>
          <p role="status" class="round-done">
            {t('评审已开始，专家评审邀请正在发出。', 'The round has started; the experts are being invited.')}
          </p>
          <JobProgress
            job={assigning.job}
            error={assigning.error}
            label={t('分配专家并发出邀请', 'Assigning the experts and inviting them')}
          />
        </>
      )}
    </section>
  );
}

function Summary({ summary }: { summary: RoundSummary }) {
  const { t } = useText();
  return (
    <dl class="facts">
      <dt>{t('分配的申报', 'Applications assigned')}</dt>
      <dd>{summary.applications}</dd>
      <dt>{t('参与评审的专家', 'Experts used')}</dt>
      <dd>{summary.expertsUsed}</dd>
      <dt>{t('每位专家的评审量', 'Load per expert')}</dt>
      <dd>
        {t(
          `最少${summary.load.min}，最多${summary.load.max}，平均${summary.load.mean.toFixed(1)}`,
          `min ${summary.load.min}, max ${summary.load.max}, mean ${summary.load.mean.toFixed(1)}`,
        )}
      </dd>
      <dt>{t('学科匹配率', 'Discipline match')}</dt>
      <dd>{Math.round(summary.disciplineMatchRate * 100)}%</dd>
    </dl>
  );
}

function Progress({ status }: { status: ReviewStatus }) {
  const { t, b } = useText();
  // In the order an application goes through them.
  const order = Object.keys(STATUS_WORDS) as ApplicationStatus[];
  const counts = (Object.entries(status.counts) as Array<[ApplicationStatus, number]>).sort(
    ([a], [b]) => order.indexOf(a) - order.indexOf(b),
  );
  return (
    <section aria-labelledby="round-progress">
      <h2 id="round-progress">{t('评审进度', 'Progress')}</h2>
      <ScrollTable label={t('各状态的申报数', 'Applications by status')}>
        <thead>
          <tr>
            <th scope="col">{t('状态', 'Status')}</th>
            <th scope="col" class="num">
              {t('申报数', 'Applications')}
            </th>
          </tr>
        </thead>
        <tbody>
          {counts.map(([s, n]) => (
            <tr key={s}>
              <th scope="row">{STATUS_WORDS[s] ? b(STATUS_WORDS[s].status) : s}</th>
              <td class="num">{n}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}
