import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { ShardSweep } from '@shared/domain/sweep-plan';
import { lambda } from '@shared/adapters/aws-clients';
import { readEnv } from '@shared/adapters/env';

let workerFunction: string | undefined;

/**
 * Starts one sweep worker (functions/sweep-shard.ts) and returns as soon as Lambda has queued it:
 * an asynchronous invocation, so every shard's worker runs at once and the scheduled sweep does not
 * wait for them. Locally the same call reaches infra/local/lambda-endpoint.ts, which runs it in-process.
 */
export async function startShardWorker(work: ShardSweep): Promise<void> {
  workerFunction ??= readEnv(['SWEEP_SHARD_FUNCTION']).SWEEP_SHARD_FUNCTION;
  await lambda().send(
    new InvokeCommand({
      FunctionName: workerFunction,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(work)),
    }),
  );
}
