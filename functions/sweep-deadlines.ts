import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sweepDeadlines } from '@shared/workflow-steps';
import { logger } from '@shared/logger';

/** Runs every minute (EventBridge on AWS, a timer locally): starts stalled workflows, expires overdue tasks. */
export const handler = middy(async () => {
  const result = await sweepDeadlines();
  if (result.expired + result.started > 0) logger.info('swept', result);
  return result;
}).use(injectLambdaContext(logger));
