import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import {
  conditionalWrite,
  transact,
  TransactionCanceledException,
  transactionItemFailed,
} from '@shared/adapters/dynamodb/conditional';
import {
  CALL_RECORDS,
  callRecordKey,
  EXPERT_LOAD_SHARDS,
  expertLoadIndex,
  expertLoadKey,
  expertLoadPartition,
  GSI1,
  proposalPageKey,
  taskKey,
  unshardedExpertLoadPartition,
  withoutKeys,
} from '@shared/adapters/dynamodb/keys';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import { table } from '@shared/adapters/dynamodb/table-name';

/**
 * The expert review's and the award's own items: each expert's load in a call (held under the
 * expert's cap by a condition, so replacements racing each other never overload anyone), and the
 * call-level records (the round, the award and each version of the proposal with its pages).
 */

/**
 * Adds `places` to an expert's load in a call, only while it stays within `cap`. False when the cap
 * would be passed (another replacement took the last place first).
 */
export async function addExpertLoad(expertId: string, callId: string, places: number, cap: number): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: expertLoadKey(expertId, callId),
        UpdateExpression: 'SET #gpk = :gpk, #gsk = :gsk, #expertId = :expertId ADD #load :places',
        ConditionExpression: 'attribute_not_exists(#load) OR #load <= :room',
        ExpressionAttributeNames: { '#load': 'load', '#gpk': 'GSI1PK', '#gsk': 'GSI1SK', '#expertId': 'expertId' },
        ExpressionAttributeValues: {
          ':places': places,
          ':room': cap - places,
          ':expertId': expertId,
          ...prefixed(expertLoadIndex(callId, expertId)),
        },
      }),
    ),
  );
}

const prefixed = (index: { GSI1PK: string; GSI1SK: string }) => ({ ':gpk': index.GSI1PK, ':gsk': index.GSI1SK });

/** One place less in an expert's load (never below zero). */
const loadDecrement = (expertId: string, callId: string) => ({
  TableName: table(),
  Key: expertLoadKey(expertId, callId),
  UpdateExpression: 'ADD #load :minusOne',
  ConditionExpression: '#load > :zero',
  ExpressionAttributeNames: { '#load': 'load' },
  ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
});

/** Frees one place of an expert's load (a decline or a conflict). */
export async function releaseExpertLoad(expertId: string, callId: string): Promise<void> {
  await dynamo()
    .send(new UpdateCommand(loadDecrement(expertId, callId)))
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
}

/**
 * Frees the place one review task held in its expert's load, once per task: the task's flag and the
 * decrement are one transaction, so a retry after a failure neither skips nor repeats it. Only while
 * the stored task holds a place (its `holdsLoad` is not false): a round's task the cap refused may be
 * given a place afterwards (givePlaceToTask), so what the caller read of it earlier does not decide.
 */
export async function releaseTaskLoadOnce(taskId: string, expertId: string, callId: string): Promise<void> {
  const flag = {
    TableName: table(),
    Key: taskKey(taskId),
    ExpressionAttributeNames: { '#flag': 'loadReleased' },
    ExpressionAttributeValues: { ':true': true },
  };
  try {
    await transact([
      {
        Update: {
          ...flag,
          UpdateExpression: 'SET #flag = :true',
          ConditionExpression:
            'attribute_exists(PK) AND attribute_not_exists(#flag) AND (attribute_not_exists(#holds) OR #holds = :true)',
          ExpressionAttributeNames: { ...flag.ExpressionAttributeNames, '#holds': 'holdsLoad' },
        },
      },
      { Update: loadDecrement(expertId, callId) },
    ]);
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    if (transactionItemFailed(error, 0)) return; // freed already, holds no place (or no such task)
    if (!transactionItemFailed(error, 1)) throw error;
    // The load holds nothing to free: the task is marked all the same.
    await conditionalWrite(() => dynamo().send(new UpdateCommand({ ...flag, UpdateExpression: 'SET #flag = :true' })));
  }
}

