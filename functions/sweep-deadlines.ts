import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { sweepDeadlines } from '@shared/workflow-steps';
import { logger } from './lib/logger';

/** Runs every minute (EventBridge on AWS, a timer locally): expires tasks whose deadline has passed. */
export const handler = middy(async () => {
  const result = await sweepDeadlines();
  if (result.expired > 0) logger.info('expired due tasks', result);
  return result;
}).use(injectLambdaContext(logger));
