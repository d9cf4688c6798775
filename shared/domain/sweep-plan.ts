/**
 * The sweep's fan-out, pure: one worker per shard of the open-task index, all started together by
 * the scheduled sweep, each draining its shard for a time budget at a bounded rate of emails.
 * The figures are argued in docs/design.md ("Deadlines and the sweep") and docs/measuring.md.
 */

/** What one worker is told: its shard, and the instant every worker of the run judges "due" by. */
export interface ShardSweep {
  shard: number;
  at: string;
}

/**
 * SES's sending quota assumed for a national funder's call: raised by request from the 14/s of a
 * new production account (at which 300,000 reminders would take six hours).
 */
export const ASSUMED_SES_RATE_PER_SECOND = 600;

/**
 * How long a worker keeps taking tasks: less than a minute, so it has stopped before the next
 * minute's worker of its shard starts and their email rates do not add up. Its Lambda's timeout
 * leaves room after it for what it started: a task is seconds, a part of the award proposal (a
 * batch, shared/use-cases/award-proposal-job.ts) up to 35 s.
 */
export const SWEEP_WORKER_BUDGET_MS = 45_000;
export const SWEEP_WORKER_TIMEOUT_SECONDS = 90;
/** What a worker keeps of its remaining time for the tasks in flight when it stops taking new ones. */
const IN_FLIGHT_RESERVE_MS = 40_000;

export const SWEEP_LIMITS = {
  /**
   * Tasks one worker works on at once: its rate (31/s) times a task's time (~150 ms: a lease, two
   * reads, the email's claim, SES, its mark, the next action) is about 5; 8 leaves room for slow ones.
   * Locally every worker shares one Node thread with the stand-ins, and more would only queue there.
   */
  concurrency: 8,
  /** Due tasks read per Query: the next page is read while this one is worked. */
  pageSize: 100,
  /** The share of the SES quota every worker together may use; the rest is the workflows' own emails. */
  sesShare: 0.85,
};

/**
 * A task whose reminder is being sent is leased: moved in the index this far ahead, under the
 * condition that it is still due, so a second worker reading the same entry finds it taken. Longer
 * than a worker lives; a send that failed (SES throttled it) makes the task due again after it.
 */
export const REMINDER_LEASE_MS = 2 * 60_000;

/**
 * The run's plan: one worker for each shard with something due (a quiet minute starts none; a
 * deadline's burst, spread over every shard by the hash, starts them all), each judging by the same instant.
 */
export function sweepPlan(shardsWithDueTasks: readonly number[], at: Date): ShardSweep[] {
  return [...new Set(shardsWithDueTasks)].sort((a, b) => a - b).map((shard) => ({ shard, at: at.toISOString() }));
}

/**
 * Emails per second one worker may send: its shard's part of the sweep's share of the quota (under
 * one a second at SES's first quota of 14/s: a province's burst of a few thousand then takes minutes).
 */
export function emailsPerSecondPerShard(shardCount: number, sesRate = ASSUMED_SES_RATE_PER_SECOND): number {
  return Math.floor(((sesRate * SWEEP_LIMITS.sesShare) / shardCount) * 100) / 100;
}

/** How long a worker may keep taking tasks, given the time its invocation has left. */
export function workerBudgetMs(remainingMs: number | undefined): number {
  if (remainingMs === undefined) return SWEEP_WORKER_BUDGET_MS;
  return Math.max(0, Math.min(SWEEP_WORKER_BUDGET_MS, remainingMs - IN_FLIGHT_RESERVE_MS));
}

/** A worker's event, checked: Lambda hands it over as JSON from the scheduled sweep (or an operator). */
export function parseShardSweep(event: unknown, shardCount: number): ShardSweep {
  const { shard, at } = (event ?? {}) as Partial<ShardSweep>;
  if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0 || shard >= shardCount)
    throw new Error(`A sweep worker needs a shard from 0 to ${shardCount - 1}, got ${JSON.stringify(shard)}`);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)))
    throw new Error(`A sweep worker needs the run's instant, got ${JSON.stringify(at)}`);
  return { shard, at };
}

/**
 * Minutes a burst of `tasks` due emails takes when each worker sends at its rate for its budget
 * every minute; the busiest shard sets the pace (a hash spreads them evenly, within ~2% at 300,000).
 */
export function burstMinutes(tasks: number, shardCount: number, sesRate = ASSUMED_SES_RATE_PER_SECOND): number {
  const busiestShard = (tasks / shardCount) * 1.02;
  const perRun = emailsPerSecondPerShard(shardCount, sesRate) * (SWEEP_WORKER_BUDGET_MS / 1000);
  return Math.ceil(busiestShard / perRun);
}
