import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { traced } from './tracer';

/**
 * The one place SDK clients are made. Each is created on first use and then reused for the life of
 * the process (a Lambda container, or the local stack). On AWS the endpoints are the defaults; local
 * mode and tests point them at DynamoDB Local, aws-ses-v2-local, the local Step Functions endpoint
 * and s3rver through the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables, so the calling code never changes.
 * On Lambda each client's calls are traced in X-Ray (./tracer.ts); elsewhere `traced` changes nothing.
 */
let dynamoClient: DynamoDBDocumentClient | undefined;
let sesClient: SESClient | undefined;
let sfnClient: SFNClient | undefined;
let secretsClient: SecretsManagerClient | undefined;
let s3Client: S3Client | undefined;
let lambdaClient: LambdaClient | undefined;

// aws-ses-v2-local never answers some v1 actions, and a hung service must not outlast a Lambda's
// 29 s: two attempts of at most 8 s each stay well inside it.
const boundedRequests = () => new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 8000 });

export function dynamo(): DynamoDBDocumentClient {
  dynamoClient ??= DynamoDBDocumentClient.from(
    traced(new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, maxAttempts: 5 })),
    {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    },
  );
  return dynamoClient;
}

export function ses(): SESClient {
  sesClient ??= traced(
    new SESClient({ endpoint: process.env.AWS_ENDPOINT_URL_SES, requestHandler: boundedRequests(), maxAttempts: 2 }),
  );
  return sesClient;
}

export function sfn(): SFNClient {
  sfnClient ??= traced(
    new SFNClient({ endpoint: process.env.AWS_ENDPOINT_URL_SFN, requestHandler: boundedRequests(), maxAttempts: 2 }),
  );
  return sfnClient;
}

export function secrets(): SecretsManagerClient {
  secretsClient ??= traced(
    new SecretsManagerClient({
      endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      requestHandler: boundedRequests(),
      maxAttempts: 3,
    }),
  );
  return secretsClient;
}

/** Lambda, for the sweep's fan-out (one asynchronous invocation per shard); locally infra/local/lambda-endpoint.ts. */
export function lambda(): LambdaClient {
  lambdaClient ??= traced(
    new LambdaClient({
      endpoint: process.env.AWS_ENDPOINT_URL_LAMBDA,
      requestHandler: boundedRequests(),
      maxAttempts: 3,
    }),
  );
  return lambdaClient;
}

/**
 * S3 for report files. A local endpoint (s3rver) is addressed by path (http://127.0.0.1:port/bucket/key),
 * S3 itself by virtual host. Checksums only when an operation requires them: by default the SDK adds a
 * CRC32 of the (empty) body to presigned PUT URLs, which S3 would then hold the uploaded file to.
 */
export function s3(): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3;
  s3Client ??= traced(
    new S3Client({
      endpoint,
      forcePathStyle: endpoint !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: boundedRequests(),
      maxAttempts: 3,
    }),
  );
  return s3Client;
}

/** Tests swap endpoints between suites; this drops the cached clients so the next call reads the env again. */
export function resetClients(): void {
  dynamoClient?.destroy();
  sesClient?.destroy();
  sfnClient?.destroy();
  secretsClient?.destroy();
  s3Client?.destroy();
  lambdaClient?.destroy();
  dynamoClient = sesClient = sfnClient = secretsClient = s3Client = lambdaClient = undefined;
}