/**
 * Hands a place just taken in an expert's load to their review task, which exists already (another
 * run of the same panel created it first) but holds none: that run's place was refused by the cap
 * while this run's, taken a moment before, filled it. Without the hand-over this run would give its
 * place back and the task would stay on the panel with no place counted. Only while the task is open
 * and its place never freed: a task closed meanwhile (another panel recorded first) keeps none, and
 * its closer gives back only what it holds. True when the task took the place (the caller keeps it);
 * false when it holds one already or is no longer open (the caller gives its place back).
 */
export async function givePlaceToTask(taskId: string): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: taskKey(taskId),
        UpdateExpression: 'SET #holds = :true',
        ConditionExpression: '#holds = :false AND #state = :open AND attribute_not_exists(#released)',
        ExpressionAttributeNames: { '#holds': 'holdsLoad', '#state': 'state', '#released': 'loadReleased' },
        ExpressionAttributeValues: { ':true': true, ':false': false, ':open': 'OPEN' },
      }),
    ),
  );
}

/**
 * The GSI1 partitions of a call's loads: its EXPERT_LOAD_SHARDS shards, and first the one every load
 * was indexed under before the shards (a counter not written since stays there; one written since has
 * moved, so no expert is in two).
 */
const loadPartitions = (callId: string) => [
  unshardedExpertLoadPartition(callId),
  ...Array.from({ length: EXPERT_LOAD_SHARDS }, (_, shard) => expertLoadPartition(callId, shard)),
];

/** The loads in every partition of a call's (each Query paged, all at once), by expert id. */
async function readLoads(callId: string, between?: { first: string; last: string }): Promise<Map<string, number>> {
  const readPartition = async (partition: string) => {
    const items: Record<string, unknown>[] = [];
    const pages = queryPages({
      TableName: table(),
      IndexName: GSI1,
      KeyConditionExpression: between ? 'GSI1PK = :pk AND GSI1SK BETWEEN :first AND :last' : 'GSI1PK = :pk',
      ExpressionAttributeValues: {
        ':pk': partition,
        ...(between ? { ':first': between.first, ':last': between.last } : {}),
      },
    });
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  };
  const found = (await Promise.all(loadPartitions(callId).map(readPartition))).flat();
  // By expert id, as one partition answered before the shards (a counter caught moving to its shard
  // while the index catches up: the shard's, read later in the list, is the newer).
  const loads = new Map<string, number>();
  for (const item of found) loads.set(String(item.expertId), Number(item.load ?? 0));
  return new Map([...loads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every expert's load in a call (one Query per load shard, in parallel, paged). */
export async function listExpertLoads(callId: string): Promise<Map<string, number>> {
  return readLoads(callId);
}

/**
 * The loads in a call of the experts whose ids run from `first` to `last` (one page of the pool):
 * each load shard sorts by expert id as the pool does, so one Query per shard between the two, all
 * at once. An expert without an item holds no place.
 */
export async function expertLoadsBetween(callId: string, first: string, last: string): Promise<Map<string, number>> {
  return readLoads(callId, { first, last });
}

// ---------------------------------------------------------------------------------------------
// Call-level records

export type CallRecordName = 'round' | 'award';

export async function getCallRecord<T>(callId: string, what: CallRecordName | string): Promise<T | undefined> {
  const sk = what === 'round' || what === 'award' ? CALL_RECORDS[what] : what;
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: callRecordKey(callId, sk), ConsistentRead: true }),
  );
  return result.Item ? withoutKeys<T>(result.Item) : undefined;
}

/** Writes a call record only if there is none yet: true when this call wrote it. */
export async function putCallRecordOnce(callId: string, what: CallRecordName, record: object): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...callRecordKey(callId, CALL_RECORDS[what]), ...record },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

