/**
 * A deadline's burst through the fanned-out sweep, on the local stack (DynamoDB Local, aws-ses-v2-local,
 * the sweep's workers through local mode's Lambda endpoint, in-process, as `npm start` runs them):
 * N paper-copy tasks of N applications, all sharing the call's paper deadline, stored directly
 * through the adapters with their first reminder due; then the scheduled sweep is run again and again
 * (each run standing for a minute on AWS) until no shard has anything due. Prints the time, tasks/s,
 * each run, and the checks: every task acted on exactly once (moved to its next reminder, counted
 * once) and every email sent exactly once (each task's email-once marker SENT, and SES holding
 * exactly those messages, one each). Then what that means for 300,000 on AWS.
 *
 *   npx tsx test/bench/sweep-burst.ts [N]     a stack of its own (default N = 30,000)
 *
 * Exits 0 when every check holds, 1 when one fails, 2 on an error.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cpus, loadavg } from 'node:os';
import type { LocalStack } from '@infra/local/local-stack';
import type { Burst } from '../support/sweep-burst';
import { pool, round } from './stats';

const TABLE = 'funding-call';
/** Not a timer's: the runs below are the sweep's minutes. */
const NO_TIMER_MS = 24 * 3_600_000;

interface Run {
  ms: number;
  workers: number;
  reminded: number;
  skipped: number;
  throttled: number;
  failed: number;
  left: number;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/**
 * A run whose items failed leaves them leased for REMINDER_LEASE_MS: that many quiet runs in a row
 * (each a minute on the clock) and nothing can be left.
 */
const QUIET_RUNS_TO_STOP = 3;

/**
 * Runs the sweep as its schedule would, a minute of the (frozen) clock apart but back to back in
 * time, until a few runs in a row start no worker; answers each run that did.
 */
async function sweepUntilDone(stack: LocalStack, from: Date): Promise<Run[]> {
  const runs: Run[] = [];
  let stuck = 0;
  for (let minute = 0, quiet = 0; quiet < QUIET_RUNS_TO_STOP; minute++) {
    await stack.setClock(new Date(from.getTime() + minute * 60_000), { frozen: true, sweep: false });
    const began = performance.now();
    const counts = (await stack.sweep()) as Partial<Run>;
    const run: Run = {
      ms: performance.now() - began,
      workers: counts.workers ?? 0,
      reminded: counts.reminded ?? 0,
      skipped: counts.skipped ?? 0,
      throttled: counts.throttled ?? 0,
      failed: counts.failed ?? 0,
      left: counts.left ?? 0,
    };
    quiet = run.workers === 0 ? quiet + 1 : 0;
    // Workers that did nothing with work due: they failed (their errors are on stderr); stop, do not spin.
    if (run.workers > 0 && run.reminded + run.skipped + run.failed + run.throttled === 0) stuck++;
    if (stuck >= QUIET_RUNS_TO_STOP) throw new Error('the workers ran but acted on nothing: see their errors above');
    if (run.workers === 0) continue;
    runs.push(run);
    log(
      `  minute ${minute}: ${run.workers} workers, ${run.reminded} reminded, ${run.failed} failed in ${round(run.ms / 1000)} s`,
    );
  }
  return runs;
}

/** Every task moved to its next reminder; every marker SENT; SES holding exactly those messages. */
async function checks(stack: LocalStack, doc: DynamoDBDocumentClient, burst: Burst, runs: Run[]): Promise<string[]> {
  const { reminderMarker, taskIndexSortKey } = await import('../support/sweep-burst');
  const problems: string[] = [];
  const n = burst.taskIds.length;
  const total = (kind: keyof Run) => runs.reduce((sum, run) => sum + run[kind], 0);
  if (total('reminded') !== n) problems.push(`reminded ${total('reminded')} times for ${n} tasks`);
  const expectedKey = (taskId: string) => `${burst.nextAt.toISOString()}#${taskId}`;
  const keys = await pool(n, 32, (i) => taskIndexSortKey(doc, TABLE, burst.taskIds[i]));
  const unmoved = keys.filter((key, i) => key !== expectedKey(burst.taskIds[i])).length;
  if (unmoved > 0) problems.push(`${unmoved} tasks not moved to their next reminder`);
  const markers = await pool(n, 32, (i) => reminderMarker(doc, TABLE, burst.applicationIds[i]));
  const sentIds = markers.filter((marker) => marker?.state === 'SENT').map((marker) => marker?.messageId);
  if (sentIds.length !== n) problems.push(`${n - sentIds.length} reminders not marked sent`);
  const stored = ((await (await fetch(`${stack.urls.email}/store`)).json()) as { emails: { messageId: string }[] })
    .emails;
  const storedIds = stored.map((email) => email.messageId);
  const perMessage = new Map<string, number>();
  for (const id of storedIds) perMessage.set(id, (perMessage.get(id) ?? 0) + 1);
  if (new Set(sentIds).size !== n) problems.push('two reminders share a message id');
  const missing = sentIds.filter((id) => perMessage.get(id ?? '') !== 1).length;
  if (missing > 0) problems.push(`${missing} marked reminders not in SES exactly once`);
  if (storedIds.length !== n) problems.push(`SES holds ${storedIds.length} emails for ${n} reminders`);
  return problems;
}

/** What the bench prints: the figures, each run, and the checks; then the projection to AWS. */
async function report(n: number, seedMs: number, ms: number, runs: Run[], problems: string[]) {
  const { burstMinutes, emailsPerSecondPerShard, ASSUMED_SES_RATE_PER_SECOND, SWEEP_WORKER_BUDGET_MS } =
    await import('@shared/domain/sweep-plan');
  const total = (kind: keyof Run) => runs.reduce((sum, run) => sum + run[kind], 0);
  return {
    tasks: n,
    seedS: round(seedMs / 1000),
    sweepS: round(ms / 1000),
    tasksPerS: round(n / (ms / 1000)),
    runs: runs.length,
    runsS: runs.map((run) => round(run.ms / 1000)),
    workersPerRun: runs.map((run) => run.workers),
    remindedPerRun: runs.map((run) => run.reminded),
    skipped: total('skipped'),
    throttled: total('throttled'),
    failedThenRetried: total('failed'),
    sesPaceCapPerS: round(emailsPerSecondPerShard(16, ASSUMED_SES_RATE_PER_SECOND) * 16),
    awsAssumedSesRate: ASSUMED_SES_RATE_PER_SECOND,
    awsMinutesFor300k: burstMinutes(300_000, 16),
    awsWorkerBudgetS: SWEEP_WORKER_BUDGET_MS / 1000,
    checks: problems.length === 0 ? 'every task acted on once, every email sent once' : problems,
  };
}

/** Seeds the burst with the clock a minute after its first reminders fell due, sweeps it, checks it. */
async function benchOn(stack: LocalStack, n: number): Promise<number> {
  const { seedBurst, burstInstants } = await import('../support/sweep-burst');
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  await stack.setClock(burstInstants().remindAt, { frozen: true });
  log(`seeding ${n} applications and their paper-copy tasks…`);
  const seedStart = performance.now();
  const burst = await seedBurst(doc, TABLE, n);
  const seedMs = performance.now() - seedStart;
  log(`seeded in ${round(seedMs / 1000)} s; sweeping…`);
  const began = performance.now();
  const runs = await sweepUntilDone(stack, burst.remindAt);
  const ms = performance.now() - began;
  const problems = await checks(stack, doc, burst, runs);
  console.log(JSON.stringify(await report(n, seedMs, ms, runs, problems), null, 2));
  return problems.length === 0 ? 0 : 1;
}

async function main(n: number): Promise<number> {
  await import('./env');
  await import('@infra/local/polyfills');
  const { startLocalStack } = await import('@infra/local/local-stack');
  const load = loadavg().map((l) => round(l, 2));
  log(`machine: ${cpus().length} CPUs, load ${load.join(' ')}`);
  const stack = await startLocalStack({
    ports: { api: 0, email: 0, dynamodb: 0, stepfunctions: 0, files: 0 },
    sweepEveryMs: NO_TIMER_MS,
    // A worker that fails is reported by the local Lambda endpoint here, as CloudWatch would show it.
    log,
  });
  try {
    return await benchOn(stack, n);
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  main(Number(process.argv[2] ?? 30_000)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
