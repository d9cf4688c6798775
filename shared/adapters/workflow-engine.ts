import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { sfn } from '@shared/adapters/aws-clients';
import { readEnv } from '@shared/adapters/env';
import type { ResumeStage } from '@shared/domain/application-record';
import { executionArnFor, executionNames } from '@shared/domain/ids';

let stateMachineArn: string | undefined;

export interface WorkflowInput {
  applicationId: string;
  /** Where a re-driven execution picks up (the state machine's ResumeAtStage choice). */
  resumeFrom?: ResumeStage;
}

/** What Step Functions says when nothing waits on a token any more (execution ended, lost or timed out). */
export const isTokenGone = (error: unknown) =>
  ['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'].includes((error as Error)?.name);

/**
 * Starts the application's execution, named by the application id so that a second start (a
 * retried request, a recovery sweep) finds the first one instead of running the application twice.
 */
export async function startApplicationWorkflow(input: WorkflowInput, name: string): Promise<string> {
  return (await startNamedWorkflow(input, name)).executionArn;
}

/** As startApplicationWorkflow, and whether an execution of that name was there already (running or ended). */
export async function startNamedWorkflow(
  input: WorkflowInput,
  name: string,
): Promise<{ executionArn: string; existed: boolean }> {
  const arn = machineArn();
  try {
    const started = await sfn().send(
      new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }),
    );
    return { executionArn: started.executionArn as string, existed: false };
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return { executionArn: executionArnFor(arn, name), existed: true };
  }
}

const machineArn = () => (stateMachineArn ??= readEnv(['STATE_MACHINE_ARN']).STATE_MACHINE_ARN);

/** The ARN the application's first execution has (its name is the application id). */
export const firstExecutionArn = (applicationId: string) =>
  executionArnFor(machineArn(), executionNames.first(applicationId));

export async function resumeTask(token: string, output: unknown): Promise<void> {
  await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
}

/** Fails a waiting task with a named error the state machine catches (e.g. DeadlinePassed, Withdrawn). */
export async function failTask(token: string, error: string, cause: string): Promise<void> {
  await sfn().send(new SendTaskFailureCommand({ taskToken: token, error, cause }));
}

/** Whether an execution is still running (and so still waiting on its tokens). */
export async function isExecutionRunning(executionArn: string | undefined): Promise<boolean> {
  if (!executionArn) return false;
  try {
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING';
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return false;
    throw error;
  }
}
