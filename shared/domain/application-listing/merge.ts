import type { ApplicationStatus } from '@shared/domain/application-record';

/**
 * Paging a call's applications over the sharded status index (GSI2 `STATUS#<status>#<shard>`,
 * sort key `<callId>#<createdAt>#<applicationId>`): within one status a k-way merge of the shards by
 * sort key, the statuses one after another. Pure: the reads are a function given in, so the order,
 * the page boundaries and the cursor are tested without DynamoDB.
 *
 * Why a merge and not one Query: a status's applications are spread over 16 partitions (a deadline
 * day's rush must not fall on one), so no single Query returns them in time order. Each shard is read
 * a few rows at a time (with the filters applied by DynamoDB), and a row is returned only when no
 * unread row of any shard can come before it.
 */

/** Where one shard stands between pages: after a sort key, from the start (no key), or read to its end. */
export interface ShardCursor {
  after?: string;
  done?: true;
}

/** Where the next page starts: a status and each shard's position in it. */
export interface MergePosition {
  status: ApplicationStatus;
  shards: ShardCursor[];
}

/** One read of one shard: its matching rows in order, and the last key evaluated when there is more. */
export interface ShardPage<R> {
  rows: R[];
  next?: string;
  /** how many entries the read evaluated (DynamoDB's ScannedCount): none, when the status has none in the call */
  evaluated?: number;
}

export type ShardReader<R> = (
  status: ApplicationStatus,
  shard: number,
  after: string | undefined,
  limit: number,
) => Promise<ShardPage<R>>;

export interface MergeOptions<R> {
  statuses: readonly ApplicationStatus[];
  from?: MergePosition;
  limit: number;
  newestFirst: boolean;
  shardCount: number;
  read: ShardReader<R>;
  /**
   * rounds of reads (each round reads every shard the merge waits on, at once) in one request; a
   * round that finds nothing at all (a status the call has no application in) does not count
   */
  maxRounds?: number;
  /** reads of one shard in one status in one request */
  maxReadsPerShard?: number;
}

/** A shard as one request reads it. */
export interface ShardState<R> {
  buffer: R[];
  after?: string;
  /** the last key DynamoDB evaluated, when the shard has more: every row up to it has been read */
  frontier?: string;
  exhausted: boolean;
  reads: number;
  /** every matching row up to this key has been returned (the last returned, or where a read began) */
  settled?: string;
}

export const MAX_ROUNDS = 8;
export const MAX_READS_PER_SHARD = 4;
const MAX_READ_LIMIT = 100;

const comesBefore = (a: string, b: string, newestFirst: boolean) => (newestFirst ? a > b : a < b);

export const freshShard = <R>(cursor: ShardCursor = {}): ShardState<R> => ({
  buffer: [],
  after: cursor.after,
  exhausted: cursor.done === true,
  reads: 0,
});

/** The shards whose unread rows might come before `head` (all unread ones when there is no head). */
function waitingOn<R extends { key: string }>(shards: ShardState<R>[], head: R | undefined, newestFirst: boolean) {
  const waiting: number[] = [];
  shards.forEach((shard, i) => {
    if (shard.exhausted || shard.buffer.length > 0) return;
    const position = shard.frontier ?? shard.after;
    if (!head || position === undefined || !comesBefore(head.key, position, newestFirst)) waiting.push(i);
  });
  return waiting;
}

/**
 * Moves rows into `out` while the next one is certain; returns the shards to read before the merge
 * can go on (none: the page is full, or the status is read to its end).
 */
export function mergeStep<R extends { key: string }>(
  shards: ShardState<R>[],
  out: R[],
  want: number,
  newestFirst: boolean,
): number[] {
  while (out.length < want) {
    let best: ShardState<R> | undefined;
    for (const shard of shards) {
      const head = shard.buffer[0];
      if (head && (!best || comesBefore(head.key, best.buffer[0].key, newestFirst))) best = shard;
    }
    const waiting = waitingOn(shards, best?.buffer[0], newestFirst);
    if (waiting.length > 0 || !best) return waiting;
    const row = best.buffer.shift() as R;
    best.settled = row.key;
    out.push(row);
  }
  return [];
}

/**
 * Where a shard stands for the next page: rows read but not returned must come again, so a shard
 * with some left restarts after its last returned row (or where the read that found them began); one
 * whose read rows were all returned goes on from the last key evaluated, so a filter that matches
 * rarely still moves forward page by page.
 */
