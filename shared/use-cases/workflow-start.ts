import { AMENDABLE_STATUSES, IN_PROGRESS_STATUSES, resumeStageOf, workflowFailures } from '@shared/domain/application-record';
import { now, toBeijingIso } from '@shared/domain/clock';
import { executionNames, marks } from '@shared/domain/ids';
import type { TaskRecord } from '@shared/domain/task';
import { clearPendingStart, countFailureRecords, getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { listOpenTasks } from '@shared/adapters/dynamodb/task-items';
import { logger } from '@shared/adapters/logger';
import { isExecutionRunning, startApplicationWorkflow } from '@shared/adapters/workflow-engine';

/**
 * Starts (or finds) the application's execution, records it, and clears the pending-start marker: the
 * sweep's way. A first execution that exists but ended before its first step ran (stopped, or ended
 * with a local stack) is not a start: the workflow is resumed from the start under a name of its own.
 */
export async function ensureWorkflowStarted(applicationId: string): Promise<string> {
  const first = await startApplicationWorkflow({ applicationId }, executionNames.first(applicationId));
  const executionArn = (await isExecutionRunning(first)) ? first : ((await resumeLostWorkflow(applicationId)) ?? first);
  await recordWorkflowRunning(applicationId, executionArn);
  return executionArn;
}

/** The execution is seen to run: the record names it, and the sweep need not start it. */
export async function recordWorkflowRunning(applicationId: string, executionArn: string): Promise<void> {
  await updateApplication(applicationId, { set: { executionArn } });
  await clearPendingStart(applicationId);
}

/**
 * The submission's way: one call, nothing written (the workflow's first step records itself, see
 * recordWorkflowRunning). The application is already stored with a pending-start marker, so a failed
 * start loses nothing: the sweep, or a retry with the same Idempotency-Key, starts the workflow. The
 * unit's answer does not depend on it.
 */
export async function startOrLeaveToSweep(applicationId: string): Promise<void> {
  try {
    await startApplicationWorkflow({ applicationId }, executionNames.first(applicationId));
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
  // The amendment put it back in the check (SUBMITTED); the lost execution was waiting on it.
  if (!app || !AMENDABLE_STATUSES.includes(app.status) || (await isExecutionRunning(app.executionArn))) return;
  const executionArn = await startApplicationWorkflow(
    { applicationId: app.applicationId, resumeFrom: 'FormalCheck' },
    executionNames.afterAmendment(app.applicationId, app.version),
  );
  await updateApplication(app.applicationId, { set: { executionArn } });
}

/**
 * Starts a failed application's workflow again, at the stage its record says it is in (the receipt
 * from the start). Named after the recovery attempt, so a repeated delivery finds the same execution.
 */
export async function redriveFailedWorkflow(task: TaskRecord): Promise<void> {
  const app = await getApplication(task.applicationId);
  if (!app || !IN_PROGRESS_STATUSES.includes(app.status) || (await isExecutionRunning(app.executionArn))) return;
  const stage = task.failedStage === 'SendReceipt' ? 'Start' : resumeStageOf(app);
  if (!stage) return;
  const executionArn = await startApplicationWorkflow(
    { applicationId: app.applicationId, ...(stage === 'Start' ? {} : { resumeFrom: stage }) },
    executionNames.recovery(app.applicationId, workflowFailures(app, await countFailureRecords(app.applicationId))),
  );
  await updateApplication(app.applicationId, { set: { executionArn }, remove: ['failure'] });
}

/**
 * An application waits on a person, but no execution waits with it (the local stack restarted, or
 * an answer found its token gone): a new execution resumes at the stage the record says, re-opening
 * the same tasks (their links keep working) and passing on any answer given meanwhile.
 */
export async function resumeLostWorkflow(applicationId: string): Promise<string | undefined> {
  const app = await getApplication(applicationId);
  const stage = app && resumeStageOf(app);
  if (!app || !stage || (await isExecutionRunning(app.executionArn))) return undefined;
  const resumed = app.history.filter((entry) => entry.stage === 'Workflow' && entry.result === 'RESUMED').length + 1;
  const executionArn = await startApplicationWorkflow(
    { applicationId, ...(stage === 'Start' ? {} : { resumeFrom: stage }) },
    executionNames.resumed(applicationId, resumed),
  );
  await updateApplication(applicationId, {
    set: { executionArn },
    entry: { stage: 'Workflow', result: 'RESUMED', at: toBeijingIso(now()), detail: { stage, execution: executionArn.split(':').pop() } },
    once: marks.resumed(resumed),
  });
  return executionArn;
}

/**
 * Resumes the workflow of every application that waits on a task but has no running execution (a
 * local restart ends every execution). A Query per shard of the open-task index, never a Scan.
 */
export async function resumeWaitingApplications(): Promise<number> {
  const waiting = new Set(
    (await listOpenTasks()).filter((task) => task.kind !== 'recovery' && task.kind !== 'batch' && task.applicationId).map((task) => task.applicationId),
  );
  let resumed = 0;
  for (const applicationId of waiting) {
    try {
      if (await resumeLostWorkflow(applicationId)) resumed++;
    } catch (error) {
      logger.error('could not resume a workflow; the next start or an answer to its task retries', { applicationId, error: error as Error });
    }
  }
  return resumed;
}
