/**
 * What the national-size benches that run alone share (proposal.ts, round.ts): a local stack of
 * their own with no sweep timer (they run the sweep's work themselves), and their data written
 * straight into its DynamoDB Local, as fast as it takes it.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { pool } from './stats';

/** Writes items 25 a request, 16 requests at a time, sending again what DynamoDB leaves unwritten; answers the ms it took. */
export async function writeItems(endpoint: string, table: string, items: Record<string, unknown>[]): Promise<number> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const began = performance.now();
  await pool(Math.ceil(items.length / 25), 16, async (b) => {
    let requests = items.slice(b * 25, (b + 1) * 25).map((Item) => ({ PutRequest: { Item } }));
    // DynamoDB may leave some of a batch unwritten under load: those are sent again.
    while (requests.length) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  });
  client.destroy();
  return performance.now() - began;
}

/** `npx tsx test/bench/<name>.ts [N]`: `figures` at N on a stack of its own, printed as one line of JSON. */
export async function runOnOwnStack(
  figures: (dynamodbUrl: string, table: string, n: number) => Promise<unknown>,
  defaultN: number,
): Promise<void> {
  await import('./env');
  await import('@infra/local/polyfills');
  const { startLocalStack } = await import('@infra/local/local-stack');
  const n = Number(process.argv[2] ?? defaultN);
  const stack = await startLocalStack({
    ports: { api: 0, email: 0, dynamodb: 0, stepfunctions: 0, files: 0 },
    sweepEveryMs: 3_600_000,
    log: () => undefined,
  });
  try {
    console.log(JSON.stringify(await figures(stack.urls.dynamodb, 'funding-call', n)));
  } finally {
    await stack.stop();
  }
}