export function cursorOf<R>(shard: ShardState<R>): ShardCursor {
  if (shard.buffer.length === 0) {
    if (shard.exhausted) return { done: true };
    const after = shard.frontier ?? shard.after;
    return after === undefined ? {} : { after };
  }
  const after = shard.settled ?? shard.after;
  return after === undefined ? {} : { after };
}

/** Reads the shards `which` at once; answers how many entries they evaluated. */
async function readShards<R extends { key: string }>(
  shards: ShardState<R>[],
  which: number[],
  status: ApplicationStatus,
  options: MergeOptions<R>,
): Promise<number> {
  const base = Math.ceil(options.limit / options.shardCount) + 2;
  let evaluated = 0;
  await Promise.all(
    which.map(async (i) => {
      const shard = shards[i];
      // A shard is read only once its buffer is empty: all it matched so far has been returned.
      shard.settled = shard.frontier ?? shard.after;
      // Each further read of a shard takes twice as many: a rare match is found in a few reads.
      const page = await options.read(
        status,
        i,
        shard.frontier ?? shard.after,
        Math.min(MAX_READ_LIMIT, base << shard.reads),
      );
      shard.reads++;
      evaluated += page.evaluated ?? page.rows.length + (page.next === undefined ? 0 : 1);
      shard.buffer.push(...page.rows);
      shard.frontier = page.next;
      shard.exhausted = page.next === undefined;
    }),
  );
  return evaluated;
}

/**
 * One page: rows in order (newest or oldest first, statuses in the given order) and where the next
 * page starts, absent when every status is read to its end. The work is bounded (rounds of reads,
 * reads per shard): when it runs out the page is short, possibly empty, and the position moves on.
 */
export async function readMergedPage<R extends { key: string }>(
  options: MergeOptions<R>,
): Promise<{ rows: R[]; next?: MergePosition }> {
  const { statuses, newestFirst, limit } = options;
  const maxRounds = options.maxRounds ?? MAX_ROUNDS;
  const maxReads = options.maxReadsPerShard ?? MAX_READS_PER_SHARD;
  const out: R[] = [];
  let rounds = 0;
  // Empty statuses cost a round of small reads each: bounded by how many statuses there are.
  let allRounds = 0;
  let index = options.from ? statuses.indexOf(options.from.status) : 0;
  for (; index >= 0 && index < statuses.length; index++) {
    const resume = options.from?.status === statuses[index] ? options.from : undefined;
    const shards = Array.from({ length: options.shardCount }, (_, i) => freshShard<R>(resume?.shards[i]));
    const here = () => ({ rows: out, next: { status: statuses[index], shards: shards.map(cursorOf) } });
    for (;;) {
      const waiting = mergeStep(shards, out, limit, newestFirst);
      if (waiting.length === 0 && out.length >= limit) {
        const drained = shards.every((s) => s.exhausted && s.buffer.length === 0);
        if (!drained) return here();
        break;
      }
      if (waiting.length === 0) break;
      const spent = rounds >= maxRounds || allRounds >= maxRounds + statuses.length;
      if (spent || waiting.some((i) => shards[i].reads >= maxReads)) return here();
      if ((await readShards(shards, waiting, statuses[index], options)) > 0) rounds++;
      allRounds++;
    }
    if (out.length >= limit) {
      const following = statuses[index + 1];
      return { rows: out, ...(following ? { next: { status: following, shards: [] } } : {}) };
    }
  }
  return { rows: out };
}

/**
 * A unit's few applications in a call, paged in memory in the order the status index gives the
 * call's: status by status (in the listing's order), newest or oldest first within each.
 */
export function pageInMemory<R extends { key: string; status: ApplicationStatus }>(
  rows: readonly R[],
  statuses: readonly ApplicationStatus[],
  newestFirst: boolean,
  page: { offset: number; limit: number },
): { rows: R[]; nextOffset?: number } {
  const sorted = rows
    .filter((row) => statuses.includes(row.status))
    .sort(
      (a, b) =>
        statuses.indexOf(a.status) - statuses.indexOf(b.status) ||
        (comesBefore(a.key, b.key, newestFirst) ? -1 : a.key === b.key ? 0 : 1),
    );
  const end = page.offset + page.limit;
  return { rows: sorted.slice(page.offset, end), ...(end < sorted.length ? { nextOffset: end } : {}) };
}
