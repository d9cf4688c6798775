import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { seedUnits } from '@shared/use-cases/member-units';
import { seedExpertPool } from '@shared/use-cases/expert-pool';
import { logger } from '@shared/adapters/logger';

/** The CloudFormation custom resource that seeds the member units and the expert pool on deploy (a Provider's onEvent). */
export const handler = middy(async (event: CloudFormationCustomResourceEvent) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const result = { units: (await seedUnits()).seeded, experts: (await seedExpertPool()).seeded };
  logger.info('units and experts seeded', result);
  return { PhysicalResourceId: 'unit-seed', Data: result };
}).use(injectLambdaContext(logger));
