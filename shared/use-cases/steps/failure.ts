import { IN_PROGRESS_STATUSES, workflowFailures, type WorkflowFailure } from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import {
  countFailureRecords,
  getApplication,
  isItemTooLarge,
  putFailureRecord,
  updateApplication,
} from '@shared/adapters/dynamodb/application-items';
import { putTask } from '@shared/adapters/dynamodb/task-items';
import { logger } from '@shared/adapters/logger';
import { marks, recoveryTaskId } from '@shared/domain/ids';

/** How many times a failed workflow is started again by itself before it is left to staff (the alarm). */
export const MAX_RECOVERIES = 3;
/** The first re-drive waits this long (then twice, four times as long): time for a fault to pass. */
const FIRST_RECOVERY_DELAY_MS = 15 * 60 * 1000;

/**
 * Records that a stage failed after its retries, and schedules the workflow to be started again
 * later at that stage (a recovery task the sweep acts on), so an application is not left unchecked
 * by a passing fault. The failure is written first to an item of its own, which cannot be refused
 * for size: an application item DynamoDB refuses to grow (the fault that failed the stage, perhaps)
 * must not also lose the record of the failure and its recovery. Then it goes on the application
 * for staff and the console, if the item takes it.
 */
export async function recordFailure(
  applicationId: string,
  stage: string,
  execution: string,
  error: { Error?: string; Cause?: string },
) {
  const at = now();
  const failure: WorkflowFailure = {
    stage,
    error: error.Error ?? 'Unknown',
    cause: error.Cause?.slice(0, 2000),
    at: toBeijingIso(at),
  };
  // Once per execution and stage: a retry of this step finds it recorded and counts it once.
  await putFailureRecord(applicationId, execution, failure);
  await updateApplication(applicationId, {
    set: { failure },
    // The execution tells this entry from one written before failures were items of their own (workflowFailures).
    entry: { stage: 'Workflow', result: 'FAILED', at: failure.at, detail: { stage, error: error.Error, execution } },
    once: marks.failure(execution, stage),
  }).catch((refused: unknown) => {
    if (!isItemTooLarge(refused)) throw refused;
    logger.error('the application item is too large to take its failure: recorded apart only', {
      applicationId,
      stage,
      execution,
      error: refused as Error,
    });
  });
  const app = await getApplication(applicationId);
  const failures = app ? workflowFailures(app, await countFailureRecords(applicationId)) : 0;
  const open = app && IN_PROGRESS_STATUSES.includes(app.status);
  if (!open || failures > MAX_RECOVERIES) return { recorded: true, recovery: false };
  await putTask({
    taskId: recoveryTaskId(applicationId, execution),
    kind: 'recovery',
    applicationId,
    token: 'none', // nothing waits on a recovery: the sweep starts a new execution
    failedStage: stage,
    state: 'OPEN',
    dueAt: new Date(at.getTime() + FIRST_RECOVERY_DELAY_MS * 2 ** (failures - 1)).toISOString(),
    createdAt: toBeijingIso(at),
  });
  return { recorded: true, recovery: true };
}
