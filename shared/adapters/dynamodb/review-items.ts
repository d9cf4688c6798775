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
  expertLoadIndex,
  expertLoadKey,
  expertLoadPartition,
  GSI1,
  proposalPageKey,
  taskKey,
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
 * decrement are one transaction, so a retry after a failure neither skips nor repeats it.
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
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#flag)',
        },
      },
      { Update: loadDecrement(expertId, callId) },
    ]);
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    if (transactionItemFailed(error, 0)) return; // freed already (or no such task)
    if (!transactionItemFailed(error, 1)) throw error;
    // The load holds nothing to free: the task is marked all the same.
    await conditionalWrite(() => dynamo().send(new UpdateCommand({ ...flag, UpdateExpression: 'SET #flag = :true' })));
  }
}

/** Every expert's load in a call (one Query on GSI1, paged). */
export async function listExpertLoads(callId: string): Promise<Map<string, number>> {
  const loads = new Map<string, number>();
  const pages = queryPages({
    TableName: table(),
    IndexName: GSI1,
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': expertLoadPartition(callId) },
  });
  for await (const page of pages)
    for (const item of page.Items ?? []) loads.set(String(item.expertId), Number(item.load ?? 0));
  return loads;
}

/**
 * The loads in a call of the experts whose ids run from `first` to `last` (one page of the pool):
 * one Query of the call's loads between the two, the load partition sorting by expert id as the
 * pool does. An expert without an item holds no place.
 */
export async function expertLoadsBetween(callId: string, first: string, last: string): Promise<Map<string, number>> {
  const loads = new Map<string, number>();
  const pages = queryPages({
    TableName: table(),
    IndexName: GSI1,
    KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :first AND :last',
    ExpressionAttributeValues: { ':pk': expertLoadPartition(callId), ':first': first, ':last': last },
  });
  for await (const page of pages)
    for (const item of page.Items ?? []) loads.set(String(item.expertId), Number(item.load ?? 0));
  return loads;
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
