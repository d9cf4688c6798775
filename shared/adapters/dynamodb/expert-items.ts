import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Expert } from '@shared/domain/experts';
import { dynamo } from '@shared/adapters/aws-clients';
import { conditionalWrite } from '@shared/adapters/dynamodb/conditional';
import { EXPERT_POOL, expertKey, expertPoolIndex, GSI1, withoutKeys } from '@shared/adapters/dynamodb/keys';
import { table } from '@shared/adapters/dynamodb/table-name';

export type StoredExpert = Expert & { updatedAt?: string; updatedBy?: string };

export async function getExpert(expertId: string): Promise<StoredExpert | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: expertKey(expertId), ConsistentRead: true }),
  );
  return result.Item ? withoutKeys<StoredExpert>(result.Item) : undefined;
}

/** Adds or replaces an expert; answers whether it was new. */
export async function putExpert(expert: StoredExpert): Promise<{ created: boolean }> {
  const created = await conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...expertKey(expert.expertId), ...expertPoolIndex(expert.expertId), ...expert },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
  if (!created)
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...expertKey(expert.expertId), ...expertPoolIndex(expert.expertId), ...expert },
      }),
    );
  return { created };
}

/** Seeds an expert unless staff have stored one under that id. */
export async function seedExpert(expert: Expert): Promise<boolean> {
  return conditionalWrite(() =>
    dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...expertKey(expert.expertId), ...expertPoolIndex(expert.expertId), ...expert },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    ),
  );
}

/** One page of the pool, by expert id, after `after` (a Query on GSI1, never a Scan). */
export async function listExpertPage(
  limit: number,
  after?: string,
): Promise<{ experts: StoredExpert[]; next?: string }> {
  const result = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      IndexName: GSI1,
      KeyConditionExpression: after ? 'GSI1PK = :pool AND GSI1SK > :after' : 'GSI1PK = :pool',
      ExpressionAttributeValues: { ':pool': EXPERT_POOL, ...(after ? { ':after': after } : {}) },
      Limit: limit,
    }),
  );
  const experts = (result.Items ?? []).map((item) => withoutKeys<StoredExpert>(item));
  return { experts, ...(result.LastEvaluatedKey ? { next: experts.at(-1)?.expertId } : {}) };
}
