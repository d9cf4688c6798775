/**
 * How the console names the product's statuses, task kinds and execution names for staff:
 * Chinese first, then English, with a badge colour per application status (a withdrawn application
 * is grey, a rejected one red, an awarded one green: never the same badge for different outcomes).
 */
import type { ApplicationStatus } from '@shared/domain/application-record';
import type { TaskKind } from '@shared/domain/tasks/record';
import { badge, escapeHtml } from './html';

interface Label {
  zh: string;
  en: string;
}

export const STATUS_LABELS: Record<ApplicationStatus, Label & { tone: string }> = {
  SUBMITTED: { zh: '已提交', en: 'Submitted', tone: 'blue' },
  RETURNED_FOR_CORRECTION: { zh: '退回修改', en: 'Returned for correction', tone: 'orange' },
  FORMAL_CHECK_PASSED: { zh: '形式检查通过', en: 'Formal check passed', tone: 'blue' },
  FORMAL_REVIEW_PASSED: { zh: '形式审查通过', en: 'Formal review passed', tone: 'blue' },
  READY_FOR_EXPERT_REVIEW: { zh: '待专家评审', en: 'Ready for expert review', tone: 'teal' },
  IN_EXPERT_REVIEW: { zh: '专家评审中', en: 'In expert review', tone: 'teal' },
  SHORT_OF_SCORES: { zh: '评分不足', en: 'Short of scores', tone: 'orange' },
  SCORED: { zh: '已评分', en: 'Scored', tone: 'purple' },
  AWARDED: { zh: '已立项', en: 'Awarded', tone: 'green' },
  NOT_AWARDED: { zh: '未立项', en: 'Not awarded', tone: 'dark' },
  REJECTED: { zh: '未通过', en: 'Rejected', tone: 'red' },
  WITHDRAWN: { zh: '已撤回', en: 'Withdrawn', tone: 'grey' },
};

export const TASK_LABELS: Record<TaskKind, Label> = {
  'formal-review': { zh: '形式审查', en: 'Formal review (staff)' },
  'paper-copy': { zh: '纸质材料签收', en: 'Paper copy (staff)' },
  'target-review': { zh: '绩效目标审核', en: 'Target review (staff)' },
  amendment: { zh: '单位修改申请书', en: "The unit's correction" },
  recovery: { zh: '工作流恢复', en: 'Workflow recovery' },
  'expert-assignment': { zh: '等待专家评审轮次', en: 'Waits for the expert review round' },
  'review-top-up': { zh: '补充专家或延期', en: 'Add an expert or extend' },
  'award-decision': { zh: '等待立项决定', en: 'Waits for the award decision' },
  'expert-review': { zh: '专家评审打分', en: "An expert's review" },
  'award-confirmation': { zh: '立项方案确认', en: 'Award confirmation' },
  'report-review': { zh: '报告审核', en: 'Report review' },
  obligation: { zh: '应交报告', en: 'Report due' },
  batch: { zh: '批处理', en: 'Batch' },
};

export const APPLICATION_STATUS_LIST = Object.keys(STATUS_LABELS) as ApplicationStatus[];

const bilingual = (label: Label | undefined, fallback: string) => (label ? `${label.zh} ${label.en}` : fallback);

/** The application's status as a badge coloured by the status itself (not by its execution's). */
export function applicationBadge(status: unknown): string {
  const label = STATUS_LABELS[status as ApplicationStatus];
  return label ? badge(`${label.zh} ${label.en}`, label.tone, String(status)) : badge(String(status ?? '—'), 'purple');
}

export function taskLabel(kind: unknown): string {
  return escapeHtml(bilingual(TASK_LABELS[kind as TaskKind], String(kind ?? '')));
}

/** What an execution's name says about it (executionNames in shared/domain/ids.ts). */
export interface ExecutionKind {
  applicationId: string;
  kind: 'first' | 'amendment' | 'recovery' | 'resumed';
  n?: number;
}

/**
 * The application an execution belongs to, and why it was started: `<id>` the first run, `<id>-v<n>`
 * after an amendment, `<id>-r<n>` a recovery, `<id>-s<n>` resumed after a restart. Application ids
 * are UUIDs, whose last group is hex: a suffix with v, r or s cannot be part of one.
 */
export function executionKindOf(name: string): ExecutionKind {
  const found = /^(.+)-([vrs])(\d+)$/.exec(name);
  if (!found) return { applicationId: name, kind: 'first' };
  const kind = ({ v: 'amendment', r: 'recovery', s: 'resumed' } as const)[found[2] as 'v' | 'r' | 's'];
  return { applicationId: found[1], kind, n: Number(found[3]) };
}

export function executionKindLabel(kind: ExecutionKind): string {
  switch (kind.kind) {
    case 'first':
      return '首次运行 First run';
    case 'amendment':
      return `修改后重新运行（第 ${kind.n} 版）Restarted after amendment (v${kind.n})`;
    case 'recovery':
      return `失败后恢复（第 ${kind.n} 次）Recovery after a failure (#${kind.n})`;
    case 'resumed':
      return `重启后续跑（第 ${kind.n} 次）Resumed after a restart (#${kind.n})`;
  }
}

/** The error local mode's Step Functions endpoint gives the executions it stops when it stops. */
export const STOPPED_BY_RESTART = 'Local.ServerStopped';

const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** An execution's status badge (class st-<status>); an execution a restart stopped says so. */
export function executionBadge(status: unknown, error?: unknown): string {
  const text = String(status ?? 'UNKNOWN');
  if (text === 'ABORTED' && error === STOPPED_BY_RESTART) {
    return `<span class="badge st-aborted" title="ABORTED (${STOPPED_BY_RESTART})">ABORTED · 被重启中止 stopped by a restart</span>`;
  }
  const known = (EXECUTION_STATUSES as readonly string[]).includes(text)
    ? text.toLowerCase().replace('_', '-')
    : 'unknown';
  return `<span class="badge st-${known}">${escapeHtml(text)}</span>`;
}
