import { AMENDABLE_STATUSES, workflowFailures } from '@shared/domain/application-record';
import { toBeijingIso } from '@shared/domain/clock';
import { getApplication, updateApplication } from '@shared/adapters/dynamodb/application-items';
import { finishTask, type TaskClosing, type TaskRecord } from '@shared/adapters/dynamodb/task-items';
import { DEADLINE_REJECTION, recordRejection } from '@shared/use-cases/steps/outcome';
import { failTask, isExecutionRunning, isTokenGone, resumeTask, startApplicationWorkflow } from '@shared/adapters/workflow-engine';

/**
 * Delivers a claimed task's answer to Step Functions, then finishes the task. If nothing waits on
 * the token any more (the execution was lost, stopped or timed out), the answer is carried out
 * without it, so an amendment is still checked and a missed deadline still rejects. A delivery that
 * fails otherwise leaves the task claimed, and the sweep delivers it again.
 */
export async function deliverTask(task: TaskRecord & { closing: TaskClosing }, at: Date): Promise<void> {
  if (task.kind === 'recovery') {
    await redrive(task);
    await finishTask(task, toBeijingIso(at));
    return;
  }
  const { signal } = task.closing;
  try {
    if (signal.kind === 'success') await resumeTask(task.token, signal.output);
    else await failTask(task.token, signal.error, signal.cause);
  } catch (error) {
    if (!isTokenGone(error)) throw error;
    await actWithoutWorkflow(task);
  }
  await finishTask(task, toBeijingIso(at));
}

async function actWithoutWorkflow(task: TaskRecord & { closing: TaskClosing }): Promise<void> {
  if (task.kind !== 'amendment') return;
  const { signal } = task.closing;
  if (signal.kind === 'failure') {
    if (signal.error === 'DeadlinePassed') {
      await recordRejection(task.applicationId, DEADLINE_REJECTION).catch((error: Error) => {
        // Withdrawn (or gone) meanwhile: there is nothing left to reject.
        if (error.name !== 'Withdrawn' && error.name !== 'ApplicationMissing') throw error;
      });
    }
    return; // a withdrawal is recorded by the withdrawal itself
  }
  const app = await getApplication(task.applicationId);
  // A second delivery of an answer the execution already took also finds the token gone: only a
  // workflow that really is gone is replaced, by one that resumes at the formal check.
  if (!app || app.status !== 'RETURNED_FOR_CORRECTION' || (await isExecutionRunning(app.executionArn))) return;
  const executionArn = await startApplicationWorkflow(
    { applicationId: app.applicationId, resumeFrom: 'FormalCheck' },
    `${app.applicationId}-v${app.version}`,
  );
  await updateApplication(app.applicationId, { set: { executionArn } });
}

/**
 * Starts a failed application's workflow again, at the stage that failed (the receipt from the
 * start; anything later at the formal check, which reads the latest form). Named after the recovery
 * task, so a repeated delivery finds the same execution.
 */
async function redrive(task: TaskRecord): Promise<void> {
  const app = await getApplication(task.applicationId);
  if (!app || !AMENDABLE_STATUSES.includes(app.status) || (await isExecutionRunning(app.executionArn))) return;
  const attempt = workflowFailures(app);
  const executionArn = await startApplicationWorkflow(
    { applicationId: app.applicationId, ...(task.failedStage === 'SendReceipt' ? {} : { resumeFrom: 'FormalCheck' as const }) },
    `${app.applicationId}-r${attempt}`,
  );
  await updateApplication(app.applicationId, { set: { executionArn }, remove: ['failure'] });
}
