/**
 * The executions pages: what the Step Functions console shows on AWS.
 *
 *   GET /_local/console/executions            every execution of the state machine, newest first
 *                                             (?status=FAILED|RUNNING|… filters; refreshes every 5 s)
 *   GET /_local/console/executions/{name}     one execution: input, output or error/cause, the
 *                                             application's current record, and the full history
 *
 * Executions are read only through Step Functions API actions (ListExecutions, DescribeExecution,
 * GetExecutionHistory), so the pages show what `aws stepfunctions …` would; their dates are the
 * wall clock's (the Step Functions endpoint's), and say so. The application record comes from the
 * HTTP API (GET /applications/{id}) as a staff member would read it; an execution is matched to its
 * application by its name (`<id>`, `<id>-v<n>`, `<id>-r<n>`, `<id>-s<n>`).
 */
import { executionArnFor } from '@shared/domain/ids';
import {
  beijing,
  duration,
  errorName,
  escapeHtml,
  href,
  htmlAnswer,
  pre,
  problem,
  timeCell,
  type Answer,
  type JsonObject,
  type PageOptions,
} from './html';
import { applicationBadge, executionBadge, executionKindLabel, executionKindOf, STOPPED_BY_RESTART } from './labels';

/**
 * Anything that answers Step Functions API actions with their JSON shapes: LocalStepFunctions (its
 * in-process `handleAction`), or an adapter over an SFN endpoint. Errors carry AWS's error type as
 * `name` (ExecutionDoesNotExist, InvalidArn, ValidationException, …).
 */
export interface StepFunctionsApi {
  handleAction(action: string, request: JsonObject): Promise<JsonObject>;
}

export interface ExecutionsDeps {
  stepFunctions: StepFunctionsApi;
  stateMachineArn: string;
  /** When given, the pages show each application's title and current record from the HTTP API. */
  api?: { url: string; token: () => string };
  /** Seconds between refreshes of the list page (default 5). */
  refreshSeconds?: number;
  /** At most this many executions on the list page (default 1000). */
  maxRows?: number;
}

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
/** Titles are fetched for the newest rows only, so a long list still renders quickly. */
const MAX_RECORD_LOOKUPS = 200;
const LOOKUP_CONCURRENCY = 8;

export function executionHref(name: unknown): string {
  return href(`/executions/${encodeURIComponent(String(name ?? ''))}`);
}

export function applicationHref(applicationId: unknown): string {
  return href(`/applications/${encodeURIComponent(String(applicationId ?? ''))}`);
}

/** Every execution of the state machine (newest first), up to `maxRows`, through ListExecutions. */
export async function listExecutions(
  deps: ExecutionsDeps,
  statusFilter?: string,
  maxRows = deps.maxRows ?? 1000,
): Promise<{ executions: JsonObject[]; truncated: boolean }> {
  const executions: JsonObject[] = [];
  let nextToken: string | undefined;
  do {
    const answer = await deps.stepFunctions.handleAction('ListExecutions', {
      stateMachineArn: deps.stateMachineArn,
      maxResults: Math.min(1000, maxRows - executions.length),
      ...(statusFilter ? { statusFilter } : {}),
      ...(nextToken ? { nextToken } : {}),
    });
    executions.push(...((answer.executions as JsonObject[] | undefined) ?? []));
    nextToken = typeof answer.nextToken === 'string' ? answer.nextToken : undefined;
    if (nextToken && executions.length >= maxRows) return { executions, truncated: true };
  } while (nextToken);
  return { executions, truncated: false };
}

/** DescribeExecution of one execution by name; undefined when there is none. */
export async function describeExecution(deps: ExecutionsDeps, name: string): Promise<JsonObject | undefined> {
  try {
    return await deps.stepFunctions.handleAction('DescribeExecution', {
      executionArn: executionArnFor(deps.stateMachineArn, name),
    });
  } catch (error) {
    if (['ExecutionDoesNotExist', 'InvalidArn', 'ValidationException'].includes(errorName(error))) return undefined;
    throw error;
  }
}

// ------------------------------------------------------------------ the API record

