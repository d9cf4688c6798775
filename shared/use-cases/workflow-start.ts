import { AMENDABLE_STATUSES, workflowFailures } from '@shared/domain/application-record';
import { executionNames } from '@shared/domain/ids';
import type { TaskRecord } from '@shared/domain/task';
import { clearPendingStart, getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { logger } from '@shared/adapters/logger';
import { isExecutionRunning, startApplicationWorkflow } from '@shared/adapters/workflow-engine';

/** Starts (or finds) the application's execution, records it, and clears the pending-start marker. */
export async function ensureWorkflowStarted(applicationId: string): Promise<string> {
  const executionArn = await startApplicationWorkflow({ applicationId }, executionNames.first(applicationId));
  await updateApplication(applicationId, { set: { executionArn } });
  await clearPendingStart(applicationId);
  return executionArn;
}

/**
 * The application is already stored with a pending-start marker, so a failed start loses nothing:
 * the sweep, or a retry with the same Idempotency-Key, starts the workflow. The unit's answer does
 * not depend on it.
 */
export async function startOrLeaveToSweep(applicationId: string): Promise<void> {
  try {
    await ensureWorkflowStarted(applicationId);
  } catch (error) {
    logger.error('workflow start failed; the sweep will start it', { applicationId, error: error as Error });
  }
}

/**
 * An amendment answered a task whose execution is gone (lost, stopped or timed out): a new execution
 * resumes at the formal check. A second delivery of an answer the execution already took also finds
 * the token gone, so only a workflow that really is gone is replaced.
 */
export async function restartAfterLostAmendment(applicationId: string): Promise<void> {
  const app = await getApplication(applicationId);
  if (!app || app.status !== 'RETURNED_FOR_CORRECTION' || (await isExecutionRunning(app.executionArn))) return;
  const executionArn = await startApplicationWorkflow(
    { applicationId: app.applicationId, resumeFrom: 'FormalCheck' },
    executionNames.afterAmendment(app.applicationId, app.version),
  );
  await updateApplication(app.applicationId, { set: { executionArn } });
}

/**
 * Starts a failed application's workflow again, at the stage that failed (the receipt from the
 * start; anything later at the formal check, which reads the latest form). Named after the recovery
 * attempt, so a repeated delivery finds the same execution.
 */
export async function redriveFailedWorkflow(task: TaskRecord): Promise<void> {
  const app = await getApplication(task.applicationId);
  if (!app || !AMENDABLE_STATUSES.includes(app.status) || (await isExecutionRunning(app.executionArn))) return;
  const executionArn = await startApplicationWorkflow(
    { applicationId: app.applicationId, ...(task.failedStage === 'SendReceipt' ? {} : { resumeFrom: 'FormalCheck' as const }) },
    executionNames.recovery(app.applicationId, workflowFailures(app)),
  );
  await updateApplication(app.applicationId, { set: { executionArn }, remove: ['failure'] });
}
