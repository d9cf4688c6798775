import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The one place SDK clients are made. Each is created on first use and then reused for the life of
 * the process (a Lambda container, or the local stack). On AWS the endpoints are the defaults; local
 * mode and tests point them at DynamoDB Local, aws-ses-v2-local and the local Step Functions endpoint
 * through the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables, so the calling code never changes.
 */
let dynamoClient: DynamoDBDocumentClient | undefined;
let sesClient: SESClient | undefined;
let sfnClient: SFNClient | undefined;
let secretsClient: SecretsManagerClient | undefined;

// aws-ses-v2-local never answers some v1 actions, and a hung service must not outlast a Lambda's
// 29 s: two attempts of at most 8 s each stay well inside it.
const boundedRequests = () => new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 8000 });

export function dynamo(): DynamoDBDocumentClient {
  dynamoClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return dynamoClient;
}

export function ses(): SESClient {
  sesClient ??= new SESClient({ endpoint: process.env.AWS_ENDPOINT_URL_SES, requestHandler: boundedRequests(), maxAttempts: 2 });
  return sesClient;
}

export function sfn(): SFNClient {
  sfnClient ??= new SFNClient({ endpoint: process.env.AWS_ENDPOINT_URL_SFN, requestHandler: boundedRequests(), maxAttempts: 2 });
  return sfnClient;
}

export function secrets(): SecretsManagerClient {
  secretsClient ??= new SecretsManagerClient({ endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER, requestHandler: boundedRequests(), maxAttempts: 3 });
  return secretsClient;
}

/** Tests swap endpoints between suites; this drops the cached clients so the next call reads the env again. */
export function resetClients(): void {
  dynamoClient?.destroy();
  sesClient?.destroy();
  sfnClient?.destroy();
  secretsClient?.destroy();
  dynamoClient = sesClient = sfnClient = secretsClient = undefined;
}
