import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { logger } from '@shared/adapters/logger';
import { publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/**
 * Wraps a workflow step: validates the payload the state machine built, runs the step, and lets
 * errors propagate so Step Functions can Retry or Catch them by name.
 */
export function stepHandler<S extends z.ZodType, R>(schema: S, run: (input: z.infer<S>) => Promise<R>) {
  return middy(async (event: unknown, _context: Context): Promise<R> => {
    const input = schema.parse(event);
    const result = await run(input);
    logger.info('step done', { result: result as Record<string, unknown> });
    return result;
  })
    .use(traceHandler())
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}