interface RecordLookup {
  status: number;
  record?: JsonObject;
  message?: string;
}

async function readRecord(api: NonNullable<ExecutionsDeps['api']>, applicationId: string): Promise<RecordLookup> {
  try {
    const response = await fetch(`${api.url}/applications/${encodeURIComponent(applicationId)}`, {
      headers: { authorization: `Bearer ${api.token()}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok && body && typeof body === 'object') return { status: response.status, record: body as JsonObject };
    const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
    return { status: response.status, message: typeof message === 'string' ? message : text.slice(0, 300) };
  } catch (error) {
    return { status: 0, message: String(error) };
  }
}

async function readRecords(api: ExecutionsDeps['api'], ids: string[]): Promise<Map<string, RecordLookup>> {
  const found = new Map<string, RecordLookup>();
  if (!api) return found;
  const queue = [...new Set(ids)].slice(0, MAX_RECORD_LOOKUPS);
  await Promise.all(
    Array.from({ length: Math.min(LOOKUP_CONCURRENCY, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) found.set(id, await readRecord(api, id));
    }),
  );
  return found;
}

function recordTitle(lookup: RecordLookup | undefined): string {
  const form = lookup?.record?.form as { title?: unknown } | undefined;
  return typeof form?.title === 'string' ? form.title : '';
}

// ------------------------------------------------------------------ list page

export async function executionsPage(deps: ExecutionsDeps, url: URL, options: PageOptions): Promise<Answer> {
  const rawStatus = url.searchParams.get('status')?.trim().toUpperCase() || undefined;
  if (rawStatus !== undefined && !(STATUSES as readonly string[]).includes(rawStatus)) {
    return problem(400, 'Unknown status filter', `status must be one of ${STATUSES.join(', ')}`, options);
  }
  const maxRows = deps.maxRows ?? 1000;
  const { executions, truncated } = await listExecutions(deps, rawStatus, maxRows);
  const records = await readRecords(
    deps.api,
    executions.map((e) => executionKindOf(String(e.name ?? '')).applicationId),
  );
  // ListExecutions gives no error: an aborted execution is described, to tell one a restart stopped.
  const aborted = new Map<string, unknown>();
  await Promise.all(
    executions
      .filter((e) => e.status === 'ABORTED')
      .slice(0, MAX_RECORD_LOOKUPS)
      .map(async (e) =>
        aborted.set(String(e.name), (await describeExecution(deps, String(e.name)).catch(() => undefined))?.error),
      ),
  );

  const filters = [
    rawStatus ? `<a href="${href('/executions')}">All</a>` : '<strong>All</strong>',
    ...STATUSES.map((s) =>
      s === rawStatus
        ? `<strong>${executionBadge(s)}</strong>`
        : `<a href="${href('/executions', { status: s })}">${escapeHtml(s)}</a>`,
    ),
  ].join(' ');

  const rows = executions
    .map((e) => {
      const name = String(e.name ?? '');
      const kind = executionKindOf(name);
      const lookup = records.get(kind.applicationId);
      const current =
        typeof lookup?.record?.executionArn === 'string' ? lookup.record.executionArn.split(':').pop() : undefined;
      const application = lookup?.record
        ? `<a href="${applicationHref(kind.applicationId)}">${escapeHtml(recordTitle(lookup))}</a> ${applicationBadge(lookup.record.status)}<br><span class="muted small">${escapeHtml(lookup.record.unitId)} · ${escapeHtml(lookup.record.projectTypeId)}${current && current !== name ? ` · 当前执行 current execution ${escapeHtml(current)}` : ''}</span>`
        : '<span class="muted">—</span>';
      return `<tr>
<td class="mono" data-label="执行 Execution"><a href="${executionHref(name)}">${escapeHtml(name)}</a><br><span class="muted small plain">${escapeHtml(executionKindLabel(kind))}</span></td>
<td data-label="执行状态 Execution status">${executionBadge(e.status, aborted.get(name))}</td>
<td data-label="申请 Application">${application}</td>
<td class="time" data-label="开始（墙钟）Started (wall clock)">${timeCell(e.startDate)}</td>
<td class="time" data-label="结束（墙钟）Stopped (wall clock)">${timeCell(e.stopDate)}</td>
<td class="num" data-label="用时 Duration">${escapeHtml(duration(e.startDate, e.stopDate))}</td>
</tr>`;
    })
    .join('\n');

  const empty = `<tr><td colspan="6" class="muted">No ${rawStatus ? escapeHtml(rawStatus) + ' ' : ''}executions.</td></tr>`;
  const content = `
<h1>工作流执行 Workflow executions</h1>
<p class="filters">执行状态 Status: ${filters}</p>
<p class="muted small">State machine <span class="mono">${escapeHtml(deps.stateMachineArn)}</span> · ${executions.length} execution(s)${
    truncated ? ` (the newest ${maxRows} shown)` : ''
  } · refreshes every ${deps.refreshSeconds ?? 5} s · 执行的时间为墙钟时间（Step Functions 记录的时间）execution times are the wall clock's, as Step Functions records them: now ${escapeHtml(
    beijing(Date.now() / 1000),
  )}. 申请的状态标记按申请本身的状态着色 The application's badge is coloured by the application's own status.</p>
<table class="cards">
<thead><tr><th>Execution (application id)</th><th>Status</th><th>Application</th><th>Started (wall clock)</th><th>Stopped (wall clock)</th><th>Duration</th></tr></thead>
<tbody>
${rows || empty}
</tbody>
</table>`;
  return htmlAnswer(200, rawStatus ? `${rawStatus} executions` : 'Workflow executions', content, {
    ...options,
    section: '/executions',
    refreshSeconds: deps.refreshSeconds ?? 5,
  });
}

// ------------------------------------------------------------------ detail page

interface EventRow {
  event: JsonObject;
  stateName: string;
  details: JsonObject;
}

/** The `…EventDetails` object of a history event, if it has one. */
function eventDetails(event: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') return value as JsonObject;
  }
  return {};
}

/**
 * History events carry a state name only on entering/exiting a state (and Map iterations); task
 * events inherit it from the event they follow, as the Step Functions console shows them.
 */
function eventRows(events: JsonObject[]): EventRow[] {
  const nameById = new Map<number, string>();
  return events.map((event) => {
    const details = eventDetails(event);
    let stateName = typeof details.name === 'string' ? details.name : '';
    const type = String(event.type ?? '');
    if (!stateName && /^(Task|LambdaFunction|Activity)/.test(type) && typeof event.previousEventId === 'number') {
      stateName = nameById.get(event.previousEventId) ?? '';
    }
    if (typeof event.id === 'number' && stateName) nameById.set(event.id, stateName);
    return { event, stateName, details };
  });
}

/** The Lambda function a `lambda:invoke` task was scheduled with (its Parameters.FunctionName). */
function scheduledFunction(parameters: unknown): string {
  if (typeof parameters !== 'string') return '';
  try {
    const name = (JSON.parse(parameters) as { FunctionName?: unknown } | null)?.FunctionName;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

function historyRow({ event, stateName, details }: EventRow): string {
  const type = String(event.type ?? '');
  const resource =
    typeof details.resourceType === 'string' && typeof details.resource === 'string'
      ? `${details.resourceType}:${details.resource}`
      : typeof details.resource === 'string'
        ? details.resource
        : '';
  const failed = /(Failed|TimedOut|Aborted)$/.test(type);
  const cells: string[] = [];
  if (resource) cells.push(`<span class="mono">${escapeHtml(resource)}</span>`);
  const functionName = scheduledFunction(details.parameters);
  if (functionName) cells.push(`<span class="mono muted">${escapeHtml(functionName)}</span>`);
  if (typeof details.error === 'string') cells.push(`<span class="err">${escapeHtml(details.error)}</span>`);
  if (typeof details.cause === 'string') cells.push(`<details><summary>cause</summary>${pre(details.cause)}</details>`);
  for (const field of ['input', 'parameters', 'output'] as const) {
    if (typeof details[field] === 'string')
      cells.push(`<details><summary>${field}</summary>${pre(details[field])}</details>`);
  }
  if (details.length !== undefined) cells.push(`<span class="muted">items: ${escapeHtml(details.length)}</span>`);
  if (details.index !== undefined) cells.push(`<span class="muted">iteration ${escapeHtml(details.index)}</span>`);
  const rowClass = failed ? ' class="ev-fail"' : type === 'ExecutionSucceeded' ? ' class="ev-end"' : '';
  return `<tr${rowClass}>
<td class="num">${escapeHtml(event.id)}</td>
<td class="time">${timeCell(event.timestamp, true)}</td>
<td class="mono">${escapeHtml(type)}</td>
<td>${escapeHtml(stateName)}</td>
<td>${cells.join(' ')}</td>
</tr>`;
}

/** Every email sent about the application (the record's email log), for staff. */
function emailSection(record: JsonObject, applicationId: string): string {
  const emails = Array.isArray(record.emails) ? (record.emails as JsonObject[]) : [];
  if (emails.length === 0) return '';
  const rows = emails
    .map(
      (email) =>
        `<tr><td class="time">${escapeHtml(beijing(email.at))}</td><td><code>${escapeHtml(email.template)}</code></td><td>${escapeHtml(email.to)}${
          Array.isArray(email.cc) && email.cc.length
            ? `<br><span class="muted">cc ${escapeHtml(email.cc.join(', '))}</span>`
            : ''
        }</td><td>${escapeHtml(email.subject)}</td><td><code>${escapeHtml(email.messageId ?? '')}</code></td></tr>`,
    )
    .join('\n');
  return `<h2>Emails sent (${emails.length}) <span class="muted small"><a href="${applicationHref(applicationId)}#emails">读邮件正文 read them</a></span></h2><div class="scroll"><table><thead><tr><th>At (Beijing, simulated clock)</th><th>Template</th><th>To</th><th>Subject</th><th>Message id</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function recordSection(lookup: RecordLookup | undefined, applicationId: string): string {
  if (!lookup) return '';
  if (!lookup.record) {
    return `<h2>Application record</h2><p class="muted">GET /applications/… answered ${escapeHtml(lookup.status || 'nothing')}${lookup.message ? `: ${escapeHtml(lookup.message)}` : ''}</p>`;
  }
  const record = lookup.record;
  const history = Array.isArray(record.history) ? (record.history as JsonObject[]) : [];
  const stages = history
    .map(
      (entry) =>
        `<tr><td class="time">${escapeHtml(beijing(entry.at))}</td><td>${escapeHtml(entry.stage)}</td><td>${escapeHtml(entry.result)}</td><td>${entry.detail === undefined ? '' : pre(entry.detail)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Application record <span class="muted">(GET /applications/${escapeHtml(record.applicationId)}, as staff)</span></h2>
<p><a href="${applicationHref(applicationId)}">申请页面：时间线、待办、邮件 The application's page: timeline, waiting tasks, emails →</a></p>
<dl class="facts">
<dt>Title</dt><dd>${escapeHtml(recordTitle(lookup))}</dd>
<dt>Unit</dt><dd class="mono">${escapeHtml(record.unitId)}</dd>
<dt>Project type</dt><dd class="mono">${escapeHtml(record.projectTypeId)}</dd>
<dt>Status</dt><dd>${applicationBadge(record.status)} <strong>${escapeHtml(record.status)}</strong></dd>
<dt>Created / updated (simulated clock)</dt><dd>${escapeHtml(beijing(record.createdAt))} / ${escapeHtml(beijing(record.updatedAt))}</dd>
</dl>
${stages ? `<div class="scroll"><table><thead><tr><th>At (Beijing, simulated clock)</th><th>Stage</th><th>Result</th><th>Detail</th></tr></thead><tbody>\n${stages}\n</tbody></table></div>` : ''}
${emailSection(record, applicationId)}
<details><summary>Full record (JSON)</summary>${pre(JSON.stringify(record))}</details>`;
}

export async function executionPage(deps: ExecutionsDeps, rawName: string, options: PageOptions): Promise<Answer> {
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return problem(404, 'Execution not found', `No execution is named ${rawName}`, options);
  }
  const executionArn = executionArnFor(deps.stateMachineArn, name);
  const described = await describeExecution(deps, name);
  if (!described)
    return problem(404, 'Execution not found', `No execution of this state machine is named “${name}”.`, options);
  const events: JsonObject[] = [];
  let nextToken: string | undefined;
  do {
    const answer = await deps.stepFunctions.handleAction('GetExecutionHistory', {
      executionArn,
      maxResults: 1000,
      includeExecutionData: true,
      ...(nextToken ? { nextToken } : {}),
    });
    events.push(...((answer.events as JsonObject[] | undefined) ?? []));
    nextToken = typeof answer.nextToken === 'string' ? answer.nextToken : undefined;
  } while (nextToken);
  const kind = executionKindOf(name);
  const lookup = deps.api ? await readRecord(deps.api, kind.applicationId) : undefined;
  const current =
    typeof lookup?.record?.executionArn === 'string' ? lookup.record.executionArn.split(':').pop() : undefined;

  const status = String(described.status ?? '');
  const restarted = status === 'ABORTED' && described.error === STOPPED_BY_RESTART;
  const result =
    described.output !== undefined
      ? `<h2>Output</h2>${pre(described.output)}`
      : described.error !== undefined || described.cause !== undefined
        ? `<h2>Error</h2><p class="err">${escapeHtml(described.error ?? '(no error name)')}</p>${described.cause !== undefined ? `<h3>Cause</h3>${pre(described.cause)}` : ''}`
        : status === 'RUNNING'
          ? '<h2>Output</h2><p class="muted">Still running.</p>'
          : '';
  const restartNote = restarted
    ? `<p class="note">本地服务重启时此执行被中止，申请本身未受影响${current && current !== name ? `，其工作流已在 <a class="mono" href="${executionHref(current)}">${escapeHtml(current)}</a> 中续跑` : ''}。This execution was stopped by a restart of local mode, not by the application${
        current && current !== name ? `; its workflow resumed in ${escapeHtml(current)}` : ''
      }.</p>`
    : '';

  const content = `
<p><a href="${href('/executions')}">← all executions</a> · <a href="${executionHref(name)}">refresh</a>${
    lookup?.record ? ` · <a href="${applicationHref(kind.applicationId)}">申请 the application</a>` : ''
  }</p>
<h1><span class="mono">${escapeHtml(name)}</span> ${executionBadge(status, described.error)}</h1>
${restartNote}
<dl class="facts">
<dt>Execution ARN</dt><dd class="mono">${escapeHtml(described.executionArn)}</dd>
<dt>What it is</dt><dd>${escapeHtml(executionKindLabel(kind))}${current ? (current === name ? ' · 当前执行 the current execution' : ` · 当前执行 current: <a class="mono" href="${executionHref(current)}">${escapeHtml(current)}</a>`) : ''}</dd>
<dt>Started (wall clock)</dt><dd>${timeCell(described.startDate, true)}</dd>
<dt>Stopped (wall clock)</dt><dd>${timeCell(described.stopDate, true)}</dd>
<dt>Duration</dt><dd>${escapeHtml(duration(described.startDate, described.stopDate) || '—')}</dd>
${recordTitle(lookup) ? `<dt>Application</dt><dd>${escapeHtml(recordTitle(lookup))}</dd>` : ''}
</dl>
<h2>Input</h2>${pre(described.input)}
${result}
${recordSection(lookup, kind.applicationId)}
<h2>History <span class="muted">(${events.length} events, wall clock)</span></h2>
<div class="scroll"><table>
<thead><tr><th>ID</th><th>Timestamp (Beijing, wall clock)</th><th>Type</th><th>State</th><th>Resource / error / data</th></tr></thead>
<tbody>
${eventRows(events).map(historyRow).join('\n')}
</tbody>
</table></div>`;
  return htmlAnswer(200, `Execution ${name}`, content, { ...options, section: '/executions' });
}
