import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parseShardSweep, workerBudgetMs } from '@shared/domain/sweep-plan';
import { OPEN_TASK_SHARDS } from '@shared/adapters/dynamodb/keys';
import { sweepShard } from '@shared/use-cases/deadline-sweep';
import { logger } from '@shared/adapters/logger';
import { countMetric, publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/**
 * One sweep worker, invoked asynchronously by sweep-deadlines with `{ shard, at }`: works its shard's
 * due tasks for a budget well inside its timeout. Failed and throttled items are counted every run.
 */
export const handler = middy(async (event: unknown, context: Context) => {
  const work = parseShardSweep(event, OPEN_TASK_SHARDS);
  const result = await sweepShard(work, workerBudgetMs(context?.getRemainingTimeInMillis?.()));
  if (Object.values(result).some((count) => count > 0)) logger.info('swept a shard', { shard: work.shard, ...result });
  countMetric('SweepFailed', result.failed);
  countMetric('SweepThrottled', result.throttled);
  return result;
})
  .use(traceHandler())
  .use(injectLambdaContext(logger))
  .use(publishMetrics());
