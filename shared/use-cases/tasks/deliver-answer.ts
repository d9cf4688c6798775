import { toBeijingIso } from '@shared/domain/clock';
import { isLinkTaskKind, PENDING_TOKEN, type ClaimedTask } from '@shared/domain/tasks/record';
import { finishTask } from '@shared/adapters/dynamodb/task-items';
import { logger } from '@shared/adapters/logger';
import { failTask, isTokenGone, resumeTask } from '@shared/adapters/workflow-engine';
import { restartAfterLostAmendment, resumeLostWorkflow } from '@shared/use-cases/workflow-start';

/** What to do with an answer when nothing waits on its token any more. */
export type LostExecutionHandler = (task: ClaimedTask) => Promise<void>;

/**
 * An amendment is still checked by a new execution; a staff answer is passed on by a workflow
 * resumed at the application's stage (it re-opens the same task and finds the answer); a withdrawal
 * needs nothing, because the request that gave it recorded it. The sweep adds the deadline rejection.
 */
export const carryOutWithoutExecution: LostExecutionHandler = async (task) => {
  if (isLinkTaskKind(task.kind)) await resumeLostWorkflow(task.applicationId);
  else if (task.kind === 'amendment' && task.closing.signal.kind === 'success')
    await restartAfterLostAmendment(task.applicationId);
};

/**
 * Delivers a claimed task's answer to Step Functions, then finishes the task. If nothing waits on
 * the token any more (the execution was lost, stopped or timed out), the answer is carried out
 * without it. A delivery that fails otherwise leaves the task claimed, and the sweep delivers it again.
 */
export async function deliverTask(
  task: ClaimedTask,
  at: Date,
  whenExecutionLost: LostExecutionHandler = carryOutWithoutExecution,
): Promise<void> {
  const { signal } = task.closing;
  // Answered before its workflow waited on it: the step that hands the task its token passes it on.
  if (task.token === PENDING_TOKEN) return;
  try {
    if (signal.kind === 'success') await resumeTask(task.token, signal.output);
    else await failTask(task.token, signal.error, signal.cause);
  } catch (error) {
    if (!isTokenGone(error)) throw error;
    await whenExecutionLost(task);
  }
  await finishTask(task, toBeijingIso(at));
}

/** The answer is stored with its task; if telling Step Functions fails now, the sweep delivers it. */
export async function deliverOrLeaveToSweep(task: ClaimedTask, at: Date): Promise<void> {
  try {
    await deliverTask(task, at);
  } catch (error) {
    logger.error('task answer not delivered; the sweep will deliver it', {
      taskId: task.taskId,
      error: error as Error,
    });
  }
}
