/**
 * The applications pages, as staff work from them:
 *
 *   GET /_local/console                          every application, newest first, filtered by call,
 *                                                unit, project type, status and stage (query parameters)
 *   GET /_local/console/applications/{id}        one application: what it waits on now and since when
 *                                                (with each staff task's link), its stage timeline,
 *                                                every email it was sent (rendered), its executions
 *   GET /_local/console/quotas                   each call's quota use and awards per project type
 *
 * Applications are read through the status index (once per call and status, never a Scan); times
 * are the records' own, on the simulated clock, shown in Beijing time.
 */
import {
  APPLICATION_STATUSES,
  emailsOf,
  historyWithMail,
  type ApplicationRecord,
  type ApplicationStatus,
  type EmailLogEntry,
  type Stage,
  type StageEntry,
} from '@shared/domain/application-record';
import type { Call, ProjectType } from '@shared/domain/catalogue';
import { isStaffTaskKind, type TaskRecord } from '@shared/domain/tasks/record';
import { readApplications, unitNames, type ConsoleStore } from './data';
import { describeExecution, executionHref, listExecutions, type ExecutionsDeps } from './executions';
import {
  badge,
  beijing,
  duration,
  epochMs,
  escapeHtml,
  href,
  htmlAnswer,
  pre,
  problem,
  span,
  timeCell,
  type Answer,
  type PageOptions,
} from './html';
import { renderEmail } from './mailbox';
import {
  APPLICATION_STATUS_LIST,
  applicationBadge,
  bilingual,
  executionBadge,
  executionKindLabel,
  executionKindOf,
  STAGE_LABELS,
  STAGE_LIST,
  stageLabel,
  STATUS_LABELS,
  taskLabel,
} from './labels';

export interface ApplicationsDeps extends ExecutionsDeps {
  store: ConsoleStore;
}

/** What the list reads of each application (not its email log or marks). */
const LIST_ATTRIBUTES = [
  'applicationId',
  'callId',
  'unitId',
  'projectTypeId',
  'status',
  'form',
  'history',
  'createdAt',
  'updatedAt',
  'award',
] as const;

const FINISHED: readonly ApplicationStatus[] = ['AWARDED', 'NOT_AWARDED', 'REJECTED', 'WITHDRAWN'];
/** Still on its way to a score: every status before SCORED, in the domain's order. */
const IN_PROGRESS: readonly ApplicationStatus[] = APPLICATION_STATUSES.slice(0, APPLICATION_STATUSES.indexOf('SCORED'));

/** Where an application stands: its latest stage entry that is about the application (not about its execution). */
export function currentStage(record: Pick<ApplicationRecord, 'history'>): StageEntry | undefined {
  const history = record.history ?? [];
  for (let i = history.length - 1; i >= 0; i--) if (history[i].stage !== 'Workflow') return history[i];
  return history.at(-1);
}

function typeOf(calls: Call[], callId: string, typeId: string): ProjectType | undefined {
  return calls.find((call) => call.callId === callId)?.projectTypes.find((type) => type.typeId === typeId);
}

const appHref = (applicationId: string) => href(`/applications/${encodeURIComponent(applicationId)}`);

function title(record: Pick<ApplicationRecord, 'form' | 'applicationId'>): string {
  return typeof record.form?.title === 'string' && record.form.title ? record.form.title : record.applicationId;
}

function resultTone(result: string): 'good' | 'bad' | 'wait' | '' {
  if (/TASK_OPENED|WAIT|RESUMED|STARTED/.test(result)) return 'wait';
  if (/FAIL|REJECT|RETURN|WITHDRAW|NOT_|EXPIRED|MISSING|SHORT|BOUNCE|COMPLAINT/.test(result)) return 'bad';
  if (/PASS|RECEIVED|SENT|AWARD|SCORED|ACCEPT|CONFIRM|SUBMITTED|AMENDED|RECORDED|DONE|OK/.test(result)) return 'good';
  return '';
}

// ------------------------------------------------------------------ the list

interface Filters {
  call?: string;
  unit?: string;
  type?: string;
  status?: ApplicationStatus;
  stage?: Stage;
}

