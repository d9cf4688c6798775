import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';

/** Every page of a Query, in order, following LastEvaluatedKey (never a Scan). */
export async function* queryPages(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<QueryCommandOutput> {
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }));
    yield page;
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
}
