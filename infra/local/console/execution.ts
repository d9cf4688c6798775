/**
 * One execution's page: what the Step Functions console shows of it on AWS (its input, its output
 * or error and cause, its full history, in the wall clock's times), and what only local mode can
 * show beside it: every execution of its application (which is current, which a restart stopped),
 * what the workflow does now, and the record as staff read it through the API. The application
 * itself (its open tasks, emails, history and form) is read in the staff workspace, linked here.
 *
 *   GET /_local/console/executions/{name}
 */
import { executionArnFor } from '@shared/domain/ids';
import type { ConsoleStore } from './data';
import {
  describeExecution,
  executionHref,
  readRecord,
  recordTitle,
  type ExecutionsDeps,
  type RecordLookup,
} from './executions';
import {
  beijing,
  duration,
  escapeHtml,
  href,
  htmlAnswer,
  pre,
  problem,
  timeCell,
  workspaceHref,
  type Answer,
  type JsonObject,
  type PageOptions,
} from './html';
import { applicationBadge, executionBadge, executionKindLabel, executionKindOf, STOPPED_BY_RESTART } from './labels';
import { applicationExecutions, workflowNow, type WorkflowRecord } from './workflow';

export type ExecutionPageDeps = ExecutionsDeps & { store: ConsoleStore };

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

/** Every email sent about the application (the record's email log); their bodies are in the mailbox. */
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
  return `<h2>Emails sent (${emails.length}) <span class="muted small"><a href="${href('/mailbox', { application: applicationId })}">读邮件正文 read them in the mailbox</a></span></h2><div class="scroll"><table><thead><tr><th>At (Beijing, simulated clock)</th><th>Template</th><th>To</th><th>Subject</th><th>Message id</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
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
<p><a href="${workspaceHref(applicationId)}">在工作台打开此申请：待办、邮件、历史、申请书 Open the application in the workspace: open tasks, emails, history, form →</a></p>
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

/** Every event of the execution's history, page after page (GetExecutionHistory). */
async function readHistory(deps: ExecutionsDeps, executionArn: string): Promise<JsonObject[]> {
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
  return events;
}

/** The execution's output, or its error and cause, or that it still runs. */
function resultSection(described: JsonObject): string {
  if (described.output !== undefined) return `<h2>Output</h2>${pre(described.output)}`;
  if (described.error !== undefined || described.cause !== undefined) {
    return `<h2>Error</h2><p class="err">${escapeHtml(described.error ?? '(no error name)')}</p>${described.cause !== undefined ? `<h3>Cause</h3>${pre(described.cause)}` : ''}`;
  }
  return described.status === 'RUNNING' ? '<h2>Output</h2><p class="muted">Still running.</p>' : '';
}

/** An execution a restart of local mode stopped says so (the application was not what stopped it). */
function restartNote(described: JsonObject, name: string, current: string | undefined): string {
  if (described.status !== 'ABORTED' || described.error !== STOPPED_BY_RESTART) return '';
  const resumed = current && current !== name;
  return `<p class="note">本地服务重启时此执行被中止，申请本身未受影响${resumed ? `，其工作流已在 <a class="mono" href="${executionHref(current)}">${escapeHtml(current)}</a> 中续跑` : ''}。This execution was stopped by a restart of local mode, not by the application${
    resumed ? `; its workflow resumed in ${escapeHtml(current)}` : ''
  }.</p>`;
}

/** The application's workflow: what it does now (when its record could be read), and all its executions. */
async function workflowSection(
  deps: ExecutionPageDeps,
  applicationId: string,
  lookup: RecordLookup | undefined,
  options: PageOptions,
): Promise<string> {
  const current =
    typeof lookup?.record?.executionArn === 'string' ? lookup.record.executionArn.split(':').pop() : undefined;
  const now = lookup?.record
    ? `<p><strong>现在 Now:</strong></p>${await workflowNow(deps, lookup.record as unknown as WorkflowRecord, options.clock?.now() ?? new Date())}`
    : '';
  return `<h2 id="workflow">本申请的工作流 This application's workflow</h2>
${now}
${await applicationExecutions(deps, applicationId, current)}`;
}

function factsList(described: JsonObject, name: string, current: string | undefined, title: string): string {
  const which = current
    ? current === name
      ? ' · 当前执行 the current execution'
      : ` · 当前执行 current: <a class="mono" href="${executionHref(current)}">${escapeHtml(current)}</a>`
    : '';
  return `<dl class="facts">
<dt>Execution ARN</dt><dd class="mono">${escapeHtml(described.executionArn)}</dd>
<dt>What it is</dt><dd>${escapeHtml(executionKindLabel(executionKindOf(name)))}${which}</dd>
<dt>Started (wall clock)</dt><dd>${timeCell(described.startDate, true)}</dd>
<dt>Stopped (wall clock)</dt><dd>${timeCell(described.stopDate, true)}</dd>
<dt>Duration</dt><dd>${escapeHtml(duration(described.startDate, described.stopDate) || '—')}</dd>
${title ? `<dt>Application</dt><dd>${escapeHtml(title)}</dd>` : ''}
</dl>`;
}

function historyTable(events: JsonObject[]): string {
  return `<h2>History <span class="muted">(${events.length} events, wall clock)</span></h2>
<div class="scroll"><table>
<thead><tr><th>ID</th><th>Timestamp (Beijing, wall clock)</th><th>Type</th><th>State</th><th>Resource / error / data</th></tr></thead>
<tbody>
${eventRows(events).map(historyRow).join('\n')}
</tbody>
</table></div>`;
}

export async function executionPage(deps: ExecutionPageDeps, rawName: string, options: PageOptions): Promise<Answer> {
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return problem(404, 'Execution not found', `No execution is named ${rawName}`, options);
  }
  const described = await describeExecution(deps, name);
  if (!described)
    return problem(404, 'Execution not found', `No execution of this state machine is named “${name}”.`, options);
  const { applicationId } = executionKindOf(name);
  const [events, lookup] = await Promise.all([
    readHistory(deps, executionArnFor(deps.stateMachineArn, name)),
    deps.api ? readRecord(deps.api, applicationId) : undefined,
  ]);
  const current =
    typeof lookup?.record?.executionArn === 'string' ? lookup.record.executionArn.split(':').pop() : undefined;
  const content = `
<p><a href="${href('/executions')}">← all executions</a> · <a href="${executionHref(name)}">refresh</a>${
    lookup?.record
      ? ` · <a href="${workspaceHref(applicationId)}">申请（工作台）the application, in the workspace</a>`
      : ''
  }</p>
<h1><span class="mono">${escapeHtml(name)}</span> ${executionBadge(described.status, described.error)}</h1>
${restartNote(described, name, current)}
${factsList(described, name, current, recordTitle(lookup))}
${await workflowSection(deps, applicationId, lookup, options)}
<h2>Input</h2>${pre(described.input)}
${resultSection(described)}
${recordSection(lookup, applicationId)}
${historyTable(events)}`;
  return htmlAnswer(200, `Execution ${name}`, content, { ...options, section: '/executions' });
}
