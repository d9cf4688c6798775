import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sweep } from '@shared/use-cases/deadline-sweep';
import { logger } from '@shared/adapters/logger';

/** Runs every minute (EventBridge on AWS, a timer locally): starts stalled workflows, expires overdue tasks. */
export const handler = middy(async () => {
  const result = await sweep();
  if (Object.values(result).some((count) => count > 0)) logger.info('swept', result);
  return result;
}).use(injectLambdaContext(logger));
