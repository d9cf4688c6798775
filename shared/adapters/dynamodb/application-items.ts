import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  applicationStatusIndex,
  applicationStatusPartition,
  applicationStatusPartitionOf,
  applicationStatusPrefix,
  FAILURE_PREFIX,
  failureKey,
  GSI1,
  GSI2,
  idempotencyKey,
  PENDING_START_SHARDS,
  pendingStartPartition,
  UNSHARDED_PENDING_STARTS,
  pendingStartIndex,
  pendingStartKey,
  slotsKey,
  typeSlotCounter,
  unitApplicationsIndex,
  unitApplicationsQuery,
  unitKey,
  withoutKeys,
} from '@shared/adapters/dynamodb/keys';
import { claimTaskUpdate } from '@shared/adapters/dynamodb/task-items';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import type { TaskClosing, TaskRecord } from '@shared/domain/task';
import {
  conditionalWrite,
  isTransactionConflict,
  transact,
  TransactionCanceledException,
  transactionItemFailed,
} from '@shared/adapters/dynamodb/conditional';
import { table } from '@shared/adapters/dynamodb/table-name';
import { countMetric } from '@shared/adapters/metrics';

export interface SlotLimits {
  perUnit: number;
  perType: number | null;
}

export interface IdempotencyClaim {
  key: string;
  requestHash: string;
  response: { applicationId: string; status: string };
  expiresAt: number; // epoch seconds, the table's TTL attribute
}

export type CreateResult =
  | { kind: 'created' }
  | { kind: 'barred' }
  | { kind: 'unit-limit' }
  | { kind: 'type-limit' }
  | { kind: 'idempotent-replay' };

/**
 * Stores a new application and claims one of the unit's slots in one transaction, so the per-unit
 * and per-type limits hold however many submissions race: the slot counter's condition is checked
 * by DynamoDB at commit, never read first and written later. A standing check on the unit and the
 * idempotency claim ride in the same transaction, so a barred unit or a retried request changes nothing.
 */
export async function createApplication(
  record: ApplicationRecord,
  limits: SlotLimits,
  createdAt: Date,
  idempotency?: IdempotencyClaim,
): Promise<CreateResult> {
  const counter = typeSlotCounter(record.projectTypeId);
  const typeCondition = limits.perType === null ? '' : ' AND (attribute_not_exists(#type) OR #type < :perType)';
  const items = [
    {
      ConditionCheck: {
        TableName: table(),
        Key: unitKey(record.unitId),
        // Only a registered member unit (团体会员) in good standing may apply. Registered means an
        // address to write to (PUT /units/{unitId}): staff may set a standing before registering a unit.
        ConditionExpression: 'attribute_exists(PK) AND attribute_exists(email) AND barred <> :true',
        ExpressionAttributeValues: { ':true': true },
      },
    },
    {
      Update: {
        TableName: table(),
        Key: slotsKey(record.unitId, record.callId),
        UpdateExpression:
          'SET #total = if_not_exists(#total, :zero) + :one, #type = if_not_exists(#type, :zero) + :one',
        ConditionExpression: `(attribute_not_exists(#total) OR #total < :perUnit)${typeCondition}`,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        ExpressionAttributeNames: { '#total': 'total', '#type': counter },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':perUnit': limits.perUnit,
          ...(limits.perType === null ? {} : { ':perType': limits.perType }),
        },
      },
    },
    {
      Put: {
        TableName: table(),
        Item: {
          ...applicationKey(record.applicationId),
          ...unitApplicationsIndex(record.unitId, record.callId, record.createdAt, record.applicationId),
          ...applicationStatusIndex(record.status, record.callId, record.createdAt, record.applicationId),
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    ...(idempotency
      ? [
          {
            Put: {
              TableName: table(),
              Item: {
                ...idempotencyKey(record.unitId, idempotency.key),
                requestHash: idempotency.requestHash,
                response: idempotency.response,
                ttl: idempotency.expiresAt,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ]
      : []),
    // Cleared once the workflow is seen to run (its first step, or the sweep that started it); until
    // then the sweep (re)starts it, so an application is never stored without its workflow, whatever
    // fails after this commit.
    {
      Put: {
        TableName: table(),
        Item: {
          ...pendingStartKey(record.applicationId),
          ...pendingStartIndex(createdAt.toISOString(), record.applicationId),
          applicationId: record.applicationId,
        },
      },
    },
  ];

  try {
    await transact(items);
    return { kind: 'created' };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons;
    if (idempotency && transactionItemFailed(error, 3)) return { kind: 'idempotent-replay' };
    if (transactionItemFailed(error, 0)) return { kind: 'barred' };
    if (transactionItemFailed(error, 1)) {
      if (limits.perType === null) return { kind: 'unit-limit' };
      // Decide from the counters DynamoDB refused, not from a later read a withdrawal may have changed.
      const refused = reasons?.[1]?.Item as Record<string, { N?: string }> | undefined;
      const total = Number(refused?.total?.N ?? (await getSlots(record.unitId, record.callId)).total ?? 0);
      return total >= limits.perUnit ? { kind: 'unit-limit' } : { kind: 'type-limit' };
    }
    throw error;
  }
}

export async function getSlots(unitId: string, callId: string): Promise<{ total?: number } & Record<string, unknown>> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: slotsKey(unitId, callId), ConsistentRead: true }),
  );
  return (result.Item ?? {}) as { total?: number };
}

export async function getIdempotencyClaim(
  unitId: string,
  key: string,
): Promise<Omit<IdempotencyClaim, 'key' | 'expiresAt'> | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: idempotencyKey(unitId, key), ConsistentRead: true }),
  );
  return result.Item as Omit<IdempotencyClaim, 'key' | 'expiresAt'> | undefined;
}

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
  const statusValues = Object.fromEntries(fromStatuses.map((status, i) => [`:from${i}`, status]));
  try {
    await transact([
      {
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
      },
      {
        Update: {
          TableName: table(),
          Key: slotsKey(record.unitId, record.callId),
          UpdateExpression: 'SET #total = #total - :one, #type = #type - :one',
          ConditionExpression: '#total > :zero AND #type > :zero',
          ExpressionAttributeNames: { '#total': 'total', '#type': typeSlotCounter(record.projectTypeId) },
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        },
      },
    ]);
    countMetric('StageEntered', 1, { Stage: 'WITHDRAWN' });
    return true;
  } catch (error) {
    // Cancelled by its conditions (not by a conflict, which is retried): already withdrawn or closed.
    if (error instanceof TransactionCanceledException && !isTransactionConflict(error)) return false;
    throw error;
  }
}

