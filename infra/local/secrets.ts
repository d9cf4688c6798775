import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The local stand-in of the stack's TaskLinkKey secret (the ARN the handlers are given). */
export const LOCAL_LINK_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:local-task-link-key';

/**
 * A random key kept in `.local/<name>` so what it signs (tokens, the links in emails) keeps working
 * across restarts; a fresh one each start when nothing is kept. Hex, 32 random bytes.
 */
export function keptKey(dataDir: string | undefined, name: string): string {
  if (!dataDir) return randomBytes(32).toString('hex');
  const file = path.join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** The task-link key (the stack's TaskLinkKey secret on AWS). */
export const localLinkKey = (dataDir: string | undefined) => keptKey(dataDir, 'task-link-key');

/**
 * The one Secrets Manager action the handlers use (GetSecretValue, AWS JSON 1.1), on 127.0.0.1,
 * so the same adapter code reads the key locally as on AWS: only its endpoint differs.
 */
export async function startLocalSecrets(
  secrets: Record<string, string>,
  port = 0,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return answer(400, {
          __type: 'UnknownOperationException',
          message: `Not served locally: ${String(request.headers['x-amz-target'])}`,
        });
      }
      let secretId: unknown;
      try {
        secretId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: unknown }).SecretId;
      } catch {
        return answer(400, { __type: 'InvalidRequestException', message: 'The body is not JSON' });
      }
      const value = typeof secretId === 'string' ? secrets[secretId] : undefined;
      if (value === undefined)
        return answer(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
      answer(200, {
        ARN: secretId,
        Name: String(secretId).split(':').pop(),
        SecretString: value,
        VersionId: 'local',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 0,
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
