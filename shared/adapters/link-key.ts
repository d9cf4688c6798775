import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secrets } from '@shared/adapters/aws-clients';
import { readEnv } from '@shared/adapters/env';

let key: Promise<Buffer> | undefined;

/**
 * The key that derives task ids and signs task links: a secret in AWS Secrets Manager (generated
 * by the stack), locally one kept in .local/ and served by the local Secrets Manager endpoint. Read
 * once per process.
 */
export function linkKey(): Promise<Buffer> {
  key ??= (async () => {
    const { LINK_KEY_SECRET_ARN } = readEnv(['LINK_KEY_SECRET_ARN']);
    const secret = await secrets().send(new GetSecretValueCommand({ SecretId: LINK_KEY_SECRET_ARN }));
    if (!secret.SecretString || secret.SecretString.length < 32)
      throw new Error('The task-link key secret is empty or too short');
    return Buffer.from(secret.SecretString, 'utf8');
  })().catch((error: unknown) => {
    key = undefined; // a passing fault must not poison the process
    throw error;
  });
  return key;
}
