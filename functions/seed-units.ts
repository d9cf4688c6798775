import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { seedUnits } from '@shared/use-cases/member-units';
import { logger } from '@shared/adapters/logger';

/** The CloudFormation custom resource that seeds the member units on deploy (a Provider's onEvent). */
export const handler = middy(async (event: CloudFormationCustomResourceEvent) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const result = await seedUnits();
  logger.info('units seeded', result);
  return { PhysicalResourceId: 'unit-seed', Data: result };
}).use(injectLambdaContext(logger));
