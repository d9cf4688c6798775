import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import type {
  ApplicationRecord,
  ApplicationStatus,
  StageEntry,
  WorkflowFailure,
} from '@shared/domain/application-record';
import {
  APPLICATION_STATUS_SHARDS,
  applicationKey,
  applicationStatusPartition,
  applicationStatusPartitionOf,
  applicationStatusPrefix,
  FAILURE_PREFIX,
  failureKey,
  GSI1,
  GSI2,
  PENDING_START_SHARDS,
  pendingStartPartition,
  UNSHARDED_PENDING_STARTS,
  pendingStartKey,
  slotsKey,
  typeSlotCounter,
  unitApplicationsQuery,
  withoutKeys,
} from '@shared/adapters/dynamodb/keys';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import {
  conditionalWrite,
  isTransactionConflict,
  transact,
  TransactionCanceledException,
} from '@shared/adapters/dynamodb/conditional';
import { table } from '@shared/adapters/dynamodb/table-name';
import { countMetric } from '@shared/adapters/metrics';

// The application item's reads and writes stay importable from here (the use cases, and the tests
// that stub this one module); creating and updating one are long enough to live in modules of their own.
export {
  createApplication,
  getIdempotencyClaim,
  getSlots,
  type CreateResult,
  type IdempotencyClaim,
  type SlotLimits,
} from '@shared/adapters/dynamodb/application-create';
export {
  updateApplication,
  updateApplicationClaimingTask,
  type RecordUpdate,
} from '@shared/adapters/dynamodb/application-update';

export async function getApplication(applicationId: string): Promise<ApplicationRecord | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: applicationKey(applicationId), ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  return withoutKeys<ApplicationRecord>(result.Item);
}

/** Whether the application exists, without reading it whole. */
export async function applicationExists(applicationId: string): Promise<boolean> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: applicationKey(applicationId), ProjectionExpression: 'PK' }),
  );
  return result.Item !== undefined;
}

/**
 * Every one of a call's applications in a status (one Query per shard of the status index, never a
 * Scan), for the call-level stages and the lists that need them all at once: the 16 shards are read at
 * the same time, in pages of up to 1 MB, so the read takes as long as one shard, not all of them one
 * after another. In shard order, so a plan made from them does not depend on which shard answered
 * first. `attributes` narrows what is read (the round reads what assignment needs, not whole forms).
 */
export async function allApplicationsInStatus(
  callId: string,
  status: ApplicationStatus,
  attributes?: readonly string[],
): Promise<ApplicationRecord[]> {
  const names = attributes ? Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])) : undefined;
  const shards = await Promise.all(
    Array.from({ length: APPLICATION_STATUS_SHARDS }, async (_, shard) => {
      const items: ApplicationRecord[] = [];
      for await (const page of queryPages({
        ...statusQuery(callId, status, shard),
        ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
      })) {
        for (const item of page.Items ?? []) items.push(withoutKeys<ApplicationRecord>(item));
      }
      return items;
    }),
  );
  return shards.flat();
}

/** The Query of one shard of the status index, for one call. */
const statusQuery = (callId: string, status: ApplicationStatus, shard: number) => ({
  TableName: table(),
  IndexName: GSI2,
  KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :call)',
  ExpressionAttributeValues: {
    ':pk': applicationStatusPartition(status, shard),
    ':call': applicationStatusPrefix(callId),
  },
});

/**
 * The ids of one call's applications in `status` whose record last changed within [from, to)
 * (Beijing ISO instants, as the record writes them; a record never updated counts from its
 * creation): the reconciliation's candidates, those that have not moved for a while. One Query per
 * shard of the status index, read at once; the window is a filter, so only the ids come back.
 */
