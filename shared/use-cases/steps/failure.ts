import { IN_PROGRESS_STATUSES, workflowFailures } from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { putTask } from '@shared/adapters/dynamodb/task-items';
import { marks, recoveryTaskId } from '@shared/domain/ids';

/** How many times a failed workflow is started again by itself before it is left to staff (the alarm). */
export const MAX_RECOVERIES = 3;
/** The first re-drive waits this long (then twice, four times as long): time for a fault to pass. */
const FIRST_RECOVERY_DELAY_MS = 15 * 60 * 1000;

/**
 * Records on the application that a stage failed after its retries, for staff and the console, and
 * schedules the workflow to be started again later at that stage (a recovery task the sweep acts
 * on), so an application is not left unchecked by a passing fault.
 */
export async function recordFailure(applicationId: string, stage: string, execution: string, error: { Error?: string; Cause?: string }) {
  const at = now();
  await updateApplication(applicationId, {
    set: { failure: { stage, error: error.Error ?? 'Unknown', cause: error.Cause?.slice(0, 2000), at: toBeijingIso(at) } },
    entry: { stage: 'Workflow', result: 'FAILED', at: toBeijingIso(at), detail: { stage, error: error.Error } },
    // Once per execution and stage: a retry of this step after its write landed adds no second entry.
    once: marks.failure(execution, stage),
  });
  const app = await getApplication(applicationId);
  const failures = app ? workflowFailures(app) : 0;
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
