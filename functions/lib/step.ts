import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from '@shared/domain/zod';
import { logger } from '@shared/adapters/logger';
import { publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/**
 * Wraps a workflow step: validates the payload the state machine built, runs the step, and lets
 * errors propagate so Step Functions can Retry or Catch them by name.
 */
export function stepHandler<S extends z.ZodMiniType, R>(schema: S, run: (input: z.infer<S>) => Promise<R>) {
  return middy(async (event: unknown, _context: Context): Promise<R> => {
    const input = parsePayload(schema, event);
    const result = await run(input);
    logger.info('step done', { result: result as Record<string, unknown> });
    return result;
  })
    .use(traceHandler())
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

/**
 * The payload as the schema reads it, or the schema's error thrown as `ZodError`, the name classic
 * zod gave it (zod/mini's is `$ZodError`): Lambda reports a thrown error by its name, and Step
 * Functions records that name as the failed step's Error. Its stack starts at the step, as before.
 */
function parsePayload<S extends z.ZodMiniType>(schema: S, event: unknown): z.infer<S> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const error = parsed.error;
  error.name = 'ZodError';
  Error.captureStackTrace(error, parsePayload);
  throw error;
}