function readFilters(url: URL, calls: Call[]): Filters | string {
  const get = (name: string) => url.searchParams.get(name)?.trim() || undefined;
  const filters: Filters = { call: get('call'), unit: get('unit'), type: get('type') };
  const status = get('status')?.toUpperCase();
  if (status !== undefined) {
    if (!(APPLICATION_STATUS_LIST as string[]).includes(status))
      return `status 须为以下之一 must be one of ${APPLICATION_STATUS_LIST.join(', ')}`;
    filters.status = status as ApplicationStatus;
  }
  const stage = get('stage');
  if (stage !== undefined) {
    if (!(STAGE_LIST as string[]).includes(stage)) return `stage 须为以下之一 must be one of ${STAGE_LIST.join(', ')}`;
    filters.stage = stage as Stage;
  }
  if (filters.call !== undefined && !calls.some((call) => call.callId === filters.call)) {
    return `call 须为以下之一 must be one of ${calls.map((call) => call.callId).join(', ')}`;
  }
  return filters;
}

function select(name: string, label: string, current: string | undefined, options: [string, string][]): string {
  const items = [['', '全部 All'] as [string, string], ...options]
    .map(
      ([value, text]) =>
        `<option value="${escapeHtml(value)}"${value === (current ?? '') ? ' selected' : ''}>${escapeHtml(text)}</option>`,
    )
    .join('');
  return `<label>${escapeHtml(label)}<select name="${escapeHtml(name)}">${items}</select></label>`;
}

function waitingCell(tasks: TaskRecord[], now: Date): string {
  if (tasks.length === 0) return '<span class="muted">—</span>';
  return tasks
    .map((task) => {
      const since = epochMs(task.createdAt);
      const overdue = Date.parse(task.dueAt) < now.getTime();
      return `${taskLabel(task.kind)}${since !== undefined ? ` <span class="muted small">${escapeHtml(span(now.getTime() - since))}</span>` : ''}${
        overdue ? ` ${badge('逾期 overdue', 'red')}` : ''
      }`;
    })
    .join('<br>');
}

