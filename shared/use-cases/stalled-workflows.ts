import { APPLICATION_STATUSES, resumeStageOf } from '@shared/domain/application-record';
import { listCalls } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { quietApplicationsInStatus } from '@shared/adapters/dynamodb/application-items';
import { logger } from '@shared/adapters/logger';
import { inParallel } from '@shared/use-cases/in-parallel';
import { resumeIfStalled, type ResumeOutcome, type StallCause } from '@shared/use-cases/workflow-start';

/**
 * Stalled applications: an application whose execution ended while it was not finished. Noticed at
 * once from the execution's end (the state machine's Execution Status Change event on AWS; the local
 * Step Functions endpoint emits the same event), and, in case an event was missed, by a slow
 * reconciliation over the status index. Both apply the one rule, resumeIfStalled.
 */

/** Statuses an application's workflow is still under way in (every status but the final ones). */
export const UNFINISHED_STATUSES = APPLICATION_STATUSES.filter(
  (status) => resumeStageOf({ status, marks: {} }) !== undefined,
);

/** How long an application must not have moved before the reconciliation looks at it. */
export const QUIET_FOR_MS = 15 * 60_000;
/** How often the reconciliation runs (the stack's schedule); each run looks back two periods, so one missed run loses nothing. */
export const RECONCILE_EVERY_MS = 15 * 60_000;
/** Candidates checked at a time (each is a read and a DescribeExecution). */
const CONCURRENCY = 8;

export interface StallEvent {
  executionArn: string;
  status: 'ABORTED' | 'TIMED_OUT' | 'FAILED';
  applicationId: string;
}

/** An execution ended ABORTED, TIMED_OUT or FAILED: its application is resumed if that left it stalled. */
export async function onExecutionEnded(event: StallEvent): Promise<ResumeOutcome> {
  return resumeIfStalled(event.applicationId, event.status, event.executionArn);
}

/**
 * Applies the rule to every unfinished application of every call whose record last changed within
 * [from, to): by default those quiet for QUIET_FOR_MS, looked back over two periods. One item's
 * failure is logged and counted, never stops the others; the next run looks again.
 */
export async function reconcileStalled(options: { at?: Date; from?: Date; to?: Date; cause?: StallCause } = {}) {
  const at = options.at ?? now();
  const to = options.to ?? new Date(at.getTime() - QUIET_FOR_MS);
  const from = options.from ?? new Date(to.getTime() - 2 * RECONCILE_EVERY_MS);
  const counts = { checked: 0, resumed: 0, failed: 0 };
  const candidates = (
    await Promise.all(
      listCalls().flatMap((call) =>
        UNFINISHED_STATUSES.map((status) =>
          quietApplicationsInStatus(call.callId, status, toBeijingIso(from), toBeijingIso(to)),
        ),
      ),
    )
  ).flat();
  await inParallel(candidates, CONCURRENCY, async (applicationId) => {
    counts.checked++;
    try {
      if ((await resumeIfStalled(applicationId, options.cause ?? 'RECONCILED')).kind === 'resumed') counts.resumed++;
    } catch (error) {
      counts.failed++;
      logger.error('reconciliation: could not apply the rule; the next run looks again', {
        applicationId,
        error: error as Error,
      });
    }
  });
  return counts;
}
