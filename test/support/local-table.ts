import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resetClients } from '@shared/adapters/aws-clients';
import { createTableFromTemplate, startDynamo, type LocalDynamo } from '@infra/local/dynamodb';
import { freePort } from '@infra/local/net';
import { synthTemplate } from '@infra/local/synth';

/** The table's name, as local mode names it (LOCAL_TABLE of the local stack). */
const TABLE = 'funding-call';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalTableOptions {
  /**
   * More environment for the product's own clients, read in beforeAll once the table exists and
   * before the clients are reset: e.g. the URL of another local service started in an earlier beforeAll.
   */
  env?: () => Record<string, string>;
}

/** The table of one test file, and what its tests reach it with. */
export interface LocalTable {
  /** The table's name (also TABLE_NAME of the product while the file runs). */
  readonly name: string;
  /** DynamoDB Local's URL. */
  readonly endpoint: string;
  /** A low-level client on DynamoDB Local, for the test's own reads and writes (not the product's). */
  readonly client: DynamoDBClient;
  /** A document client over `client`. */
  readonly doc: DynamoDBDocumentClient;
}

/**
 * Starts DynamoDB Local (on a free port, in memory) for the calling test file in beforeAll, creates
 * the table of the synthesized stack in it, and points the product at it: TABLE_NAME, the DynamoDB
 * endpoint, region and credentials in process.env, then `resetClients()`. In afterAll it drops the
 * clients, stops DynamoDB Local and puts process.env back as it was when this was called. Call it
 * once, at the top of the file; the returned object is usable inside tests and hooks.
 */
export function useLocalTable(options: LocalTableOptions = {}): LocalTable {
  const savedEnv = { ...process.env };
  let dynamo: LocalDynamo | undefined;
  let client: DynamoDBClient | undefined;
  let doc: DynamoDBDocumentClient | undefined;

  const running = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('DynamoDB Local is not running: use the table inside a test or a hook, after beforeAll');
    return value;
  };

  beforeAll(async () => {
    const { template } = synthTemplate();
    dynamo = await startDynamo(await freePort(), undefined);
    await createTableFromTemplate(template, dynamo.endpoint, TABLE);
    Object.assign(process.env, {
      TABLE_NAME: TABLE,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...options.env?.(),
    });
    resetClients();
    client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
    doc = DynamoDBDocumentClient.from(client);
  }, 120_000);

  afterAll(async () => {
    resetClients();
    // The document client's destroy() does nothing: the client under it holds the connections.
    client?.destroy();
    await dynamo?.stop();
    process.env = savedEnv;
  });

  return {
    name: TABLE,
    get endpoint() {
      return running(dynamo).endpoint;
    },
    get client() {
      return running(client);
    },
    get doc() {
      return running(doc);
    },
  };
}
