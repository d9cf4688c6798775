/**
 * The administrators' console of local mode: what the Step Functions console shows on AWS, as two
 * server-rendered pages on the API port.
 *
 *   GET /_local/console                       every execution of the state machine, newest first
 *                                             (?status=FAILED|RUNNING|… filters; refreshes every 5 s)
 *   GET /_local/console/executions/{name}     one execution: input, output or error/cause, the
 *                                             application's current record, and the full history
 *
 * Executions are read only through Step Functions API actions (ListExecutions, DescribeExecution,
 * GetExecutionHistory), so the page shows what `aws stepfunctions …` would. The application record
 * comes from the HTTP API (GET /applications/{id}) as a staff member would read it.
 *
 * Plain HTML: no script, no external asset (a Content-Security-Policy says so to the browser), every
 * value that came from a user or a workflow escaped.
 */
import { executionArnFor } from '@shared/domain/ids';
import type { LocalRoute } from './gateway';

type JsonObject = Record<string, unknown>;

/**
 * Anything that answers Step Functions API actions with their JSON shapes: LocalStepFunctions (its
 * in-process `handleAction`), or an adapter over an SFN endpoint. Errors carry AWS's error type as
 * `name` (ExecutionDoesNotExist, InvalidArn, ValidationException, …).
 */
export interface StepFunctionsApi {
  handleAction(action: string, request: JsonObject): Promise<JsonObject>;
}

export interface ConsoleDeps {
  stepFunctions: StepFunctionsApi;
  stateMachineArn: string;
  /** When given, the pages show each application's title and current record from the HTTP API. */
  api?: { url: string; token: () => string };
  /** Seconds between refreshes of the list page (default 5). */
  refreshSeconds?: number;
  /** At most this many executions on the list page (default 1000). */
  maxRows?: number;
}

type Answer = { status: number; body: string; contentType: string };

const HTML = 'text/html; charset=utf-8';
const BASE = '/_local/console';
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
/** Titles are fetched for the newest rows only, so a long list still renders quickly. */
const MAX_RECORD_LOOKUPS = 200;
const LOOKUP_CONCURRENCY = 8;
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

