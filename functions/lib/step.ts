import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type * as z from '@shared/domain/zod';
import { logger, maskEmailAddresses } from '@shared/adapters/logger';
import { publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/**
 * Wraps a workflow step: validates the payload the state machine built, runs the step, and lets
 * errors propagate so Step Functions can Retry or Catch them by name.
 */
export function stepHandler<S extends z.ZodMiniType, R>(schema: S, run: (input: z.infer<S>) => Promise<R>) {
  return middy(async (event: unknown, _context: Context): Promise<R> => {
    const input = parsePayload(schema, event);
    try {
      const result = await run(input);
      logger.info('step done', { result: result as Record<string, unknown> });
      return result;
    } catch (error) {
      throw withoutEmailAddresses(error);
    }
  })
    .use(traceHandler())
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

/**
 * The error a step throws, its addresses masked: Lambda logs a thrown error's message and stack as
 * they are, and Step Functions keeps the message as the execution's Cause, which administrators read
 * in the console (an SES refusal names the addresses it refused). The name, which Retry and Catch
 * match, stays.
 */
function withoutEmailAddresses(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  error.message = maskEmailAddresses(error.message);
  if (error.stack) error.stack = maskEmailAddresses(error.stack);
  return error;
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
