import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import { draftCounterKey, draftKey, unitDraftsQuery, withoutKeys } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';
import { conditionalWrite, transact, TransactionCanceledException } from '@shared/adapters/dynamodb/conditional';
import { queryPages } from '@shared/adapters/dynamodb/query-pages';
import type { DraftRecord, DraftSummary } from '@shared/domain/drafts';

const SUMMARY_FIELDS = ['draftId', 'unitId', 'callId', 'projectTypeId', 'title', 'version', 'savedAt'] as const;

export type DraftSave = 'saved' | 'stale' | 'limit';

export async function getDraft(unitId: string, draftId: string): Promise<DraftRecord | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: draftKey(unitId, draftId), ConsistentRead: true }),
  );
  return result.Item ? withoutKeys<DraftRecord>(result.Item) : undefined;
}

/**
 * Saves a draft only over the version it was made from, so two devices editing one draft never
 * silently overwrite each other. A new draft (version 1) also counts against the unit's cap, in the
 * same transaction, so concurrent creations cannot pass it.
 */
export async function saveDraft(draft: DraftRecord, maxDrafts: number): Promise<DraftSave> {
  if (draft.version > 1) {
    const written = await conditionalWrite(() =>
      dynamo().send(
        new PutCommand({
          TableName: table(),
          Item: { ...draftKey(draft.unitId, draft.draftId), ...draft },
          ConditionExpression: '#version = :previous',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':previous': draft.version - 1 },
        }),
      ),
    );
    return written ? 'saved' : 'stale';
  }
  try {
    await transact([
      {
        Put: {
          TableName: table(),
          Item: { ...draftKey(draft.unitId, draft.draftId), ...draft },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: table(),
          Key: draftCounterKey(draft.unitId),
          UpdateExpression: 'ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':max': maxDrafts },
        },
      },
    ]);
    return 'saved';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [draftFailed] = (error.CancellationReasons ?? []).map((r) => r.Code === 'ConditionalCheckFailed');
    return draftFailed ? 'stale' : 'limit';
  }
}

/** Deletes a draft and gives its place back; false when it was already gone. */
export async function deleteDraft(unitId: string, draftId: string): Promise<boolean> {
  try {
    await transact([
      {
        Delete: {
          TableName: table(),
          Key: draftKey(unitId, draftId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      {
        Update: {
          TableName: table(),
          Key: draftCounterKey(unitId),
          UpdateExpression: 'ADD #count :minusOne',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/** A unit's drafts without their forms (a list, not the content), newest saved first. */
export async function listDrafts(unitId: string): Promise<DraftSummary[]> {
  const { partition, prefix } = unitDraftsQuery(unitId);
  const drafts: DraftSummary[] = [];
  for await (const page of queryPages({
    TableName: table(),
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
    // Every name through a placeholder: several (title, version) are DynamoDB reserved words.
    ProjectionExpression: SUMMARY_FIELDS.map((_, i) => `#f${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(SUMMARY_FIELDS.map((field, i) => [`#f${i}`, field])),
  }))
    drafts.push(...(page.Items ?? []).map((item) => withoutKeys<DraftSummary>(item)));
  return drafts.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}