export interface RecordUpdate {
  /**
   * Makes the update happen once per key: a retried step that already recorded it gets false
   * instead of appending its history entry twice.
   */
  once?: string;
  set?: Partial<
    Pick<
      ApplicationRecord,
      | 'status'
      | 'formalCheck'
      | 'outcome'
      | 'failure'
      | 'openTaskId'
      | 'executionArn'
      | 'form'
      | 'formalReview'
      | 'paperCopy'
      | 'targetReview'
      | 'staffReturn'
      | 'reviewRound'
      | 'expertReview'
      | 'award'
      | 'rankInput'
      | 'reviewCandidate'
    >
  >;
  remove?: ('openTaskId' | 'failure' | 'staffReturn' | 'formalCheck')[];
  /** Sets fields inside a map attribute the record already holds, by dotted path ('expertReview.dueAt'). */
  setIn?: Record<string, unknown>;
  /** Appends to a list inside a map attribute the record already holds ('expertReview.panel'). */
  appendIn?: { path: string; items: unknown[] };
  entry?: StageEntry;
  /** Marks a link task as one the workflow waits on, or no longer. */
  waitOn?: string;
  stopWaitingOn?: string[];
  /** Applied only while the application is in one of these statuses. */
  whenStatusIn?: readonly ApplicationStatus[];
  whenUnit?: string;
  /** Applied only while the application waits on this task (null: on none). */
  whenOpenTask?: string | null;
  /** Applied only while the form is still at this version. */
  whenVersion?: number;
  bumpVersion?: boolean;
}