// ------------------------------------------------------------------ helpers

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A Step Functions date (epoch seconds from the JSON API, or a Date from the SDK) in Beijing time. */
function beijing(value: unknown, withMillis = false): string {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : undefined;
  if (ms === undefined || Number.isNaN(ms)) return '';
  const iso = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withMillis ? 23 : 19)}`;
}

function timeCell(value: unknown, withMillis = false): string {
  const text = beijing(value, withMillis);
  if (!text) return '<span class="muted">—</span>';
  return `<time datetime="${escapeHtml(`${text.replace(' ', 'T')}+08:00`)}">${escapeHtml(text)}</time>`;
}

function epochMs(value: unknown): number | undefined {
  return value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : undefined;
}

function duration(start: unknown, stop: unknown): string {
  const a = epochMs(start);
  const b = epochMs(stop);
  if (a === undefined || b === undefined) return '';
  const total = Math.max(0, b - a);
  if (total < 1000) return `${total} ms`;
  const s = Math.round(total / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function statusBadge(status: unknown): string {
  const text = String(status ?? 'UNKNOWN');
  const known = (STATUSES as readonly string[]).includes(text) ? text.toLowerCase().replace('_', '-') : 'unknown';
  return `<span class="badge st-${known}">${escapeHtml(text)}</span>`;
}

/** JSON text pretty-printed when it parses, as-is otherwise; always escaped. */
function pre(text: unknown): string {
  if (text === undefined || text === null) return '<span class="muted">—</span>';
  let shown = typeof text === 'string' ? text : JSON.stringify(text, null, 2);
  if (typeof text === 'string') {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: show the text itself
    }
  }
  return `<pre>${escapeHtml(shown)}</pre>`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

function executionHref(name: unknown): string {
  return `${BASE}/executions/${encodeURIComponent(String(name ?? ''))}`;
}

const STYLE = `
  :root { color-scheme: light; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg: #f6f8fa; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: var(--fg); margin: 0; }
  header { background: #24292f; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
  header a { color: #fff; }
  header .sub { color: #c9d1d9; font-size: 12px; }
  main { padding: 16px 20px 40px; }
  h1 { font-size: 18px; margin: 0; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  a { color: #0969da; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
  th { background: var(--bg); font-weight: 600; white-space: nowrap; }
  tbody tr:hover { background: #f3f6fa; }
  td.num, td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
  .mono, pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
  pre { background: var(--bg); border: 1px solid var(--line); padding: 8px; margin: 4px 0; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-all; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
  .st-running { background: #0969da; }
  .st-succeeded { background: #1a7f37; }
  .st-failed { background: #cf222e; }
  .st-timed-out { background: #bc4c00; }
  .st-aborted { background: #6e7781; }
  .st-unknown { background: #8250df; }
  .muted { color: var(--muted); }
  .filters a, .filters strong { margin-right: 10px; }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
  .facts dt { color: var(--muted); }
  .facts dd { margin: 0; }
  tr.ev-fail td { background: #ffebe9; }
  tr.ev-end td { background: #dafbe1; }
  .err { color: #cf222e; font-weight: 600; }
  details summary { cursor: pointer; color: #0969da; }
`;

function page(title: string, content: string, options: { refreshSeconds?: number } = {}): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'">
${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">\n` : ''}<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1><a href="${BASE}">Workflow executions</a></h1><span class="sub">GDAST funding call · local mode · times in Beijing time (UTC+08:00): executions by the wall clock, application records by the simulated clock</span></header>
<main>
${content}
</main>
</body>
</html>
`;
}

function htmlAnswer(status: number, title: string, content: string, options?: { refreshSeconds?: number }): Answer {
  return { status, body: page(title, content, options), contentType: HTML };
}

function problem(status: number, title: string, message: string): Answer {
  return htmlAnswer(status, title, `<h2>${escapeHtml(title)}</h2><p>${escapeHtml(message)}</p><p><a href="${BASE}">← all executions</a></p>`);
}

// ------------------------------------------------------------------ the API record

interface RecordLookup {
  status: number;
  record?: JsonObject;
  message?: string;
}

async function readRecord(api: NonNullable<ConsoleDeps['api']>, applicationId: string): Promise<RecordLookup> {
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

async function readRecords(api: ConsoleDeps['api'], ids: string[]): Promise<Map<string, RecordLookup>> {
  const found = new Map<string, RecordLookup>();
  if (!api) return found;
  const queue = ids.slice(0, MAX_RECORD_LOOKUPS);
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

async function listPage(deps: ConsoleDeps, url: URL): Promise<Answer> {
  const rawStatus = url.searchParams.get('status')?.trim().toUpperCase() || undefined;
  if (rawStatus !== undefined && !(STATUSES as readonly string[]).includes(rawStatus)) {
    return problem(400, 'Unknown status filter', `status must be one of ${STATUSES.join(', ')}`);
  }
  const maxRows = deps.maxRows ?? 1000;
  const executions: JsonObject[] = [];
  let nextToken: string | undefined;
  let truncated = false;
  do {
    const answer = await deps.stepFunctions.handleAction('ListExecutions', {
      stateMachineArn: deps.stateMachineArn,
      maxResults: Math.min(1000, maxRows - executions.length),
      ...(rawStatus ? { statusFilter: rawStatus } : {}),
      ...(nextToken ? { nextToken } : {}),
    });
    executions.push(...((answer.executions as JsonObject[] | undefined) ?? []));
    nextToken = typeof answer.nextToken === 'string' ? answer.nextToken : undefined;
    if (nextToken && executions.length >= maxRows) {
      truncated = true;
      break;
    }
  } while (nextToken);

  const records = await readRecords(
    deps.api,
    executions.map((e) => String(e.name ?? '')),
  );

  const filters = [
    rawStatus ? `<a href="${BASE}">All</a>` : '<strong>All</strong>',
    ...STATUSES.map((s) => (s === rawStatus ? `<strong>${statusBadge(s)}</strong>` : `<a href="${BASE}?status=${s}">${escapeHtml(s)}</a>`)),
  ].join(' ');

  const rows = executions
    .map((e) => {
      const name = String(e.name ?? '');
      const lookup = records.get(name);
      const title = recordTitle(lookup);
      const application = lookup?.record
        ? `${escapeHtml(title)}<br><span class="muted">${escapeHtml(lookup.record.unitId)} · ${escapeHtml(lookup.record.projectTypeId)} · ${escapeHtml(lookup.record.status)}</span>`
        : '<span class="muted">—</span>';
      return `<tr>
<td class="mono"><a href="${escapeHtml(executionHref(name))}">${escapeHtml(name)}</a></td>
<td>${statusBadge(e.status)}</td>
<td>${application}</td>
<td class="time">${timeCell(e.startDate)}</td>
<td class="time">${timeCell(e.stopDate)}</td>
<td class="num">${escapeHtml(duration(e.startDate, e.stopDate))}</td>
</tr>`;
    })
    .join('\n');

  const empty = `<tr><td colspan="6" class="muted">No ${rawStatus ? escapeHtml(rawStatus) + ' ' : ''}executions.</td></tr>`;
  const content = `
<p class="filters">Status: ${filters}</p>
<p class="muted">State machine <span class="mono">${escapeHtml(deps.stateMachineArn)}</span> · ${executions.length} execution(s)${truncated ? ` (the newest ${maxRows} shown)` : ''} · refreshes every ${deps.refreshSeconds ?? 5} s · as of ${escapeHtml(beijing(Date.now() / 1000))}</p>
<table>
<thead><tr><th>Execution (application id)</th><th>Status</th><th>Application</th><th>Started</th><th>Stopped</th><th>Duration</th></tr></thead>
<tbody>
${rows || empty}
</tbody>
</table>`;
  return htmlAnswer(200, rawStatus ? `${rawStatus} executions` : 'Workflow executions', content, { refreshSeconds: deps.refreshSeconds ?? 5 });
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
    if (typeof details[field] === 'string') cells.push(`<details><summary>${field}</summary>${pre(details[field])}</details>`);
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
function emailSection(record: JsonObject): string {
  const emails = Array.isArray(record.emails) ? (record.emails as JsonObject[]) : [];
  if (emails.length === 0) return '';
  const rows = emails
    .map(
      (email) =>
        `<tr><td class="time">${escapeHtml(email.at)}</td><td><code>${escapeHtml(email.template)}</code></td><td>${escapeHtml(email.to)}${
          Array.isArray(email.cc) && email.cc.length ? `<br><span class="muted">cc ${escapeHtml(email.cc.join(', '))}</span>` : ''
        }</td><td>${escapeHtml(email.subject)}</td><td><code>${escapeHtml(email.messageId ?? '')}</code></td></tr>`,
    )
    .join('\n');
  return `<h2>Emails sent (${emails.length})</h2><table><thead><tr><th>At (Beijing)</th><th>Template</th><th>To</th><th>Subject</th><th>Message id</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function recordSection(lookup: RecordLookup | undefined): string {
  if (!lookup) return '';
  if (!lookup.record) {
    return `<h2>Application record</h2><p class="muted">GET /applications/… answered ${escapeHtml(lookup.status || 'nothing')}${lookup.message ? `: ${escapeHtml(lookup.message)}` : ''}</p>`;
  }
  const record = lookup.record;
  const history = Array.isArray(record.history) ? (record.history as JsonObject[]) : [];
  const stages = history
    .map(
      (entry) =>
        `<tr><td class="time">${escapeHtml(entry.at)}</td><td>${escapeHtml(entry.stage)}</td><td>${escapeHtml(entry.result)}</td><td>${entry.detail === undefined ? '' : pre(entry.detail)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Application record <span class="muted">(GET /applications/${escapeHtml(record.applicationId)}, as staff)</span></h2>
<dl class="facts">
<dt>Title</dt><dd>${escapeHtml(recordTitle(lookup))}</dd>
<dt>Unit</dt><dd class="mono">${escapeHtml(record.unitId)}</dd>
<dt>Project type</dt><dd class="mono">${escapeHtml(record.projectTypeId)}</dd>
<dt>Status</dt><dd><strong>${escapeHtml(record.status)}</strong></dd>
<dt>Created / updated</dt><dd>${escapeHtml(record.createdAt)} / ${escapeHtml(record.updatedAt)}</dd>
</dl>
${stages ? `<table><thead><tr><th>At (Beijing)</th><th>Stage</th><th>Result</th><th>Detail</th></tr></thead><tbody>\n${stages}\n</tbody></table>` : ''}
${emailSection(record)}
<details><summary>Full record (JSON)</summary>${pre(JSON.stringify(record))}</details>`;
}

async function detailPage(deps: ConsoleDeps, rawName: string): Promise<Answer> {
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return problem(404, 'Execution not found', `No execution is named ${rawName}`);
  }
  const executionArn = executionArnFor(deps.stateMachineArn, name);
  let described: JsonObject;
  try {
    described = await deps.stepFunctions.handleAction('DescribeExecution', { executionArn });
  } catch (error) {
    if (['ExecutionDoesNotExist', 'InvalidArn', 'ValidationException'].includes(errorName(error))) {
      return problem(404, 'Execution not found', `No execution of this state machine is named “${name}”.`);
    }
    throw error;
  }
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
  const lookup = deps.api ? await readRecord(deps.api, name) : undefined;

  const status = String(described.status ?? '');
  const result =
    described.output !== undefined
      ? `<h2>Output</h2>${pre(described.output)}`
      : described.error !== undefined || described.cause !== undefined
        ? `<h2>Error</h2><p class="err">${escapeHtml(described.error ?? '(no error name)')}</p>${described.cause !== undefined ? `<h3>Cause</h3>${pre(described.cause)}` : ''}`
        : status === 'RUNNING'
          ? '<h2>Output</h2><p class="muted">Still running.</p>'
          : '';

  const content = `
<p><a href="${BASE}">← all executions</a> · <a href="${escapeHtml(executionHref(name))}">refresh</a></p>
<h2><span class="mono">${escapeHtml(name)}</span> ${statusBadge(status)}</h2>
<dl class="facts">
<dt>Execution ARN</dt><dd class="mono">${escapeHtml(described.executionArn)}</dd>
<dt>Started</dt><dd>${timeCell(described.startDate, true)}</dd>
<dt>Stopped</dt><dd>${timeCell(described.stopDate, true)}</dd>
<dt>Duration</dt><dd>${escapeHtml(duration(described.startDate, described.stopDate) || '—')}</dd>
${recordTitle(lookup) ? `<dt>Application</dt><dd>${escapeHtml(recordTitle(lookup))}</dd>` : ''}
</dl>
<h2>Input</h2>${pre(described.input)}
${result}
${recordSection(lookup)}
<h2>History <span class="muted">(${events.length} events)</span></h2>
<table>
<thead><tr><th>ID</th><th>Timestamp (Beijing)</th><th>Type</th><th>State</th><th>Resource / error / data</th></tr></thead>
<tbody>
${eventRows(events).map(historyRow).join('\n')}
</tbody>
</table>`;
  return htmlAnswer(200, `Execution ${name}`, content);
}

// ------------------------------------------------------------------ routing

/**
 * The console's routes, for the local gateway: answers GET (and HEAD) under /_local/console, and
 * undefined for every other path so the next route can have it.
 */
export function consoleRoutes(deps: ConsoleDeps): LocalRoute {
  return async ({ method, url }) => {
    const path = url.pathname;
    if (path !== BASE && !path.startsWith(`${BASE}/`)) return undefined;
    if (method !== 'GET' && method !== 'HEAD') return problem(405, 'Method not allowed', `${method} is not allowed on ${path}`);
    try {
      if (path === BASE || path === `${BASE}/`) return await listPage(deps, url);
      const detail = /^\/_local\/console\/executions\/([^/]+)\/?$/.exec(path);
      if (detail) return await detailPage(deps, detail[1]);
      return problem(404, 'Not found', `Nothing at ${path}`);
    } catch (error) {
      console.error('local console: failed', error);
      return problem(502, 'The Step Functions API failed', `${errorName(error) || 'Error'}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
