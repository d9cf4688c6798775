/**
 * An application's workflow, as the execution page shows it: every execution of the application
 * (which is current, which a restart stopped) and what the workflow is doing now. Both are local
 * mode's own: on AWS the Step Functions console shows them, and the staff workspace (which serves
 * both) shows the application itself, its open tasks and its emails.
 */
import type { ApplicationRecord, ApplicationStatus } from '@shared/domain/application-record';
import type { ConsoleStore } from './data';
import { describeExecution, executionHref, listExecutions, type ExecutionsDeps } from './executions';
import { badge, beijing, duration, epochMs, escapeHtml, timeCell, workspaceHref, type JsonObject } from './html';
import { executionBadge, executionKindLabel, executionKindOf, taskLabel } from './labels';

/** What the workflow section reads of the application (the staff's GET /applications/{id} gives it). */
export type WorkflowRecord = Pick<
  ApplicationRecord,
  'applicationId' | 'status' | 'executionArn' | 'history' | 'failure' | 'outcome'
>;

const FINISHED: readonly ApplicationStatus[] = ['AWARDED', 'NOT_AWARDED', 'REJECTED', 'WITHDRAWN'];

const causeOf = (entry: { detail?: unknown }) => {
  const cause = (entry.detail as { cause?: unknown } | undefined)?.cause;
  return typeof cause === 'string' ? cause : undefined;
};

/** The latest resumption of the workflow (a restart, the reconciliation, an execution's end), if any. */
function resumedNote(record: WorkflowRecord): string {
  const resumed = [...(record.history ?? [])]
    .reverse()
    .find((entry) => entry.stage === 'Workflow' && entry.result === 'RESUMED');
  if (!resumed) return '';
  const cause = causeOf(resumed);
  return ` <span class="muted">上次恢复 Last resumed ${escapeHtml(beijing(resumed.at))}${cause ? ` · ${escapeHtml(cause)}` : ''}</span>`;
}

/**
 * What an unfinished application with no open task is doing, as its execution says, never assumed:
 * at work only while its execution runs; otherwise stalled, and being resumed by the rule that
 * resumes every stalled application (the execution's end, the reconciliation, a restart), or failed
 * and left to its recovery. The latest resumption, if any, is named.
 */
export async function workflowState(deps: ExecutionsDeps, record: WorkflowRecord): Promise<string> {
  const execution = record.executionArn ? record.executionArn.split(':').pop()! : record.applicationId;
  const described = await describeExecution(deps, execution).catch(() => undefined);
  const resumed = resumedNote(record);
  if (described?.status === 'RUNNING') {
    return `<p class="muted">没有待办任务：工作流正在处理（执行 <span class="mono">${escapeHtml(execution)}</span> 运行中）。No open task: the workflow is at work (execution ${escapeHtml(execution)} is running).${resumed}</p>`;
  }
  const ended = described ? `执行已结束（${escapeHtml(String(described.status))}）` : '没有执行';
  const endedEn = described ? `its execution ended (${escapeHtml(String(described.status))})` : 'it has no execution';
  if (record.failure) {
    return `<p class="note">工作流失败，已记录，等待自动恢复或工作人员处理：${ended}。The workflow failed and is recorded; its recovery (or staff) starts it again: ${endedEn}.${resumed}</p>`;
  }
  return `<p class="note">已停滞，正在恢复：${ended}，将从记录的阶段继续。Stalled, being resumed: ${endedEn}; it goes on from the stage its record says.${resumed}</p>`;
}

/**
 * What the workflow does now: finished, waiting on tasks (named here; who holds them and until when
 * is the workspace's), or neither, when its execution says whether it is at work or stalled.
 */
export async function workflowNow(
  deps: ExecutionsDeps & { store: ConsoleStore },
  record: WorkflowRecord,
  now: Date,
): Promise<string> {
  if (FINISHED.includes(record.status)) {
    const outcome = record.outcome
      ? ` <span class="muted">${escapeHtml(record.outcome.result)}${record.outcome.reason ? ` · ${escapeHtml(record.outcome.reason)}` : ''} · ${escapeHtml(beijing(record.outcome.at))}</span>`
      : '';
    return `<p>已结束，没有待办 Finished: nothing is waited on.${outcome}</p>`;
  }
  const tasks = (await deps.store.openTasks())
    .filter((task) => task.applicationId === record.applicationId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (tasks.length === 0) return workflowState(deps, record);
  const waits = tasks.map((task) => {
    const due = epochMs(task.dueAt);
    return `${taskLabel(task.kind)}${due !== undefined && due < now.getTime() ? ` ${badge('逾期 overdue', 'red')}` : ''}`;
  });
  return `<p>等待 Waiting on: ${waits.join('、')} · <a href="${workspaceHref(record.applicationId)}">待办、负责人与截止时间见工作台 Who holds each and until when: the workspace</a></p>`;
}

function executionRow(execution: JsonObject, current: string | undefined, error: unknown): string {
  const name = String(execution.name ?? '');
  return `<tr>
<td class="mono" data-label="执行 Execution"><a href="${executionHref(name)}">${escapeHtml(name)}</a>${name === current ? ` ${badge('当前 current', 'outline')}` : ''}</td>
<td data-label="说明 What">${escapeHtml(executionKindLabel(executionKindOf(name)))}</td>
<td data-label="执行状态 Execution status">${executionBadge(execution.status, error)}</td>
<td class="time" data-label="开始（墙钟）Started (wall clock)">${timeCell(execution.startDate)}</td>
<td class="time" data-label="结束（墙钟）Stopped (wall clock)">${timeCell(execution.stopDate)}</td>
<td class="num" data-label="用时 Duration">${escapeHtml(duration(execution.startDate, execution.stopDate))}</td>
</tr>`;
}

/**
 * Every execution of one application, newest first: `<id>` the first run, `<id>-v<n>` after an
 * amendment, `<id>-r<n>` a recovery, `<id>-s<n>` resumed after a restart; the current one marked.
 * An aborted one is described, since only DescribeExecution tells one a restart stopped.
 */
export async function applicationExecutions(
  deps: ExecutionsDeps,
  applicationId: string,
  current: string | undefined,
): Promise<string> {
  const { executions } = await listExecutions(deps, undefined, 10_000);
  const mine = executions.filter((e) => executionKindOf(String(e.name ?? '')).applicationId === applicationId);
  if (mine.length === 0) return '<p class="muted">没有执行 No execution.</p>';
  const rows = await Promise.all(
    mine.map(async (execution) => {
      const described =
        execution.status === 'ABORTED'
          ? await describeExecution(deps, String(execution.name ?? '')).catch(() => undefined)
          : undefined;
      return executionRow(execution, current, described?.error);
    }),
  );
  return `<table class="cards"><thead><tr><th>执行 Execution</th><th>说明 What</th><th>执行状态 Execution status</th><th>开始（墙钟）Started (wall clock)</th><th>结束（墙钟）Stopped (wall clock)</th><th>用时 Duration</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<p class="muted small">执行的状态是工作流的状态，不是申请的状态 An execution's status is its workflow's, not the application's: a withdrawn application's execution also ends SUCCEEDED.</p>`;
}
