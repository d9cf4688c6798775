/**
 * The executions pages: what the Step Functions console shows on AWS.
 *
 *   GET /_local/console/executions            every execution of the state machine, newest first
 *                                             (?status=FAILED|RUNNING|… filters; refreshes every 5 s)
 *   GET /_local/console/executions/{name}     one execution: input, output or error/cause, the full
 *                                             history, and the
 *
 *                                             application's record and workflow (execution.ts)
 *
 * Executions are read only through Step Functions API actions (ListExecutions, DescribeExecution,
 * GetExecutionHistory), so the pages show what `aws stepfunctions …` would; their dates are the
 * wall clock's (the Step Functions endpoint's), and say so. The application record comes from the
 * HTTP API (GET /applications/{id}) as a staff member would read it; an execution is matched to its
 * application by its name (`<id>`, `<id>-v<n>`, `<id>-r<n>`, `<id>-s<n>`). An application links to
 * its page in the staff workspace, where applications are read.
 */
import { executionArnFor } from '@shared/domain/ids';
import {
  beijing,
  duration,
  errorName,
  escapeHtml,
  href,
  htmlAnswer,
  problem,
  timeCell,
  workspaceHref,
  type Answer,
  type JsonObject,
  type PageOptions,
} from './html';
import { applicationBadge, executionBadge, executionKindLabel, executionKindOf } from './labels';

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

export interface RecordLookup {
  status: number;
  record?: JsonObject;
  message?: string;
}

export async function readRecord(
  api: NonNullable<ExecutionsDeps['api']>,
  applicationId: string,
): Promise<RecordLookup> {
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

export function recordTitle(lookup: RecordLookup | undefined): string {
  const form = lookup?.record?.form as { title?: unknown } | undefined;
  return typeof form?.title === 'string' ? form.title : '';
}

// ------------------------------------------------------------------ list page

/** ListExecutions gives no error: an aborted execution is described, to tell one a restart stopped. */
async function abortedErrors(deps: ExecutionsDeps, executions: JsonObject[]): Promise<Map<string, unknown>> {
  const aborted = new Map<string, unknown>();
  await Promise.all(
    executions
      .filter((e) => e.status === 'ABORTED')
      .slice(0, MAX_RECORD_LOOKUPS)
      .map(async (e) =>
        aborted.set(String(e.name), (await describeExecution(deps, String(e.name)).catch(() => undefined))?.error),
      ),
  );
  return aborted;
}

/** The application an execution belongs to: its title (a link to the workspace), status, unit and type. */
function applicationCell(name: string, applicationId: string, lookup: RecordLookup | undefined): string {
  if (!lookup?.record) return '<span class="muted">—</span>';
  const record = lookup.record;
  const current = typeof record.executionArn === 'string' ? record.executionArn.split(':').pop() : undefined;
  return `<a href="${workspaceHref(applicationId)}">${escapeHtml(recordTitle(lookup))}</a> ${applicationBadge(record.status)}<br><span class="muted small">${escapeHtml(record.unitId)} · ${escapeHtml(record.projectTypeId)}${current && current !== name ? ` · 当前执行 current execution ${escapeHtml(current)}` : ''}</span>`;
}

function listRow(e: JsonObject, records: Map<string, RecordLookup>, aborted: Map<string, unknown>): string {
  const name = String(e.name ?? '');
  const kind = executionKindOf(name);
  return `<tr>
<td class="mono" data-label="执行 Execution"><a href="${executionHref(name)}">${escapeHtml(name)}</a><br><span class="muted small plain">${escapeHtml(executionKindLabel(kind))}</span></td>
<td data-label="执行状态 Execution status">${executionBadge(e.status, aborted.get(name))}</td>
<td data-label="申请 Application">${applicationCell(name, kind.applicationId, records.get(kind.applicationId))}</td>
<td class="time" data-label="开始（墙钟）Started (wall clock)">${timeCell(e.startDate)}</td>
<td class="time" data-label="结束（墙钟）Stopped (wall clock)">${timeCell(e.stopDate)}</td>
<td class="num" data-label="用时 Duration">${escapeHtml(duration(e.startDate, e.stopDate))}</td>
</tr>`;
}

function statusFilters(current: string | undefined): string {
  return [
    current ? `<a href="${href('/executions')}">All</a>` : '<strong>All</strong>',
    ...STATUSES.map((s) =>
      s === current
        ? `<strong>${executionBadge(s)}</strong>`
        : `<a href="${href('/executions', { status: s })}">${escapeHtml(s)}</a>`,
    ),
  ].join(' ');
}

export async function executionsPage(deps: ExecutionsDeps, url: URL, options: PageOptions): Promise<Answer> {
  const rawStatus = url.searchParams.get('status')?.trim().toUpperCase() || undefined;
  if (rawStatus !== undefined && !(STATUSES as readonly string[]).includes(rawStatus)) {
    return problem(400, 'Unknown status filter', `status must be one of ${STATUSES.join(', ')}`, options);
  }
  const maxRows = deps.maxRows ?? 1000;
  const { executions, truncated } = await listExecutions(deps, rawStatus, maxRows);
  const [records, aborted] = await Promise.all([
    readRecords(
      deps.api,
      executions.map((e) => executionKindOf(String(e.name ?? '')).applicationId),
    ),
    abortedErrors(deps, executions),
  ]);
  const rows = executions.map((e) => listRow(e, records, aborted)).join('\n');
  const empty = `<tr><td colspan="6" class="muted">No ${rawStatus ? escapeHtml(rawStatus) + ' ' : ''}executions.</td></tr>`;
  const content = `
<h1>工作流执行 Workflow executions</h1>
<p class="filters">执行状态 Status: ${statusFilters(rawStatus)}</p>
<p class="muted small">State machine <span class="mono">${escapeHtml(deps.stateMachineArn)}</span> · ${executions.length} execution(s)${
    truncated ? ` (the newest ${maxRows} shown)` : ''
  } · refreshes every ${deps.refreshSeconds ?? 5} s · 执行的时间为墙钟时间（Step Functions 记录的时间）execution times are the wall clock's, as Step Functions records them: now ${escapeHtml(
    beijing(Date.now() / 1000),
  )}. 申请的状态标记按申请本身的状态着色 The application's badge is coloured by the application's own status; its title opens it in the workspace.</p>
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
