import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sweep } from '@shared/use-cases/deadline-sweep';
import { logger } from '@shared/adapters/logger';
import { countMetric, publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/**
 * Runs every minute (EventBridge on AWS, a timer locally): starts one sweep-shard worker per shard
 * of the open-task index and the workflows whose start was not confirmed.
 * Its failed items are counted every run (a zero too, so the alarm on them sees data, not silence).
 */
export const handler = middy(async () => {
  const result = await sweep();
  if (result.started > 0 || result.failed > 0) logger.info('swept', result);
  countMetric('SweepFailed', result.failed);
  return result;
})
  .use(traceHandler())
  .use(injectLambdaContext(logger))
  .use(publishMetrics());