export async function applicationsPage(deps: ApplicationsDeps, url: URL, options: PageOptions): Promise<Answer> {
  const calls = await deps.store.calls();
  const filters = readFilters(url, calls);
  if (typeof filters === 'string') return problem(400, '筛选条件无效 Unknown filter', filters, options);
  const now = options.clock?.now() ?? new Date();

  const [all, openTasks] = await Promise.all([
    readApplications(deps.store, { statuses: APPLICATION_STATUS_LIST, attributes: LIST_ATTRIBUTES }),
    deps.store.openTasks(),
  ]);
  const names = await unitNames(
    deps.store,
    all.map((app) => app.unitId),
  );
  const tasksOf = new Map<string, TaskRecord[]>();
  for (const task of openTasks)
    if (task.applicationId) tasksOf.set(task.applicationId, [...(tasksOf.get(task.applicationId) ?? []), task]);

  const unitLabel = (unitId: string) => (names.get(unitId) ? `${names.get(unitId)} (${unitId})` : unitId);
  const typeLabel = (callId: string, typeId: string) => {
    const type = typeOf(calls, callId, typeId);
    return type ? `${type.no}. ${type.name.zh}` : typeId;
  };

  // Everything but the status filter, then the status: the status counts show what each would give.
  const matchesOthers = (app: ApplicationRecord) =>
    (!filters.call || app.callId === filters.call) &&
    (!filters.unit || app.unitId === filters.unit) &&
    (!filters.type || app.projectTypeId === filters.type) &&
    (!filters.stage || currentStage(app)?.stage === filters.stage);
  const others = all.filter(matchesOthers);
  const shown = others
    .filter((app) => !filters.status || app.status === filters.status)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const units = [...new Set(all.map((app) => app.unitId))].sort((a, b) =>
    unitLabel(a).localeCompare(unitLabel(b), 'zh'),
  );
  const types = new Map<string, string>();
  for (const call of calls)
    for (const type of call.projectTypes)
      if (!types.has(type.typeId)) types.set(type.typeId, `${type.no}. ${type.name.zh} ${type.name.en}`);

  const form = `<form class="filter" method="get" action="${href('')}">
${select(
  'call',
  '申报通知 Call',
  filters.call,
  calls.map((call) => [call.callId, `${call.year} ${call.callId}`]),
)}
${select(
  'unit',
  '单位 Unit',
  filters.unit,
  units.map((unitId) => [unitId, unitLabel(unitId)]),
)}
${select('type', '项目类型 Project type', filters.type, [...types.entries()])}
${select(
  'status',
  '状态 Status',
  filters.status,
  APPLICATION_STATUS_LIST.map((status) => [status, `${STATUS_LABELS[status].zh} ${STATUS_LABELS[status].en}`]),
)}
${select(
  'stage',
  '当前阶段 Stage',
  filters.stage,
  STAGE_LIST.map((stage) => [stage, bilingual(STAGE_LABELS[stage], stage)]),
)}
<button type="submit">筛选 Filter</button>
<a href="${href('')}">清除 Clear</a>
</form>`;

  const counts = new Map<ApplicationStatus, number>();
  for (const app of others) counts.set(app.status, (counts.get(app.status) ?? 0) + 1);
  const chips = APPLICATION_STATUS_LIST.filter((status) => counts.get(status))
    .map((status) => {
      const text = `${STATUS_LABELS[status].zh} ${counts.get(status)}`;
      return status === filters.status
        ? `<strong>${escapeHtml(text)}</strong>`
        : `<a href="${href('', { ...filters, status })}">${escapeHtml(text)}</a>`;
    })
    .join(' · ');

  const rows = shown
    .map((app) => {
      const stage = currentStage(app);
      return `<tr>
<td data-label="申请 Application"><a href="${appHref(app.applicationId)}">${escapeHtml(title(app))}</a><br><span class="mono muted small">${escapeHtml(app.applicationId)}</span></td>
<td data-label="单位 Unit"><a href="${href('', { ...filters, unit: app.unitId })}">${escapeHtml(names.get(app.unitId) ?? app.unitId)}</a><br><span class="mono muted small">${escapeHtml(app.unitId)}</span></td>
<td data-label="项目类型 Project type"><a href="${href('', { ...filters, type: app.projectTypeId })}">${escapeHtml(typeLabel(app.callId, app.projectTypeId))}</a><br><span class="muted small">${escapeHtml(app.callId)}</span></td>
<td data-label="状态 Status">${applicationBadge(app.status)}</td>
<td data-label="当前阶段 Stage">${
        stage
          ? `${stageLabel(stage.stage)}<br><span class="muted small">${escapeHtml(stage.result)} · ${escapeHtml(beijing(stage.at))}</span>`
          : '<span class="muted">—</span>'
      }</td>
<td data-label="等待 Waiting on">${waitingCell(tasksOf.get(app.applicationId) ?? [], now)}</td>
<td class="time" data-label="提交 Submitted">${timeCell(app.createdAt)}</td>
</tr>`;
    })
    .join('\n');

  const content = `<h1>申请 Applications</h1>
${form}
<p class="small">${shown.length === all.length ? `${shown.length}` : `${shown.length} / ${all.length}`} 份申请 application(s)${chips ? ` · 按状态 By status: ${chips}` : ''}</p>
<table class="cards">
<thead><tr><th>申请 Application</th><th>单位 Unit</th><th>项目类型 Project type</th><th>状态 Status</th><th>当前阶段 Stage</th><th>等待 Waiting on (for how long)</th><th>提交 Submitted</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7" class="muted">没有符合条件的申请 No applications match.</td></tr>'}
</tbody>
</table>
<p class="muted small">时间为模拟时钟的北京时间 Times are Beijing time on the simulated clock. 当前阶段为时间线上最近一条申请阶段 The stage is the latest stage on the application's timeline.</p>`;
  return htmlAnswer(200, '申请 Applications', content, { ...options, section: '/' });
}

// ------------------------------------------------------------------ one application

