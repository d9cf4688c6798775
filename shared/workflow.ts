import { ExecutionAlreadyExists, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from '@shared/aws/clients';
import { readEnv } from '@shared/env';
import { clearPendingStart, updateApplication } from '@shared/store/applications';

let stateMachineArn: string | undefined;

export interface WorkflowInput {
  applicationId: string;
}

/**
 * Starts the application's execution, named by the application id so that a second start (a
 * retried request, a recovery sweep) finds the first one instead of running the application twice.
 */
export async function startApplicationWorkflow(input: WorkflowInput): Promise<string> {
  stateMachineArn ??= readEnv(['STATE_MACHINE_ARN']).STATE_MACHINE_ARN;
  try {
    const started = await sfn().send(
      new StartExecutionCommand({ stateMachineArn, name: input.applicationId, input: JSON.stringify(input) }),
    );
    return started.executionArn as string;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    const machineName = stateMachineArn.split(':').pop();
    return stateMachineArn.replace(/:stateMachine:[^:]+$/, `:execution:${machineName}:${input.applicationId}`);
  }
}

export async function resumeTask(token: string, output: unknown): Promise<void> {
  await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
}

/** Fails a waiting task with a named error the state machine catches (e.g. DeadlinePassed, Withdrawn). */
export async function failTask(token: string, error: string, cause: string): Promise<void> {
  await sfn().send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
}

/** Starts (or finds) the application's execution, records it, and clears the pending-start marker. */
export async function ensureWorkflowStarted(applicationId: string): Promise<string> {
  const executionArn = await startApplicationWorkflow({ applicationId });
  await updateApplication(applicationId, { set: { executionArn } });
  await clearPendingStart(applicationId);
  return executionArn;
}
