import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { pool, round } from './stats';

/**
 * The ceiling the HTTP submission is measured against: the same five-item transaction a submission
 * commits (the unit's standing checked, its slot counter moved, the application, the idempotency
 * claim and the pending-start marker put), sent straight to the same DynamoDB Local at the same
 * concurrency, with an application item of the same size. What HTTP, the handler and validation
 * cost on top shows as the ratio of the two.
 */
export async function rawTransactThroughput(
  endpoint: string,
  table: string,
  n: number,
  concurrency: number,
  formFor: (i: number) => unknown,
): Promise<{ n: number; concurrency: number; elapsedMs: number; perSecond: number }> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const unit = { PK: 'UNIT#bench-raw-unit', SK: 'PROFILE', unitId: 'bench-raw-unit', barred: false };
  await client.send(new PutCommand({ TableName: table, Item: unit }));
  const began = performance.now();
  await pool(n, concurrency, async (i) => {
    const id = `bench-raw-${i}-${Math.random().toString(36).slice(2)}`;
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table,
              Key: { PK: unit.PK, SK: unit.SK },
              ConditionExpression: 'attribute_exists(PK) AND barred <> :true',
              ExpressionAttributeValues: { ':true': true },
            },
          },
          {
            Update: {
              TableName: table,
              Key: { PK: `UNIT#bench-raw-${i}`, SK: 'SLOTS#bench' },
              UpdateExpression: 'SET #total = if_not_exists(#total, :zero) + :one',
              ConditionExpression: 'attribute_not_exists(#total) OR #total < :max',
              ExpressionAttributeNames: { '#total': 'total' },
              ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': 3 },
            },
          },
          {
            Put: {
              TableName: table,
              Item: { PK: `APP#${id}`, SK: 'APP', applicationId: id, form: formFor(i), status: 'SUBMITTED' },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: { PK: `IDEM#bench-raw#${id}`, SK: 'IDEM', requestHash: id },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          { Put: { TableName: table, Item: { PK: `START#${id}`, SK: 'START', applicationId: id } } },
        ],
      }),
    );
  });
  const elapsed = performance.now() - began;
  client.destroy();
  return { n, concurrency, elapsedMs: round(elapsed, 0), perSecond: round(n / (elapsed / 1000)) };
}