export async function quietApplicationsInStatus(
  callId: string,
  status: ApplicationStatus,
  from: string,
  to: string,
): Promise<string[]> {
  const shards = await Promise.all(
    Array.from({ length: APPLICATION_STATUS_SHARDS }, async (_, shard) => {
      const query = statusQuery(callId, status, shard);
      const ids: string[] = [];
      for await (const page of queryPages({
        ...query,
        FilterExpression:
          '(#updatedAt >= :from AND #updatedAt < :to) OR (attribute_not_exists(#updatedAt) AND #createdAt >= :from AND #createdAt < :to)',
        ProjectionExpression: '#applicationId',
        ExpressionAttributeNames: {
          '#updatedAt': 'updatedAt',
          '#createdAt': 'createdAt',
          '#applicationId': 'applicationId',
        },
        ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':from': from, ':to': to },
      })) {
        for (const item of page.Items ?? []) ids.push(item.applicationId as string);
      }
      return ids;
    }),
  );
  return shards.flat();
}

/** How many of one call's applications are in each of `statuses` (COUNT queries on the status index). */
export async function countApplicationsInStatus(
  callId: string,
  statuses: readonly ApplicationStatus[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await Promise.all(
    statuses.map(async (status) => {
      let total = 0;
      for (let shard = 0; shard < APPLICATION_STATUS_SHARDS; shard++) {
        for await (const page of queryPages({ ...statusQuery(callId, status, shard), Select: 'COUNT' }))
          total += page.Count ?? 0;
      }
      counts[status] = total;
    }),
  );
  return counts;
}

/**
 * How many of a call's applications are in `status`, counted only up to `atMost`: a bounded read, the
 * shards one after another until the bound, so a request can tell a province's call from a national
 * one without reading 300,000 entries.
 */
export async function countApplicationsUpTo(
  callId: string,
  status: ApplicationStatus,
  atMost: number,
): Promise<number> {
  let total = 0;
  for (let shard = 0; shard < APPLICATION_STATUS_SHARDS && total < atMost; shard++) {
    for await (const page of queryPages({
      ...statusQuery(callId, status, shard),
      Select: 'COUNT',
      Limit: atMost - total,
    })) {
      total += page.Count ?? 0;
      if (total >= atMost) break;
    }
  }
  return Math.min(total, atMost);
}

/**
 * Whether one of a call's applications is in `status`: one item at most read per shard, the shards
 * one after another until one answers, so a request can refuse early without reading the call.
 */
export async function anyApplicationInStatus(callId: string, status: ApplicationStatus): Promise<boolean> {
  return (await countApplicationsUpTo(callId, status, 1)) > 0;
}

export async function listUnitApplications(unitId: string, callId?: string): Promise<ApplicationRecord[]> {
  const records: ApplicationRecord[] = [];
  const query = unitApplicationsQuery(unitId, callId);
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': query.partition, ':prefix': query.prefix },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) records.push(withoutKeys<ApplicationRecord>(item));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return records;
}

/**
 * Withdraws an application and frees its slot together: the status condition makes a second
 * withdrawal (or one racing the deadline sweep) fail instead of freeing the slot twice.
 */
export async function withdrawApplication(
  record: ApplicationRecord,
  fromStatuses: readonly ApplicationStatus[],
  entry: StageEntry,
): Promise<boolean> {
  try {
    await transact([withdrawal(record, fromStatuses, entry), slotRelease(record)]);
    countMetric('StageEntered', 1, { Stage: 'WITHDRAWN' });
    return true;
  } catch (error) {
    // Cancelled by its conditions (not by a conflict, which is retried): already withdrawn or closed.
    if (error instanceof TransactionCanceledException && !isTransactionConflict(error)) return false;
    throw error;
  }
}

/** The application becomes WITHDRAWN, and moves to that status's partition of the status index. */
function withdrawal(record: ApplicationRecord, fromStatuses: readonly ApplicationStatus[], entry: StageEntry) {
  const statusValues = Object.fromEntries(fromStatuses.map((status, i) => [`:from${i}`, status]));
  return {
    Update: {
      TableName: table(),
      Key: applicationKey(record.applicationId),
      UpdateExpression:
        'SET #status = :withdrawn, #statusIndex = :statusIndex, #history = list_append(#history, :entry), #updatedAt = :at, #outcome = :outcome REMOVE #openTaskId',
      ConditionExpression: `#status IN (${Object.keys(statusValues).join(', ')})`,
      ExpressionAttributeNames: {
        '#status': 'status',
        '#history': 'history',
        '#updatedAt': 'updatedAt',
        '#outcome': 'outcome',
        '#openTaskId': 'openTaskId',
        '#statusIndex': 'GSI2PK',
      },
      ExpressionAttributeValues: {
        ...statusValues,
        ':withdrawn': 'WITHDRAWN',
        ':statusIndex': applicationStatusPartitionOf('WITHDRAWN', record.applicationId),
        ':entry': [entry],
        ':at': entry.at,
        ':outcome': { result: 'WITHDRAWN', at: entry.at },
      },
    },
  };
}

/** The unit's slot in the call, in total and for the type, given back for another application. */
const slotRelease = (record: ApplicationRecord) => ({
  Update: {
    TableName: table(),
    Key: slotsKey(record.unitId, record.callId),
    UpdateExpression: 'SET #total = #total - :one, #type = #type - :one',
    ConditionExpression: '#total > :zero AND #type > :zero',
    ExpressionAttributeNames: { '#total': 'total', '#type': typeSlotCounter(record.projectTypeId) },
    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
  },
});

export async function clearPendingStart(applicationId: string): Promise<void> {
  await dynamo().send(new DeleteCommand({ TableName: table(), Key: pendingStartKey(applicationId) }));
}

/**
 * Applications stored before `before` whose workflow start was not confirmed, oldest first: a share
 * of `limit` from each shard, so one sweep stays short and the next takes the rest.
 */
export async function listPendingStarts(before: Date, limit = 64): Promise<string[]> {
  const perShard = Math.ceil(limit / PENDING_START_SHARDS);
  // Also the one partition markers were written to before the index was sharded (a data dir or table from then).
  const partitions = [
    ...Array.from({ length: PENDING_START_SHARDS }, (_, shard) => pendingStartPartition(shard)),
    UNSHARDED_PENDING_STARTS,
  ];
  const shards = await Promise.all(
    partitions.map((partition) =>
      dynamo().send(
        new QueryCommand({
          TableName: table(),
          IndexName: GSI1,
          KeyConditionExpression: 'GSI1PK = :pending AND GSI1SK < :before',
          ExpressionAttributeValues: { ':pending': partition, ':before': before.toISOString() },
          Limit: perShard,
        }),
      ),
    ),
  );
  return shards
    .flatMap((result) => result.Items ?? [])
    .sort((a, b) => String(a.GSI1SK).localeCompare(String(b.GSI1SK)))
    .map((item) => String(item.applicationId));
}

/** DynamoDB refused a write because the item would exceed its 400 KB. */
export const isItemTooLarge = (error: unknown) =>
  (error as Error | undefined)?.name === 'ValidationException' && /item size/i.test((error as Error).message ?? '');

/**
 * Records a workflow failure in an item of its own, once per execution and stage (false when it
 * was recorded before): however large the application item has grown, this write is small.
 */
export async function putFailureRecord(
  applicationId: string,
  execution: string,
  failure: WorkflowFailure,
): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...failureKey(applicationId, execution, failure.stage), applicationId, execution, ...failure },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

/** How many failures of the application's workflow are recorded in items of their own (a COUNT Query). */
export async function countFailureRecords(applicationId: string): Promise<number> {
  let count = 0;
  for await (const page of queryPages({
    TableName: table(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :failure)',
    ExpressionAttributeValues: { ':pk': applicationKey(applicationId).PK, ':failure': FAILURE_PREFIX },
    ConsistentRead: true,
    Select: 'COUNT',
  })) {
    count += page.Count ?? 0;
  }
  return count;
}
