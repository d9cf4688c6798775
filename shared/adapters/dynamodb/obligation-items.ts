import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ObligationRecord, ObligationState } from '@shared/domain/obligations';
import { dynamo } from '@shared/adapters/aws-clients';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import {
  callObligationIndex,
  callObligationPartition,
  GSI1,
  GSI2,
  OBLIGATION_PREFIX,
  OBLIGATION_SHARDS,
  obligationKey,
  unitObligationIndex,
  unitObligationsQuery,
  withoutKeys,
} from '@shared/adapters/dynamodb/keys';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import { table } from '@shared/adapters/dynamodb/table-name';

/** The obligations of an awarded application (see keys.ts for how they are found). */

const indexesOf = (o: ObligationRecord) => ({
  ...unitObligationIndex(o.unitId, o.callId, o.applicationId, o.obligationId),
  ...(o.state === 'ACCEPTED' ? {} : callObligationIndex(o.callId, o.dueAt, o.applicationId, o.obligationId)),
});

/** Stores an obligation once (a retried award step finds it stored). */
export async function putObligation(o: ObligationRecord): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...obligationKey(o.applicationId, o.obligationId), ...indexesOf(o), ...o },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

export async function getObligation(applicationId: string, obligationId: string): Promise<ObligationRecord | undefined> {
  const result = await dynamo().send(new GetCommand({ TableName: table(), Key: obligationKey(applicationId, obligationId), ConsistentRead: true }));
  return result.Item ? withoutKeys<ObligationRecord>(result.Item) : undefined;
}

async function collect(input: Parameters<typeof queryPages>[0]): Promise<ObligationRecord[]> {
  const out: ObligationRecord[] = [];
  for await (const page of queryPages(input)) for (const item of page.Items ?? []) out.push(withoutKeys<ObligationRecord>(item));
  return out;
}

/** An application's obligations. */
export async function listApplicationObligations(applicationId: string): Promise<ObligationRecord[]> {
  return collect({
    TableName: table(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': obligationKey(applicationId, '').PK, ':prefix': OBLIGATION_PREFIX },
    ConsistentRead: true,
  });
}

/** A unit's obligations (in one call, or in all). */
export async function listUnitObligations(unitId: string, callId?: string): Promise<ObligationRecord[]> {
  const query = unitObligationsQuery(unitId, callId);
  return collect({
    TableName: table(),
    IndexName: GSI1,
    KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
    ExpressionAttributeValues: { ':pk': query.partition, ':prefix': query.prefix },
  });
}

/** One Query per shard of a call's open obligations, with a condition on their sort key. */
async function queryCallShards(callId: string, sortKeyCondition: string, value: string): Promise<ObligationRecord[]> {
  const shards = Array.from({ length: OBLIGATION_SHARDS }, (_, shard) => shard);
  const pages = await Promise.all(
    shards.map((shard) =>
      collect({
        TableName: table(),
        IndexName: GSI2,
        KeyConditionExpression: `GSI2PK = :pk AND ${sortKeyCondition}`,
        ExpressionAttributeValues: { ':pk': callObligationPartition(callId, shard), ':sk': value },
      }),
    ),
  );
  return pages.flat();
}

/** A call's obligations not yet accepted and due before `before`. */
export async function listCallObligationsDueBefore(callId: string, before: Date): Promise<ObligationRecord[]> {
  return queryCallShards(callId, 'GSI2SK < :sk', before.toISOString());
}

/** A call's obligations awaiting their date (the summary reports, before the reporting round). */
export async function listCallObligationsAwaitingDate(callId: string): Promise<ObligationRecord[]> {
  return queryCallShards(callId, 'begins_with(GSI2SK, :sk)', 'AWAITING#');
}

/**
 * Replaces an obligation with its next state, while it is still in one of `from` with the number
 * of submissions it was read with (two submissions or reviews racing: one wins). Keeps its indexes
 * in step (an accepted one leaves the call's open list).
 */
export async function updateObligation(next: ObligationRecord, from: readonly ObligationState[], submissionsWere: number): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...obligationKey(next.applicationId, next.obligationId), ...indexesOf(next), ...next },
        ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')}) AND size(#submissions) = :were`,
        ExpressionAttributeNames: { '#state': 'state', '#submissions': 'submissions' },
        ExpressionAttributeValues: { ...Object.fromEntries(from.map((state, i) => [`:from${i}`, state])), ':were': submissionsWere },
      }),
    ),
  );
}
