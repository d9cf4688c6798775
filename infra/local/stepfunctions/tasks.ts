/**
 * The local handlers of Task states: every Lambda task calls `invokeFunction` instead of Lambda, and
 * a `.waitForTaskToken` task is held open until SendTaskSuccess/Failure answers one of its tokens.
 */
import { randomUUID } from 'node:crypto';
import type { TaskStateInfo } from '../state-machine-template';
import { lambdaFunctionError, releasedError, TaskError, unrecoverableError } from './errors';
import { pushTaskSubmitted } from './history';
import { taskTimeoutSeconds } from './timeouts';
import type { TaskTokens } from './tokens';
import type {
  Execution,
  JsonObject,
  JsonValue,
  LocalHandlers,
  LocalStepFunctionsOptions,
  Log,
  MachineEntry,
  OpenTask,
  TaskAttempt,
} from './types';
import { appendTo, isObject, jsonClone } from './util';

/** A Lambda task's call, from the Parameters its state built. */
function lambdaParams(
  task: TaskStateInfo,
  input: JsonValue,
): { functionName: string; payload: unknown; params: JsonObject } {
  const params = isObject(input) ? input : {};
  const functionName = params.FunctionName;
  if (typeof functionName !== 'string' || functionName.length === 0) {
    throw new TaskError(
      'Lambda.InvalidParameterValueException',
      `Task "${task.stateName}": Parameters.FunctionName is missing`,
    );
  }
  return { functionName, payload: params.Payload ?? {}, params };
}

function invokeMetadata(): JsonObject {
  return {
    SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: randomUUID() },
  };
}

export class TaskRunner {
  constructor(
    private readonly tokens: TaskTokens,
    private readonly invokeFunction: LocalStepFunctionsOptions['invokeFunction'],
    private readonly log: Log,
  ) {}

  /** The local handler of every Task state of `machine`, for one execution. */
  handlersFor(exec: Execution, machine: MachineEntry): LocalHandlers {
    const handlers: LocalHandlers = {};
    for (const task of machine.tasks.values())
      handlers[task.stateName] = (taskInput) => this.runTask(exec, task, taskInput);
    return handlers;
  }

  /**
   * The local handler of one Task state run. Everything before the first await is synchronous on
   * purpose: it pairs this call with the token(s) its Parameters just generated and with the
   * StateEntered/StateRetried event the history mapper will read.
   */
  private runTask(exec: Execution, task: TaskStateInfo, input: JsonValue): Promise<JsonValue> {
    const tokens = exec.freshTokens?.splice(0) ?? [];
    // After a stop the library may still retry a failed task once (its retry sleep ends on abort).
    if (exec.terminated) return Promise.reject(releasedError());
    const attempt: TaskAttempt = {
      stateName: task.stateName,
      task,
      parameters: input,
      hasSubmitted: false,
      entered: false,
      closed: false,
    };
    appendTo(exec.pendingAttempts, task.stateName, attempt);

    switch (task.integration) {
      case 'lambda:invoke':
        return this.invokeLambdaTask(exec, task, input, attempt);
      case 'lambda:invoke.waitForTaskToken':
        return this.waitForTaskToken(exec, task, input, attempt, tokens);
      case 'lambda-function':
        return this.invokeBareLambda(task, input, attempt);
      default:
        return Promise.reject(
          unrecoverableError(
            'Local.UnsupportedResource',
            `Task "${task.stateName}": resource ${task.resource} is not supported in local mode`,
          ),
        );
    }
  }

  private async invoke(functionName: string, payload: unknown): Promise<unknown> {
    // JSON round trips on both sides, as over the wire: handlers can neither share nor mutate state objects.
    return jsonClone(await this.invokeFunction(functionName, jsonClone(payload)));
  }

  /** `invoke`, failing as a Lambda function error does on AWS. */
  private async invokeAsTask(functionName: string, payload: unknown): Promise<unknown> {
    try {
      return await this.invoke(functionName, payload);
    } catch (e) {
      throw lambdaFunctionError(e);
    }
  }

  private async invokeLambdaTask(
    exec: Execution,
    task: TaskStateInfo,
    input: JsonValue,
    attempt: TaskAttempt,
  ): Promise<JsonValue> {
    const { functionName, payload, params } = lambdaParams(task, input);
    const metadata = invokeMetadata();
    let result: JsonObject;
    if (params.InvocationType === 'Event') {
      this.invoke(functionName, payload).catch((e: unknown) =>
        this.log(`[sfn] async invoke of ${functionName} failed: ${String(e)}`),
      );
      result = { Payload: '', StatusCode: 202, ...metadata };
    } else {
      this.log(`[sfn] ${exec.name}: ${task.stateName} → ${functionName}`);
      const value = await this.invokeAsTask(functionName, payload);
      result = { ExecutedVersion: '$LATEST', Payload: value, ...metadata, StatusCode: 200 };
    }
    attempt.result = result;
    return result as JsonValue;
  }

  private async invokeBareLambda(task: TaskStateInfo, input: JsonValue, attempt: TaskAttempt): Promise<JsonValue> {
    const value = await this.invokeAsTask(task.resource, input);
    attempt.result = value;
    return value as JsonValue;
  }

  private waitForTaskToken(
    exec: Execution,
    task: TaskStateInfo,
    input: JsonValue,
    attempt: TaskAttempt,
    tokens: string[],
  ): Promise<JsonValue> {
    let call: { functionName: string; payload: unknown };
    try {
      call = lambdaParams(task, input);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const { open, promise } = this.hold(exec, task, input, attempt, tokens);
    this.log(`[sfn] ${exec.name}: ${task.stateName} → ${call.functionName} (waiting for its task token)`);
    this.invoke(call.functionName, call.payload).then(
      (value) => {
        attempt.submitted = { ExecutedVersion: '$LATEST', Payload: value, StatusCode: 200 };
        attempt.hasSubmitted = true;
        if (attempt.entered && !attempt.closed) pushTaskSubmitted(exec, attempt);
      },
      (e: unknown) => {
        if (!exec.openTasks?.has(open)) return;
        this.tokens.close(open);
        open.reject(lambdaFunctionError(e));
      },
    );
    return promise;
  }

  /** Holds the task open under its tokens until answered, or until its timeout closes them. */
  private hold(
    exec: Execution,
    task: TaskStateInfo,
    input: JsonValue,
    attempt: TaskAttempt,
    tokens: string[],
  ): { open: OpenTask; promise: Promise<JsonValue> } {
    if (tokens.length === 0) {
      this.log(
        `[sfn] ${exec.name}: ${task.stateName} waits for a task token but its Parameters never read $$.Task.Token`,
      );
      tokens = [this.tokens.issue()];
    }
    let resolve!: (value: JsonValue) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<JsonValue>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const open: OpenTask = { tokens, exec, task, attempt, resolve, reject };
    this.tokens.hold(open);
    // Mirrors the library's own States.Timeout timer (same delay, armed just before it) so the token
    // stops being accepted at the moment the task times out.
    const timeout = taskTimeoutSeconds(task, input);
    if (timeout !== undefined) {
      open.timer = setTimeout(() => this.tokens.close(open), timeout * 1000);
      open.timer.unref();
    }
    return { open, promise };
  }
}
