import { SWEEP_WORKER_TIMEOUT_SECONDS } from '@shared/domain/sweep-plan';
import type { FunctionName } from './routes';

/** One sweep worker per shard of the open-task index (OPEN_TASK_SHARDS in shared/adapters/dynamodb/keys.ts). */
const SWEEP_WORKERS = 16;

/**
 * Every Lambda of the product and what it needs. The stack turns each need into an environment
 * variable together with the IAM grant it implies (infra/grants.ts); local mode reads the same list
 * to route Lambda invocations to the same handler modules in-process. test/infra/function-env.test.ts
 * bundles each handler and checks that its needs cover every variable and AWS call in its bundle,
 * and that its table needs give no more than its bundle uses (table:delete is apart from table:write:
 * only the functions whose code deletes an item get DeleteItem).
 */
export type Need =
  | 'table:read'
  | 'table:write'
  | 'table:delete'
  | 'workflow:start'
  | 'workflow:answer'
  /** whether an execution still runs (DescribeExecution) */
  | 'workflow:read'
  | 'email:send'
  | 'links'
  | 'links:sign'
  | 'files:presign-upload'
  | 'files:upload'
  | 'files:read'
  /** invokes the sweep's worker, sweep-shard, asynchronously (the scheduled sweep's fan-out) */
  | 'sweep:fan-out';

export type WorkflowFunctionName =
  | 'send-receipt'
  | 'formal-check'
  | 'return-for-correction'
  | 'record-rejection'
  | 'record-failure'
  | 'open-link-task'
  | 'record-review-outcome'
  | 'open-review-wait'
  | 'open-expert-review'
  | 'collect-scores'
  | 'record-award';
/** Run by a schedule, or by an EventBridge rule (resume-stalled: both, see infra/stack.ts); sweep-shard by sweep-deadlines. */
export type ScheduledFunctionName = 'sweep-deadlines' | 'sweep-shard' | 'seed-units' | 'resume-stalled';
/** Functions an SNS topic invokes: SES's bounces and complaints (infra/email.ts). */
export type SubscriberFunctionName = 'record-email-event';
export type AnyFunctionName = FunctionName | WorkflowFunctionName | ScheduledFunctionName | SubscriberFunctionName;

export interface FunctionSpec {
  name: AnyFunctionName;
  needs: Need[];
  /** MB; 512 unless the function holds a whole call in memory (CALL_WIDE_MEMORY_MB) */
  memoryMb?: number;
  /** seconds; 29 (the API's limit) unless the function is no request's and works to a budget of its own */
  timeoutSeconds?: number;
  /** concurrency reserved for it (and its cap); none unless it must run whatever else runs */
  reservedConcurrency?: number;
}

/**
 * For the functions that hold a whole call at once at a national funder's size: the round's plan
 * (300,000 candidates and the pool), the award proposal (300,000 rank inputs ranked and paged), the
 * award's confirmation (every entry turned into decision batches). The proposal over 300,000 peaked
 * 475 MB of heap above its start and ran out of a 400 MB heap (`npx tsx test/bench/proposal.ts 300000`
 * with NODE_OPTIONS=--max-old-space-size); Lambda gives CPU in proportion to memory, too.
 */
export const CALL_WIDE_MEMORY_MB = 2048;

/** A function's memory, MB: its own, or 512. */
export const memoryMbOf = (spec: Pick<FunctionSpec, 'memoryMb'> | undefined): number => spec?.memoryMb ?? 512;

