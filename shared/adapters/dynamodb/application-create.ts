import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import type { ApplicationRecord } from '@shared/domain/application-record';
import {
  applicationKey,
  applicationStatusIndex,
  idempotencyKey,
  pendingStartIndex,
  pendingStartKey,
  slotsKey,
  typeSlotCounter,
  unitApplicationsIndex,
  unitKey,
} from '@shared/adapters/dynamodb/keys';
import { transact, TransactionCanceledException, transactionItemFailed } from '@shared/adapters/dynamodb/conditional';
import { table } from '@shared/adapters/dynamodb/table-name';

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
 * The transaction's items by position: a cancelled transaction names the items whose condition
 * failed by their index, which is how the refusal is told apart.
 */
const UNIT_CHECK = 0;
const SLOT_CLAIM = 1;
const IDEMPOTENCY_CLAIM = 3;

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
  const items = [
    unitInGoodStanding(record),
    slotClaim(record, limits),
    applicationPut(record),
    ...(idempotency ? [idempotencyPut(record, idempotency)] : []),
    pendingStartPut(record, createdAt),
  ];
  try {
    await transact(items);
    return { kind: 'created' };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const refusal = await refusalOf(error, record, limits, idempotency !== undefined);
    if (refusal) return refusal;
    throw error;
  }
}

/**
 * Only a registered member unit (团体会员) in good standing may apply. Registered means an address to
 * write to (PUT /units/{unitId}): staff may set a standing before registering a unit.
 */
const unitInGoodStanding = (record: ApplicationRecord) => ({
  ConditionCheck: {
    TableName: table(),
    Key: unitKey(record.unitId),
    ConditionExpression: 'attribute_exists(PK) AND attribute_exists(email) AND barred <> :true',
    ExpressionAttributeValues: { ':true': true },
  },
});

/** One more of the unit's slots in the call, in total and for the type, refused at either limit. */
function slotClaim(record: ApplicationRecord, limits: SlotLimits) {
  const typeCondition = limits.perType === null ? '' : ' AND (attribute_not_exists(#type) OR #type < :perType)';
  return {
    Update: {
      TableName: table(),
      Key: slotsKey(record.unitId, record.callId),
      UpdateExpression: 'SET #total = if_not_exists(#total, :zero) + :one, #type = if_not_exists(#type, :zero) + :one',
      ConditionExpression: `(attribute_not_exists(#total) OR #total < :perUnit)${typeCondition}`,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      ExpressionAttributeNames: { '#total': 'total', '#type': typeSlotCounter(record.projectTypeId) },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':one': 1,
        ':perUnit': limits.perUnit,
        ...(limits.perType === null ? {} : { ':perType': limits.perType }),
      },
    },
  };
}

const applicationPut = (record: ApplicationRecord) => ({
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
});

const idempotencyPut = (record: ApplicationRecord, idempotency: IdempotencyClaim) => ({
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
});

/**
 * Cleared once the workflow is seen to run (its first step, or the sweep that started it); until
 * then the sweep (re)starts it, so an application is never stored without its workflow, whatever
 * fails after this commit.
 */
const pendingStartPut = (record: ApplicationRecord, createdAt: Date) => ({
  Put: {
    TableName: table(),
    Item: {
      ...pendingStartKey(record.applicationId),
      ...pendingStartIndex(createdAt.toISOString(), record.applicationId),
      applicationId: record.applicationId,
    },
  },
});

/** Why the transaction was refused, or undefined when no condition of ours explains it. */
async function refusalOf(
  error: TransactionCanceledException,
  record: ApplicationRecord,
  limits: SlotLimits,
  withIdempotency: boolean,
): Promise<CreateResult | undefined> {
  if (withIdempotency && transactionItemFailed(error, IDEMPOTENCY_CLAIM)) return { kind: 'idempotent-replay' };
  if (transactionItemFailed(error, UNIT_CHECK)) return { kind: 'barred' };
  if (!transactionItemFailed(error, SLOT_CLAIM)) return undefined;
  if (limits.perType === null) return { kind: 'unit-limit' };
  // Decide from the counters DynamoDB refused, not from a later read a withdrawal may have changed.
  const refused = error.CancellationReasons?.[SLOT_CLAIM]?.Item as Record<string, { N?: string }> | undefined;
  const total = Number(refused?.total?.N ?? (await getSlots(record.unitId, record.callId)).total ?? 0);
  return total >= limits.perUnit ? { kind: 'unit-limit' } : { kind: 'type-limit' };
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
