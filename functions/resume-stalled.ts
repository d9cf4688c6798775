import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from '@shared/domain/zod';
import { onExecutionEnded, reconcileStalled } from '@shared/use-cases/stalled-workflows';
import { logger } from '@shared/adapters/logger';
import { countMetric, publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/**
 * Two EventBridge rules invoke it (infra/stack.ts): the state machine's Execution Status Change
 * (ABORTED, TIMED_OUT, FAILED), which resumes the execution's application at once if that left it
 * stalled; and a schedule, which runs the slow reconciliation for whatever an event missed. Locally
 * the Step Functions endpoint and the sweep's timer send it the same events.
 */
const statusChange = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    status: z.enum(['ABORTED', 'TIMED_OUT', 'FAILED']),
    // The execution's input, JSON: every execution of the application workflow names its application.
    input: z.string(),
  }),
});
const scheduled = z.object({ 'detail-type': z.literal('Scheduled Event') });
const workflowInput = z.object({ applicationId: z.string().check(z.minLength(1)) });

export const handler = middy(async (event: unknown) => {
  if (scheduled.safeParse(event).success) {
    const counts = await reconcileStalled();
    if (counts.resumed > 0 || counts.failed > 0) logger.info('reconciled', counts);
    countMetric('ReconcileFailed', counts.failed);
    return counts;
  }
  const { detail } = statusChange.parse(event);
  const { applicationId } = workflowInput.parse(JSON.parse(detail.input));
  return onExecutionEnded({ applicationId, status: detail.status, executionArn: detail.executionArn });
})
  .use(traceHandler())
  .use(injectLambdaContext(logger))
  .use(publishMetrics());