/**
 * Sets fields of a call record, creating it if need be, while `condition` (on the stored fields,
 * given as field → expected value, undefined meaning absent) holds. False when it did not.
 */
export async function updateCallRecord(
  callId: string,
  what: CallRecordName,
  set: Record<string, unknown>,
  condition: Record<string, unknown> = {},
): Promise<boolean> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(set).map(([field, value], i) => {
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const conditions = Object.entries(condition).map(([field, value], i) => {
    names[`#c${i}`] = field;
    if (value === undefined) return `attribute_not_exists(#c${i})`;
    values[`:c${i}`] = value;
    return `#c${i} = :c${i}`;
  });
  return conditionalWrite(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: callRecordKey(callId, CALL_RECORDS[what]),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ...(conditions.length ? { ConditionExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

/** How many proposal pages are written or read at once. */
const PAGES_AT_ONCE = 32;

/**
 * Stores the ranked entries of one version of an award proposal in pages (each under its own
 * partition), PAGES_AT_ONCE at a time from page `from`, until `stopAt` (ms since the epoch) has
 * passed, at least one group each time; `progress` hears how many are written after each group.
 * Answers how many are written. Writing a page again writes the same page.
 */
export async function putProposalPages(
  callId: string,
  version: number,
  pages: readonly unknown[][],
  from: number,
  stopAt: number,
  progress: (written: number) => Promise<void>,
): Promise<number> {
  let i = from;
  do {
    if (i >= pages.length) break;
    await Promise.all(
      pages
        .slice(i, i + PAGES_AT_ONCE)
        .map((entries, j) =>
          dynamo().send(
            new PutCommand({ TableName: table(), Item: { ...proposalPageKey(callId, version, i + j), entries } }),
          ),
        ),
    );
    i = Math.min(pages.length, i + PAGES_AT_ONCE);
    await progress(i);
  } while (Date.now() < stopAt);
  return i;
}

/** Stores a proposal's header, after its pages (readers find a version by its header); false if it was stored. */
export async function putProposalHeader(callId: string, version: number, header: object, pages: number) {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...callRecordKey(callId, CALL_RECORDS.proposal(version)), ...header, pages },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

export async function getProposalHeader<T>(callId: string, version: number): Promise<T | undefined> {
  return getCallRecord<T>(callId, CALL_RECORDS.proposal(version));
}

/**
 * One stored page of a proposal's ranked entries (asked for only within the header's page count).
 * A proposal stored before pages had partitions of their own is read where it was written, under the
 * call's partition; a page found in neither place is an error, never an empty page: a confirmation
 * would otherwise decide nothing.
 */
export async function getProposalPage<E>(callId: string, version: number, page: number): Promise<E[]> {
  for (const Key of [
    proposalPageKey(callId, version, page),
    callRecordKey(callId, legacyProposalPageSk(version, page)),
  ]) {
    const result = await dynamo().send(new GetCommand({ TableName: table(), Key, ConsistentRead: true }));
    if (result.Item) return (result.Item.entries as E[] | undefined) ?? [];
  }
  throw new Error(`Page ${page} of proposal v${version} of ${callId} is missing`);
}

/** Where proposal pages were stored before they had partitions of their own. */
const legacyProposalPageSk = (version: number, page: number) =>
  `PROPOSAL#v${String(version).padStart(4, '0')}#p${String(page).padStart(5, '0')}`;

/** The pages `first` to `end - 1` of a proposal (within its header's count), in order, read PAGES_AT_ONCE at a time. */
export async function* proposalPages<E>(
  callId: string,
  version: number,
  first: number,
  end: number,
): AsyncGenerator<E[]> {
  for (let i = first; i < end; i += PAGES_AT_ONCE) {
    const pages = await Promise.all(
      Array.from({ length: Math.min(PAGES_AT_ONCE, end - i) }, (_, j) => getProposalPage<E>(callId, version, i + j)),
    );
    yield* pages;
  }
}