/** The UpdateItem input of one conditional application update, alone or inside a transaction. */
function applicationUpdate(applicationId: string, update: RecordUpdate) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  for (const [field, value] of Object.entries(update.set ?? {})) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  const pathOf = (dotted: string, tag: string) =>
    dotted
      .split('.')
      .map((part, i) => {
        names[`#${tag}${i}`] = part;
        return `#${tag}${i}`;
      })
      .join('.');
  Object.entries(update.setIn ?? {}).forEach(([dotted, value], i) => {
    values[`:in${i}`] = value;
    sets.push(`${pathOf(dotted, `in${i}_`)} = :in${i}`);
  });
  if (update.appendIn) {
    const path = pathOf(update.appendIn.path, 'ap');
    values[':appended'] = update.appendIn.items;
    sets.push(`${path} = list_append(${path}, :appended)`);
  }
  if (update.set?.status) {
    // The application moves to its new status's partition of the status index.
    names['#statusIndex'] = 'GSI2PK';
    values[':statusIndex'] = applicationStatusPartitionOf(update.set.status, applicationId);
    sets.push('#statusIndex = :statusIndex');
  }
  if (update.entry) {
    names['#history'] = 'history';
    values[':entry'] = [update.entry];
    sets.push('#history = list_append(#history, :entry)');
    values[':updatedAt'] = update.entry.at;
    names['#updatedAt'] = 'updatedAt';
    sets.push('#updatedAt = :updatedAt');
  }
  const adds: string[] = [];
  const deletes: string[] = [];
  if (update.waitOn) {
    names['#waitingOn'] = 'waitingOn';
    values[':waitOn'] = new Set([update.waitOn]);
    adds.push('#waitingOn :waitOn');
  }
  if (update.stopWaitingOn?.length) {
    names['#waitingOn'] = 'waitingOn';
    values[':stopWaitingOn'] = new Set(update.stopWaitingOn);
    deletes.push('#waitingOn :stopWaitingOn');
  }
  if (update.bumpVersion || update.whenVersion !== undefined) names['#version'] = 'version';
  if (update.bumpVersion) {
    values[':one'] = 1;
    sets.push('#version = #version + :one');
  }
  const conditions = ['attribute_exists(PK)'];
  if (update.once) {
    names['#marks'] = 'marks';
    names['#once'] = update.once;
    values[':onceAt'] = update.entry?.at ?? new Date().toISOString();
    sets.push('#marks.#once = :onceAt');
    conditions.push('attribute_not_exists(#marks.#once)');
  }
  if (update.whenStatusIn) {
    names['#status'] = 'status';
    update.whenStatusIn.forEach((status, i) => (values[`:when${i}`] = status));
    conditions.push(`#status IN (${update.whenStatusIn.map((_, i) => `:when${i}`).join(', ')})`);
  }
  if (update.whenOpenTask !== undefined) {
    names['#openTaskId'] = 'openTaskId';
    if (update.whenOpenTask === null) conditions.push('attribute_not_exists(#openTaskId)');
    else {
      values[':whenOpenTask'] = update.whenOpenTask;
      conditions.push('#openTaskId = :whenOpenTask');
    }
  }
  if (update.whenVersion !== undefined) {
    values[':whenVersion'] = update.whenVersion;
    conditions.push('#version = :whenVersion');
  }
  if (update.whenUnit) {
    names['#unitId'] = 'unitId';
    values[':unit'] = update.whenUnit;
    conditions.push('#unitId = :unit');
  }
  for (const field of update.remove ?? []) names[`#${field}`] = field;
  const remove = update.remove?.length ? ` REMOVE ${update.remove.map((field) => `#${field}`).join(', ')}` : '';
  return {
    TableName: table(),
    Key: applicationKey(applicationId),
    UpdateExpression: `${sets.length ? `SET ${sets.join(', ')}` : ''}${remove}${adds.length ? ` ADD ${adds.join(', ')}` : ''}${deletes.length ? ` DELETE ${deletes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
  };
}

/** One conditional update of an application; returns false when its condition did not hold. */
export async function updateApplication(applicationId: string, update: RecordUpdate): Promise<boolean> {
  // A transaction on the same item (a withdrawal, an amendment) may be in progress: retried.
  const updated = await conditionalWrite(() =>
    dynamo().send(new UpdateCommand(applicationUpdate(applicationId, update))),
  );
  if (updated && update.set?.status) countMetric('StageEntered', 1, { Stage: update.set.status });
  return updated;
}

/**
 * Updates an application and claims its open task in one transaction: an amendment is either taken
 * together with the task it answers, or not at all (the deadline sweep claimed the task first).
 */
export async function updateApplicationClaimingTask(
  applicationId: string,
  update: RecordUpdate,
  task: Pick<TaskRecord, 'taskId' | 'token'>,
  closing: TaskClosing,
): Promise<'done' | 'application-changed' | 'task-closed'> {
  try {
    await transact([{ Update: applicationUpdate(applicationId, update) }, { Update: claimTaskUpdate(task, closing) }]);
    if (update.set?.status) countMetric('StageEntered', 1, { Stage: update.set.status });
    return 'done';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    if (transactionItemFailed(error, 0)) return 'application-changed';
    if (transactionItemFailed(error, 1)) return 'task-closed';
    throw error;
  }
}

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
