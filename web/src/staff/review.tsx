import { STATUS_WORDS } from '@shared/domain/unit-next-step';
import type { ApplicationStatus } from '@shared/domain/application-record';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { instantText, useText } from '../i18n';
import { Loading, useLoad } from '../load';
import { CallPicker, RoundError, ScrollTable, useAction, useCallChoice } from './round-common';

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
  counts: Partial<Record<ApplicationStatus, number>>;
  shortOfScores: ShortPanel[];
}

interface RoundSummary {
  applications: number;
  expertsUsed: number;
  load: { min: number; max: number; mean: number };
  disciplineMatchRate: number;
}

interface ShortPanel {
  applicationId: string;
  unitId: string;
  projectTypeId: string;
  title: string;
  validScores: number;
  needed: number;
  panel: number;
  dueAt?: string;
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

interface StartAnswer {
  started: boolean;
  state: string;
  summary?: RoundSummary;
}

function StartRound({ status, onStarted }: { status: ReviewStatus; onStarted: () => void }) {
  const { t, lang } = useText();
  const start = useAction<StartAnswer>();
  const ready = status.counts.READY_FOR_EXPERT_REVIEW ?? 0;
  const begin = async () => {
    const done = await start.run(
      t(
        `确定开始专家评审吗？将为${ready}项待评审的申报分配专家并发出评审邀请，此操作不能撤销。`,
        `Start the expert review? Experts are assigned to the ${ready} application(s) ready for review and invited; this cannot be undone.`,
      ),
      () => api<StartAnswer>('POST', `/calls/${encodeURIComponent(status.callId)}/expert-assignments`),
    );
    if (done) onStarted();
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
      {start.done && (
        <p role="status" class="round-done">
          {start.done.started
            ? t('评审已开始，专家评审邀请正在发出。', 'The round has started; the experts are being invited.')
            : t('评审此前已经开始。', 'The round had already started.')}
        </p>
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

function ShortPanels({ panels, onChanged }: { panels: ShortPanel[]; onChanged: () => void }) {
  const { t } = useText();
  return (
    <section aria-labelledby="round-short">
      <h2 id="round-short">{t('评分不足的申报', 'Short of scores')}</h2>
      {panels.length === 0 ? (
        <p>{t('目前没有评分不足的申报。', 'No application is short of scores.')}</p>
      ) : (
        <ul class="round-panels">
          {panels.map((panel) => (
            <ShortPanelItem key={panel.applicationId} panel={panel} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShortPanelItem({ panel, onChanged }: { panel: ShortPanel; onChanged: () => void }) {
  const { t, lang } = useText();
  const [expertId, setExpertId] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [expertDueOn, setExpertDueOn] = useState('');
  const add = useAction<unknown>();
  const extend = useAction<unknown>();
  const id = panel.applicationId;
  const path = `/applications/${encodeURIComponent(id)}`;
  const addExpert = async () => {
    const done = await add.run(
      expertId
        ? t(
            `确定为“${panel.title}”增加专家 ${expertId} 吗？专家会收到评审邀请，不能撤回。`,
            `Add expert ${expertId} to “${panel.title}”? They are invited at once; this cannot be undone.`,
          )
        : t(
            `确定为“${panel.title}”自动增加下一位合适的专家吗？专家会收到评审邀请，不能撤回。`,
            `Add the next suitable expert to “${panel.title}”? They are invited at once; this cannot be undone.`,
          ),
      () =>
        api('POST', `${path}/experts`, {
          body: {
            ...(expertId.trim() ? { expertId: expertId.trim() } : {}),
            ...(expertDueOn ? { dueOn: expertDueOn } : {}),
          },
        }),
    );
    if (done) onChanged();
  };
  const extendDeadline = async () => {
    const done = await extend.run(
      t(
        `确定将“${panel.title}”的评审截止日期延长至${dueOn}吗？未评分的专家会再次收到提醒。`,
        `Extend the review of “${panel.title}” to ${dueOn}? The silent experts are asked again.`,
      ),
      () => api('POST', `${path}/review-deadline`, { body: { dueOn } }),
    );
    if (done) onChanged();
  };
  return (
    <li class="card">
      <h3>{panel.title}</h3>
      <p class="hint">
        {t('申报编号', 'Application')} <code>{id}</code> · {panel.unitId}
      </p>
      <p class="todo">
        {t(
          `有效评分${panel.validScores}份，需要${panel.needed}份（评审组${panel.panel}人）`,
          `${panel.validScores} valid score(s) of ${panel.needed} needed (panel of ${panel.panel})`,
        )}
        {panel.dueAt && (
          <>
            {' '}
            · {t('截止', 'due')} {instantText(panel.dueAt, lang)}
          </>
        )}
      </p>
      <div class="round-forms">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void addExpert();
          }}
        >
          <div class="field">
            <label for={`expert-${id}`}>
              {t('增加专家：专家编号（留空则自动选择）', 'Add an expert: expert id (blank for the next suitable one)')}
            </label>
            <input
              id={`expert-${id}`}
              value={expertId}
              onInput={(e) => setExpertId((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for={`expert-due-${id}`}>
              {t(
                '新专家的评审截止日期（留空：原截止日期，已过则为一周后）',
                "The new expert's deadline (blank: the panel's, or a week from now once that has passed)",
              )}
            </label>
            <input
              id={`expert-due-${id}`}
              type="date"
              value={expertDueOn}
              onInput={(e) => setExpertDueOn((e.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" disabled={add.busy}>
            {t('增加专家', 'Add the expert')}
          </button>
          {add.error && <RoundError error={add.error} />}
        </form>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void extendDeadline();
          }}
        >
          <div class="field">
            <label for={`due-${id}`}>{t('延长评审期限至', 'Extend the review to')}</label>
            <input
              id={`due-${id}`}
              type="date"
              required
              value={dueOn}
              onInput={(e) => setDueOn((e.target as HTMLInputElement).value)}
            />
          </div>
          <button type="submit" class="secondary" disabled={extend.busy}>
            {t('延长期限', 'Extend the deadline')}
          </button>
          {extend.error && <RoundError error={extend.error} />}
        </form>
      </div>
    </li>
  );
}
