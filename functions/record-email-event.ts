import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SNSEvent } from 'aws-lambda';
import { recordEmailEvent } from '@shared/use-cases/email-events';
import { logger } from '@shared/adapters/logger';
import { publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/**
 * Subscribed to the email events topic, where the SES configuration set publishes the bounces,
 * complaints and deliveries of every email: records each bounce and complaint on the application
 * the email was about. SNS hands a Lambda one message per invocation; a failure is thrown, so
 * Lambda retries it and the function's errors alarm shows it.
 */
export const handler = middy(async (event: SNSEvent) => {
  const outcomes = [];
  for (const record of event.Records) outcomes.push(await recordEmailEvent(record.Sns.Message));
  return { outcomes };
})
  .use(traceHandler())
  .use(injectLambdaContext(logger))
  .use(publishMetrics());
