import type { MiddlewareObj } from '@middy/core';
import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray through Powertools Tracer, on Lambda only. Tracer traces only there (AWS_EXECUTION_ENV set,
 * not SAM or Amplify's mock, POWERTOOLS_TRACE_ENABLED not false), and this module decides the same
 * way before loading it: loading the X-Ray SDK enables a process-wide async hook (cls-hooked) that
 * makes every promise about ten times slower, even with tracing off. Local mode, tests and benchmarks
 * therefore never load it: `traced(client)` hands the client back and `traceHandler()` does nothing.
 *
 * Outbound HTTP is not patched globally: every outbound call is an AWS SDK call, traced by its
 * client (a second, global patch would trace it twice). Responses are not recorded in traces: they
 * carry applicants' personal data.
 */
const executionEnv = process.env.AWS_EXECUTION_ENV ?? '';
const tracingOn =
  executionEnv !== '' &&
  executionEnv !== 'AWS_Lambda_amplify-mock' &&
  !process.env.AWS_SAM_LOCAL &&
  (process.env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() !== 'false';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on (see above); esbuild still bundles it */
const powertools = (): typeof import('./powertools-tracer') =>
  require('./powertools-tracer') as typeof import('./powertools-tracer');

export const tracer: Tracer | undefined = tracingOn
  ? new (powertools().Tracer)({ serviceName: 'funding-call', captureHTTPsRequests: false })
  : undefined;

/** Middy middleware: the handler's subsegment (cold start and service annotated; errors recorded), when tracing is on. */
export const traceHandler = (): MiddlewareObj =>
  tracer
    ? powertools().captureLambdaHandler(tracer, { captureResponse: false })
    : // middy refuses a middleware with no step: one that does nothing.
      { before: () => undefined };
/* eslint-enable @typescript-eslint/no-require-imports */

/** An SDK v3 client whose calls appear as subsegments of the function's trace (when tracing is on). */
export const traced = <C>(client: C): C => (tracer ? tracer.captureAWSv3Client(client) : client);