function detailText(detail: unknown): string {
  if (detail === undefined || detail === null) return '';
  if (typeof detail !== 'object') return `<div class="small">${escapeHtml(detail)}</div>`;
  const entries = Object.entries(detail as Record<string, unknown>);
  const flat = entries.every(([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value));
  if (flat && entries.length <= 8) {
    // Instants (ISO-8601 with an offset) read as every other time on the page.
    const shown = (value: unknown) =>
      typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([zZ]|[+-]\d\d:\d\d)$/.test(value)
        ? beijing(value)
        : value;
    return `<div class="small muted">${entries.map(([key, value]) => `${escapeHtml(key)}: ${escapeHtml(shown(value))}`).join(' · ')}</div>`;
  }
  return `<details class="small"><summary>详情 detail</summary>${pre(detail)}</details>`;
}

function timeline(history: StageEntry[]): string {
  if (history.length === 0) return '<p class="muted">时间线为空 No stage recorded.</p>';
  const items = history
    .map((entry) => {
      const tone = resultTone(String(entry.result ?? ''));
      return `<li${tone ? ` class="${tone}"` : ''}><span class="when">${escapeHtml(beijing(entry.at))}</span> · <strong>${stageLabel(entry.stage)}</strong> · <span class="mono">${escapeHtml(
        entry.result,
      )}</span>${detailText(entry.detail)}</li>`;
    })
    .join('\n');
  return `<ol class="timeline">\n${items}\n</ol>`;
}

/**
 * What an unfinished application with no open task is doing, as its execution says, never assumed:
 * at work only while its execution runs; otherwise stalled, and being resumed by the rule that
 * resumes every stalled application (the execution's end, the reconciliation, a restart), or failed
 * and left to its recovery. The latest resumption, if any, is named.
 */
const causeOf = (entry: { detail?: unknown }) => {
  const cause = (entry.detail as { cause?: unknown } | undefined)?.cause;
  return typeof cause === 'string' ? cause : undefined;
};

export async function workflowState(deps: ApplicationsDeps, record: ApplicationRecord): Promise<string> {
  const execution = record.executionArn ? record.executionArn.split(':').pop()! : record.applicationId;
  const described = await describeExecution(deps, execution).catch(() => undefined);
  const resumed = [...record.history]
    .reverse()
    .find((entry) => entry.stage === 'Workflow' && entry.result === 'RESUMED');
  const resumedNote = resumed
    ? ` <span class="muted">上次恢复 Last resumed ${escapeHtml(beijing(resumed.at))}${causeOf(resumed) ? ` · ${escapeHtml(causeOf(resumed)!)}` : ''}</span>`
    : '';
  if (described?.status === 'RUNNING') {
    return `<p class="muted">没有待办任务：工作流正在处理（执行 <span class="mono">${escapeHtml(execution)}</span> 运行中）。No open task: the workflow is at work (execution ${escapeHtml(execution)} is running).${resumedNote}</p>`;
  }
  const ended = described ? `执行已结束（${escapeHtml(String(described.status))}）` : '没有执行';
  const endedEn = described ? `its execution ended (${escapeHtml(String(described.status))})` : 'it has no execution';
  if (record.failure) {
    return `<p class="note">工作流失败，已记录，等待自动恢复或工作人员处理：${ended}。The workflow failed and is recorded; its recovery (or staff) starts it again: ${endedEn}.${resumedNote}</p>`;
  }
  return `<p class="note">已停滞，正在恢复：${ended}，将从记录的阶段继续。Stalled, being resumed: ${endedEn}; it goes on from the stage its record says.${resumedNote}</p>`;
}

async function waitingSection(deps: ApplicationsDeps, record: ApplicationRecord, now: Date): Promise<string> {
  const tasks = (await deps.store.openTasks())
    .filter((task) => task.applicationId === record.applicationId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (tasks.length === 0) {
    if (FINISHED.includes(record.status)) {
      return `<p>已结束，没有待办 Finished: nothing is waited on.${record.outcome ? ` <span class="muted">${escapeHtml(record.outcome.result)}${record.outcome.reason ? ` · ${escapeHtml(record.outcome.reason)}` : ''} · ${escapeHtml(beijing(record.outcome.at))}</span>` : ''}</p>`;
    }
    return workflowState(deps, record);
  }
  const rows = await Promise.all(
    tasks.map(async (task) => {
      const since = epochMs(task.createdAt);
      const due = epochMs(task.dueAt);
      const overdue = due !== undefined && due < now.getTime();
      const link =
        isStaffTaskKind(task.kind) && task.assignee
          ? await deps.store.taskLink(task).catch(() => undefined)
          : undefined;
      return `<tr>
<td data-label="待办 Waiting on"><strong>${taskLabel(task.kind)}</strong>${task.state === 'CLOSING' ? `<br>${badge('答复送达中 answer being delivered', 'blue')}` : ''}${
        task.round
          ? `<br><span class="muted small">第 ${escapeHtml(task.round)} 轮 round ${escapeHtml(task.round)}</span>`
          : ''
      }</td>
<td data-label="负责人 Who">${task.assignee ? `${escapeHtml(task.assignee.name)}<br><span class="muted small">${escapeHtml(task.assignee.email)}</span>` : task.kind === 'amendment' ? '申报单位 The unit' : '<span class="muted">—</span>'}</td>
<td class="time" data-label="开始于 Since">${timeCell(task.createdAt)}${since !== undefined ? `<br><span class="small">已等待 waiting ${escapeHtml(span(now.getTime() - since))}</span>` : ''}</td>
<td class="time" data-label="截止 Due">${timeCell(task.dueAt)}${
        overdue && due !== undefined
          ? `<br>${badge(`逾期 overdue ${span(now.getTime() - due)}`, 'red')}`
          : due !== undefined
            ? `<br><span class="muted small">还有 in ${escapeHtml(span(due - now.getTime()))}</span>`
            : ''
      }</td>
<td data-label="任务链接 Task link">${link ? `<a href="${escapeHtml(link)}">打开任务 Open the task</a><br><span class="mono muted small">${escapeHtml(link)}</span>` : '<span class="muted">—</span>'}</td>
</tr>`;
    }),
  );
  return `<table class="cards"><thead><tr><th>待办 Waiting on</th><th>负责人 Who</th><th>开始于 Since</th><th>截止 Due</th><th>任务链接 Task link (staff)</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function emailsSection(deps: ApplicationsDeps, logged: EmailLogEntry[]): string {
  if (logged.length === 0) return '<p class="muted">尚未发送邮件 No email sent yet.</p>';
  const byId = new Map(deps.store.mailbox().map((email) => [email.messageId, email]));
  return logged.map((entry) => renderEmail(entry.messageId ? byId.get(entry.messageId) : undefined, entry)).join('\n');
}

async function executionsSection(deps: ApplicationsDeps, record: ApplicationRecord): Promise<string> {
  const { executions } = await listExecutions(deps, undefined, 10_000);
  const mine = executions.filter(
    (execution) => executionKindOf(String(execution.name ?? '')).applicationId === record.applicationId,
  );
  if (mine.length === 0) return '<p class="muted">没有执行 No execution.</p>';
  const current = record.executionArn?.split(':').pop();
  const rows = await Promise.all(
    mine.map(async (execution) => {
      const name = String(execution.name ?? '');
      const described =
        execution.status === 'ABORTED' ? await describeExecution(deps, name).catch(() => undefined) : undefined;
      return `<tr>
<td class="mono" data-label="执行 Execution"><a href="${executionHref(name)}">${escapeHtml(name)}</a>${name === current ? ` ${badge('当前 current', 'outline')}` : ''}</td>
<td data-label="说明 What">${escapeHtml(executionKindLabel(executionKindOf(name)))}</td>
<td data-label="执行状态 Execution status">${executionBadge(execution.status, described?.error)}</td>
<td class="time" data-label="开始（墙钟）Started (wall clock)">${timeCell(execution.startDate)}</td>
<td class="time" data-label="结束（墙钟）Stopped (wall clock)">${timeCell(execution.stopDate)}</td>
<td class="num" data-label="用时 Duration">${escapeHtml(duration(execution.startDate, execution.stopDate))}</td>
</tr>`;
    }),
  );
  return `<table class="cards"><thead><tr><th>执行 Execution</th><th>说明 What</th><th>执行状态 Execution status</th><th>开始（墙钟）Started (wall clock)</th><th>结束（墙钟）Stopped (wall clock)</th><th>用时 Duration</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<p class="muted small">执行的状态是工作流的状态，不是申请的状态 An execution's status is its workflow's, not the application's: a withdrawn application's execution also ends SUCCEEDED.</p>`;
}

export async function applicationPage(deps: ApplicationsDeps, rawId: string, options: PageOptions): Promise<Answer> {
  let applicationId: string;
  try {
    applicationId = decodeURIComponent(rawId);
  } catch {
    return problem(404, '没有此申请 Application not found', `No application ${rawId}`, options);
  }
  const record = await deps.store.getApplication(applicationId);
  if (!record)
    return problem(
      404,
      '没有此申请 Application not found',
      `没有编号为 No application is numbered “${applicationId}”.`,
      options,
    );
  const now = options.clock?.now() ?? new Date();
  const calls = await deps.store.calls();
  const call = calls.find((c) => c.callId === record.callId);
  const type = typeOf(calls, record.callId, record.projectTypeId);
  const unitName = await deps.store.unitName(record.unitId).catch(() => undefined);
  const [waiting, executions, mail] = await Promise.all([
    waitingSection(deps, record, now),
    executionsSection(deps, record),
    deps.store.mailLog(applicationId),
  ]);
  const emails = emailsOf(record, mail);
  const history = historyWithMail(record, mail);
  const stage = currentStage(record);

  const content = `<p><a href="${href('')}">← 全部申请 All applications</a> · <a href="${href('', { unit: record.unitId })}">本单位的申请 This unit's applications</a></p>
<h1>${escapeHtml(title(record))} ${applicationBadge(record.status)}</h1>
<dl class="facts">
<dt>申请编号 Application id</dt><dd class="mono">${escapeHtml(record.applicationId)}</dd>
<dt>单位 Unit</dt><dd>${escapeHtml(unitName ?? record.unitId)} <span class="mono muted small">${escapeHtml(record.unitId)}</span></dd>
<dt>项目类型 Project type</dt><dd>${type ? `${escapeHtml(type.no)}. ${escapeHtml(type.name.zh)} <span class="muted">${escapeHtml(type.name.en)}</span>` : escapeHtml(record.projectTypeId)}</dd>
<dt>申报通知 Call</dt><dd>${escapeHtml(call?.title.zh ?? record.callId)} <span class="mono muted small">${escapeHtml(record.callId)}</span></dd>
<dt>状态 Status</dt><dd>${escapeHtml(STATUS_LABELS[record.status]?.zh ?? record.status)} <span class="mono muted small">${escapeHtml(record.status)}</span></dd>
<dt>当前阶段 Stage</dt><dd>${stage ? `${stageLabel(stage.stage)} · <span class="mono">${escapeHtml(stage.result)}</span> · ${escapeHtml(beijing(stage.at))}` : '—'}</dd>
<dt>版本 Version</dt><dd>${escapeHtml(record.version)}</dd>
<dt>提交 / 更新 Submitted / updated</dt><dd>${escapeHtml(beijing(record.createdAt))} / ${escapeHtml(beijing(record.updatedAt))}</dd>
${record.expertReview?.score !== undefined ? `<dt>得分 Score</dt><dd>${escapeHtml(record.expertReview.score)}</dd>` : ''}
${record.award ? `<dt>立项 Award</dt><dd>${record.award.awarded ? '立项 awarded' : '未立项 not awarded'} · 排名 rank ${escapeHtml(record.award.rank)}/${escapeHtml(record.award.ofCount)} · ${escapeHtml(record.award.amountCny)} 元 CNY</dd>` : ''}
${record.failure ? `<dt>失败 Failure</dt><dd class="err">${escapeHtml(record.failure.stage)}: ${escapeHtml(record.failure.error)}</dd>` : ''}
</dl>
<h2>现在等待 Waiting on now</h2>
${waiting}
<h2>阶段时间线 Stage timeline <span class="muted small">(${history.length})</span></h2>
${timeline(history)}
<h2 id="emails">邮件 Emails sent <span class="muted small">(${emails.length})</span></h2>
${emailsSection(deps, emails)}
<h2>工作流执行 Executions</h2>
${executions}
<details><summary>完整记录 Full record (JSON)</summary>${pre(JSON.stringify({ ...record, waitingOn: [...(record.waitingOn ?? [])] }))}</details>
<p class="muted small">时间为模拟时钟的北京时间，标注“墙钟”的除外 Times are Beijing time on the simulated clock, except those marked wall clock. Now: ${escapeHtml(beijing(now))}.</p>`;
  return htmlAnswer(200, `${title(record)} · 申请 Application`, content, { ...options, section: '/' });
}

// ------------------------------------------------------------------ quotas

export async function quotasPage(deps: ApplicationsDeps, options: PageOptions): Promise<Answer> {
  const calls = await deps.store.calls();
  const all = await readApplications(deps.store, {
    statuses: APPLICATION_STATUS_LIST,
    attributes: ['applicationId', 'callId', 'projectTypeId', 'status'],
  });
  const sections = calls.map((call) => {
    const ofCall = all.filter((app) => app.callId === call.callId);
    const count = (typeId: string | undefined, statuses?: readonly ApplicationStatus[]) =>
      ofCall.filter(
        (app) => (typeId === undefined || app.projectTypeId === typeId) && (!statuses || statuses.includes(app.status)),
      ).length;
    const cell = (label: string, n: number, query: Record<string, string | undefined>) =>
      `<td class="num" data-label="${escapeHtml(label)}">${n ? `<a href="${href('', { call: call.callId, ...query })}">${n}</a>` : '<span class="muted">0</span>'}</td>`;
    const row = (typeId: string | undefined, label: string, quota: number, cls = '') => {
      const awarded = count(typeId, ['AWARDED']);
      const pct = Math.min(100, Math.round((awarded / quota) * 100));
      return `<tr${cls}>
<td data-label="项目类型 Project type">${label}</td>
<td class="num" data-label="名额 Quota">${quota}</td>
${cell('申请 Applied', count(typeId), { type: typeId })}
${cell('进行中 In progress', count(typeId, IN_PROGRESS), { type: typeId })}
${cell('撤回 Withdrawn', count(typeId, ['WITHDRAWN']), { type: typeId, status: 'WITHDRAWN' })}
${cell('未通过 Rejected', count(typeId, ['REJECTED']), { type: typeId, status: 'REJECTED' })}
${cell('已评分 Scored', count(typeId, ['SCORED']), { type: typeId, status: 'SCORED' })}
<td class="num" data-label="立项 Awarded"><strong>${awarded}/${quota}</strong><div class="bar" title="${pct}%"><span style="width:${pct}%"></span></div></td>
${cell('未立项 Not awarded', count(typeId, ['NOT_AWARDED']), { type: typeId, status: 'NOT_AWARDED' })}
</tr>`;
    };
    const rows = call.projectTypes.map((type) =>
      row(
        type.typeId,
        `${escapeHtml(type.no)}. ${escapeHtml(type.name.zh)}<br><span class="muted small">${escapeHtml(type.name.en)}</span>`,
        type.quota,
      ),
    );
    const totalQuota = call.projectTypes.reduce((sum, type) => sum + type.quota, 0);
    rows.push(row(undefined, '合计 Total', totalQuota, ' class="total"'));
    // A sample call is no issued notice: said beside its title, so its document number is not taken for one.
    const sample = call.sample
      ? {
          badge: ` ${badge('示例 sample', 'outline')}`,
          note: `<p class="small muted">${escapeHtml(call.sample.note.zh)} ${escapeHtml(call.sample.note.en)}</p>`,
        }
      : { badge: '', note: '' };
    return `<h2>${escapeHtml(call.title.zh)} <span class="mono muted small">${escapeHtml(call.callId)}</span>${sample.badge}</h2>${sample.note}
<p class="small muted">${escapeHtml(call.title.en)} · 截止 deadline ${escapeHtml(beijing(call.submissionDeadline))} · ${ofCall.length} 份申请 application(s), 立项 awarded ${count(undefined, ['AWARDED'])}/${totalQuota}</p>
<table class="cards"><thead><tr><th>项目类型 Project type</th><th class="num">名额 Quota</th><th class="num">申请 Applied</th><th class="num">进行中 In progress</th><th class="num">撤回 Withdrawn</th><th class="num">未通过 Rejected</th><th class="num">已评分 Scored</th><th class="num">立项 Awarded</th><th class="num">未立项 Not awarded</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
  });
  const content = `<h1>名额与立项 Quotas and awards</h1>
<p class="muted small">每个项目类型的名额（立项数）、收到的申请及其去向；数字可点开对应的申请。Each project type's quota (number of awards), the applications received and where they stand; each number opens those applications.</p>
${sections.join('\n')}`;
  return htmlAnswer(200, '名额与立项 Quotas', content, { ...options, section: '/quotas' });
}
