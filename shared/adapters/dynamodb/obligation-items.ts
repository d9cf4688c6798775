import { GetCommand, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  briefOf,
  type ObligationRecord,
  type ObligationState,
  type ReportSubmission,
} from '@shared/domain/obligations';
import { dynamo } from '@shared/adapters/aws-clients';
import {
  conditionalWrite,
  transact,
  TransactionCanceledException,
  transactionItemFailed,
} from '@shared/adapters/dynamodb/conditional';
import {
  callObligationIndex,
  callObligationPartition,
  GSI1,
  GSI2,
  OBLIGATION_PREFIX,
  OBLIGATION_SHARDS,
  obligationKey,
  reportVersionKey,
  unitObligationIndex,
  unitObligationsQuery,
  withoutKeys,
} from '@shared/adapters/dynamodb/keys';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import { table } from '@shared/adapters/dynamodb/table-name';

/**
 * The obligations of an awarded application, and each version of their reports (see keys.ts for how
 * they are found).
 *
 * Before each version was an item of its own, every version was appended to the obligation's item
 * (`submissions`), until a large report outgrew DynamoDB's 400 KB. Such an item still reads: its
 * count is the array's length, its versions are read from the array, and it is never appended to
 * again (an update sets the record's attributes and leaves the array as it is).
 */
interface StoredObligation extends Omit<ObligationRecord, 'versions'> {
  versions?: number;
  submissions?: ReportSubmission[];
}

function obligationOf(item: Record<string, unknown>): ObligationRecord {
  const { submissions, versions, ...rest } = withoutKeys<StoredObligation>(item);
  if (versions !== undefined) return { ...rest, versions };
  const last = submissions?.at(-1);
  return { ...rest, versions: submissions?.length ?? 0, ...(last ? { latest: briefOf(last) } : {}) };
}

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

export async function getObligation(
  applicationId: string,
  obligationId: string,
): Promise<ObligationRecord | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: obligationKey(applicationId, obligationId), ConsistentRead: true }),
  );
  return result.Item ? obligationOf(result.Item) : undefined;
}

async function collect(input: Parameters<typeof queryPages>[0]): Promise<ObligationRecord[]> {
  const out: ObligationRecord[] = [];
  for await (const page of queryPages(input)) for (const item of page.Items ?? []) out.push(obligationOf(item));
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
 * Its next state for an obligation still in one of `from` with the number of versions it was read
 * with (two hand-ins or reviews racing: one wins); its indexes kept in step (an accepted one leaves
 * the call's open list). An update, not a put: an old item's array of versions stays readable.
 */
function obligationUpdate(
  next: ObligationRecord,
  from: readonly ObligationState[],
  versionsWere: number,
): UpdateCommandInput & { UpdateExpression: string } {
  const set = Object.entries({ ...indexesOf(next), ...next }).filter(([, value]) => value !== undefined);
  const leavesCallList = next.state === 'ACCEPTED';
  return {
    TableName: table(),
    Key: obligationKey(next.applicationId, next.obligationId),
    UpdateExpression: `SET ${set.map((_, i) => `#a${i} = :a${i}`).join(', ')}${leavesCallList ? ' REMOVE #gsi2pk, #gsi2sk' : ''}`,
    ConditionExpression:
      `#state IN (${from.map((_, i) => `:from${i}`).join(', ')}) AND ` +
      '(#versions = :were OR (attribute_not_exists(#versions) AND size(#submissions) = :were))',
    ExpressionAttributeNames: {
      ...Object.fromEntries(set.map(([name], i) => [`#a${i}`, name])),
      ...(leavesCallList ? { '#gsi2pk': 'GSI2PK', '#gsi2sk': 'GSI2SK' } : {}),
      '#state': 'state',
      '#versions': 'versions',
      '#submissions': 'submissions',
    },
    ExpressionAttributeValues: {
      ...Object.fromEntries(set.map(([, value], i) => [`:a${i}`, value])),
      ...Object.fromEntries(from.map((state, i) => [`:from${i}`, state])),
      ':were': versionsWere,
    },
  };
}

/** Sets an obligation's next state (see obligationUpdate); false when another write got there first. */
export async function updateObligation(
  next: ObligationRecord,
  from: readonly ObligationState[],
  versionsWere: number,
): Promise<boolean> {
  return conditionalWrite(() => dynamo().send(new UpdateCommand(obligationUpdate(next, from, versionsWere))));
}

/**
 * A version handed in: its own item, put only if no version of that number exists, in one
 * transaction with the obligation's next state (see obligationUpdate), so a double submit records
 * one version and the obligation never counts one that is not there. False when another write got
 * there first.
 */
export async function recordReportVersion(
  next: ObligationRecord,
  submission: ReportSubmission,
  from: readonly ObligationState[],
  versionsWere: number,
): Promise<boolean> {
  const key = reportVersionKey(next.applicationId, next.obligationId, submission.version);
  try {
    await transact([
      {
        Put: {
          TableName: table(),
          Item: { ...key, applicationId: next.applicationId, obligationId: next.obligationId, ...submission },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Update: obligationUpdate(next, from, versionsWere) },
    ]);
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      (transactionItemFailed(error, 0) || transactionItemFailed(error, 1))
    )
      return false;
    throw error;
  }
}

/** One version of a report, from its own item (or, for an obligation stored before those, from the obligation's array). */
export async function getReportVersion(
  applicationId: string,
  obligationId: string,
  version: number,
): Promise<ReportSubmission | undefined> {
  const own = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: reportVersionKey(applicationId, obligationId, version),
      ConsistentRead: true,
    }),
  );
  if (own.Item) {
    const {
      applicationId: _app,
      obligationId: _obligation,
      ...submission
    } = withoutKeys<ReportSubmission & { applicationId: string; obligationId: string }>(own.Item);
    return submission;
  }
  const old = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: obligationKey(applicationId, obligationId),
      ProjectionExpression: '#submissions',
      ExpressionAttributeNames: { '#submissions': 'submissions' },
      ConsistentRead: true,
    }),
  );
  return (old.Item?.submissions as ReportSubmission[] | undefined)?.find((s) => s.version === version);
}