export const functionSpecs: readonly FunctionSpec[] = [
  { name: 'list-calls', needs: [] },
  { name: 'get-call', needs: [] },
  { name: 'submit-application', needs: ['table:write', 'workflow:start'] },
  // Staff see the link of each open task assigned to them.
  { name: 'get-application', needs: ['table:read', 'links', 'links:sign'] },
  // workflow:start: an answer whose execution is gone starts a new one (shared/use-cases/workflow-start.ts).
  { name: 'amend-application', needs: ['table:write', 'workflow:answer', 'workflow:start'] },
  { name: 'withdraw-application', needs: ['table:write', 'workflow:answer', 'workflow:start'] },
  { name: 'list-my-applications', needs: ['table:read'] },
  { name: 'list-my-drafts', needs: ['table:read'] },
  { name: 'get-my-draft', needs: ['table:read'] },
  { name: 'put-my-draft', needs: ['table:write'] },
  // A deleted draft gives its place in the unit's cap back (a transaction with the counter).
  { name: 'delete-my-draft', needs: ['table:write', 'table:delete'] },
  { name: 'put-unit-standing', needs: ['table:write'] },
  { name: 'put-unit', needs: ['table:write'] },
  { name: 'list-units', needs: ['table:read'] },
  { name: 'get-unit', needs: ['table:read'] },
  // An answer whose execution is gone resumes the workflow at the application's stage.
  // A report review's page links its files (presigned downloads).
  {
    name: 'task-link',
    needs: [
      'table:write',
      'table:delete',
      'links',
      'links:sign',
      'workflow:answer',
      'workflow:start',
      'email:send',
      'files:read',
    ],
    memoryMb: CALL_WIDE_MEMORY_MB,
  },
  { name: 'list-staff-tasks', needs: ['table:read', 'links', 'links:sign'] },
  { name: 'record-paper-copies', needs: ['table:write', 'links:sign', 'workflow:answer', 'workflow:start'] },
  { name: 'list-experts', needs: ['table:read'] },
  { name: 'put-expert', needs: ['table:write'] },
  // The round and the award's confirmation carry out call-level batches: tasks, emails, decisions.
  {
    name: 'start-expert-assignment',
    needs: ['table:write', 'table:delete', 'email:send', 'links', 'links:sign', 'workflow:answer', 'workflow:start'],
    memoryMb: CALL_WIDE_MEMORY_MB,
  },
  { name: 'get-review-status', needs: ['table:read'] },
  {
    name: 'add-expert',
    needs: ['table:write', 'table:delete', 'email:send', 'links', 'links:sign', 'workflow:answer', 'workflow:start'],
  },
  {
    name: 'extend-review',
    needs: ['table:write', 'table:delete', 'email:send', 'links', 'links:sign', 'workflow:answer', 'workflow:start'],
  },
  // Checks and starts the proposal's job; the sweep's workers make the proposal (and email the head).
  {
    name: 'propose-award',
    needs: ['table:write'],
    memoryMb: CALL_WIDE_MEMORY_MB,
  },
  { name: 'get-award-proposal', needs: ['table:read'] },
  // A call-level job's progress (the round, the proposal, the award's decisions, the reporting round).
  { name: 'get-job', needs: ['table:read'] },
  { name: 'get-results', needs: ['table:read'] },
  { name: 'publish-results', needs: ['table:write'] },
  { name: 'list-my-obligations', needs: ['table:read'] },
  // Presigns one upload under pending/ (nothing is stored until a report names it).
  { name: 'request-upload', needs: ['table:read', 'files:presign-upload'] },
  // Checks the uploads, moves them under reports/, and opens the staff review (a task link).
  {
    name: 'submit-report',
    needs: ['table:write', 'table:delete', 'files:upload', 'email:send', 'links', 'links:sign'],
  },
  // Redates the forum's reports and moves their reminders.
  { name: 'record-forum-dates', needs: ['table:write'] },
  { name: 'list-call-obligations', needs: ['table:read'] },
  { name: 'list-call-applications', needs: ['table:read'] },
  // Counts the call from the status index; the staff member's own tasks come with their links.
  { name: 'get-call-overview', needs: ['table:read', 'links', 'links:sign'] },
  { name: 'open-reporting-round', needs: ['table:write', 'table:delete', 'email:send'] },
  { name: 'send-receipt', needs: ['table:write', 'table:delete', 'email:send', 'links'] },
  { name: 'formal-check', needs: ['table:write', 'table:delete', 'email:send'] },
  { name: 'return-for-correction', needs: ['table:write', 'table:delete', 'email:send', 'links'] },
  { name: 'record-rejection', needs: ['table:write', 'table:delete', 'email:send'] },
  { name: 'record-failure', needs: ['table:write'] },
  // workflow:answer: a task answered before this execution waited on it is passed on at once.
  {
    name: 'open-link-task',
    needs: ['table:write', 'table:delete', 'email:send', 'links', 'links:sign', 'workflow:answer'],
  },
  { name: 'record-review-outcome', needs: ['table:write', 'table:delete', 'email:send'] },
  // A late application gets its panel as it arrives (experts emailed); a released wait is passed on.
  {
    name: 'open-review-wait',
    needs: ['table:write', 'table:delete', 'email:send', 'links', 'links:sign', 'workflow:answer', 'workflow:start'],
  },
  { name: 'open-expert-review', needs: ['table:write', 'workflow:answer', 'workflow:start'] },
  {
    name: 'collect-scores',
    needs: ['table:write', 'table:delete', 'email:send', 'links', 'links:sign', 'workflow:answer', 'workflow:start'],
  },
  {
    name: 'record-award',
    needs: ['table:write', 'table:delete', 'email:send', 'links', 'links:sign', 'workflow:answer', 'workflow:start'],
  },
  // The sweep's worker, one per shard of the open-task index (listed before the sweep, whose grant names it).
  // Its budget is 45 s of 90 (shared/domain/sweep-plan.ts); 16 reserved: every shard runs on deadline day
  // whatever the API takes, and no more than 16 at once, so the sweep's email rate holds.
  {
    name: 'sweep-shard',
    needs: ['table:write', 'table:delete', 'workflow:start', 'workflow:answer', 'email:send', 'links', 'links:sign'],
    memoryMb: CALL_WIDE_MEMORY_MB,
    timeoutSeconds: SWEEP_WORKER_TIMEOUT_SECONDS,
    reservedConcurrency: SWEEP_WORKERS,
  },
  // Starts the workers and the workflows whose start was not confirmed.
  {
    name: 'sweep-deadlines',
    needs: ['table:write', 'table:delete', 'workflow:start', 'workflow:read', 'sweep:fan-out'],
  },
  { name: 'seed-units', needs: ['table:write'] },
  // A stalled application's workflow resumed at its recorded stage (its execution ended, or the reconciliation found it).
  { name: 'resume-stalled', needs: ['table:write', 'workflow:start', 'workflow:read'] },
  // SES's bounces and complaints, recorded on the application each email was about.
  { name: 'record-email-event', needs: ['table:write'] },
];

/** The construct id of a function: its file name in PascalCase (formal-check → FormalCheck). */
export const constructId = (name: AnyFunctionName) =>
  name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
