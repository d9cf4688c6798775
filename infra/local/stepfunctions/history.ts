/**
 * An execution's history in AWS's event shapes: appending events, the events of a Task's runs
 * (scheduled, started, submitted, succeeded, failed, timed out), and rendering them for the API.
 */
import type { TaskStateInfo } from '../state-machine-template';
import { MAX_TIMER_SECONDS, taskTimeoutSeconds } from './timeouts';
import type { Execution, HistoryEvent, JsonObject, JsonValue, TaskAttempt } from './types';
import { appendTo, causeText, isObject, seconds } from './util';

const TERMINAL_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

interface TaskEventNames {
  scheduled: string;
  started: string;
  succeeded: string;
  failed: string;
  timedOut: string;
  prefix: 'task' | 'lambdaFunction';
}

const LAMBDA_FUNCTION_EVENTS: TaskEventNames = {
  scheduled: 'LambdaFunctionScheduled',
  started: 'LambdaFunctionStarted',
  succeeded: 'LambdaFunctionSucceeded',
  failed: 'LambdaFunctionFailed',
  timedOut: 'LambdaFunctionTimedOut',
  prefix: 'lambdaFunction',
};

const TASK_EVENTS: TaskEventNames = {
  scheduled: 'TaskScheduled',
  started: 'TaskStarted',
  succeeded: 'TaskSucceeded',
  failed: 'TaskFailed',
  timedOut: 'TaskTimedOut',
  prefix: 'task',
};

export function push(exec: Execution, type: string, details?: JsonObject, timestamp = Date.now()): void {
  // Nothing follows the execution's last event (a late TaskSubmitted, a released task's failure).
  const last = exec.history[exec.history.length - 1];
  if (last && TERMINAL_EVENTS.has(last.type)) return;
  const id = exec.history.length + 1;
  exec.history.push({ timestamp, type, id, previousEventId: id - 1, ...details });
}

export function errorDetails(error: unknown, cause: unknown): JsonObject {
  const details: JsonObject = {};
  if (typeof error === 'string' && error.length > 0) details.error = error;
  const text = causeText(cause);
  if (text !== undefined && text.length > 0) details.cause = text;
  return details;
}

/** `{output, outputDetails}` of an event that carries a value. */
export function outputDetails(value: unknown): JsonObject {
  return { output: JSON.stringify(value ?? null), outputDetails: { truncated: false } };
}

/** `{input, inputDetails}` of an event that carries a value. */
export function inputDetails(input: string): JsonObject {
  return { input, inputDetails: { truncated: false } };
}

/** An event for the API: epoch seconds, and without input/output when `includeData` is false. */
export function renderEvent(event: HistoryEvent, includeData: boolean): JsonObject {
  const out: JsonObject = { ...event, timestamp: seconds(event.timestamp) };
  if (!includeData) {
    for (const [key, value] of Object.entries(out)) {
      if (key.endsWith('EventDetails') && isObject(value)) {
        const { input: _input, output: _output, ...rest } = value;
        out[key] = rest;
      }
    }
  }
  return out;
}

function taskEventNames(task: TaskStateInfo): TaskEventNames {
  return task.integration === 'lambda-function' ? LAMBDA_FUNCTION_EVENTS : TASK_EVENTS;
}

function resourceParts(task: TaskStateInfo): { resourceType: string; resource: string } {
  switch (task.integration) {
    case 'lambda:invoke':
      return { resourceType: 'lambda', resource: 'invoke' };
    case 'lambda:invoke.waitForTaskToken':
      return { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    default: {
      // arn:aws:states:::service:action(.pattern) → service / action(.pattern), as AWS shows it
      const m = /^arn:[^:]+:states:::([^:]+):(.+)$/.exec(task.resource);
      return m ? { resourceType: m[1], resource: m[2] } : { resourceType: 'lambda', resource: task.resource };
    }
  }
}

/** A task run begins (StateEntered or StateRetried): pair it with the handler call it caused. */
export function beginAttempt(exec: Execution, stateName: string, key: string, timestamp: number): void {
  const attempt = exec.pendingAttempts?.get(stateName)?.shift();
  if (!attempt) return; // its Parameters failed to evaluate, so no resource was called
  attempt.entered = true;
  appendTo(exec.activeAttempts, key, attempt);
  if (taskEventNames(attempt.task).prefix === 'lambdaFunction') pushLambdaFunctionStart(exec, attempt, timestamp);
  else pushTaskStart(exec, attempt, timestamp);
  if (attempt.hasSubmitted) pushTaskSubmitted(exec, attempt);
}

function pushLambdaFunctionStart(exec: Execution, attempt: TaskAttempt, timestamp: number): void {
  const details: JsonObject = { resource: attempt.task.resource, ...inputDetails(JSON.stringify(attempt.parameters)) };
  if (attempt.task.timeoutSeconds !== undefined) details.timeoutInSeconds = attempt.task.timeoutSeconds;
  push(exec, LAMBDA_FUNCTION_EVENTS.scheduled, { lambdaFunctionScheduledEventDetails: details }, timestamp);
  push(exec, LAMBDA_FUNCTION_EVENTS.started, undefined, timestamp);
}

function pushTaskStart(exec: Execution, attempt: TaskAttempt, timestamp: number): void {
  const { resourceType, resource } = resourceParts(attempt.task);
  const scheduled: JsonObject = {
    resourceType,
    resource,
    region: exec.machine?.region ?? '',
    parameters: JSON.stringify(attempt.parameters),
  };
  const timeout = taskTimeoutSeconds(attempt.task, attempt.parameters as JsonValue);
  // MAX_TIMER_SECONDS is our stand-in for "no timeout" (or a longer one), not something the definition said.
  if (timeout !== undefined && timeout < MAX_TIMER_SECONDS) scheduled.timeoutInSeconds = timeout;
  if (attempt.task.heartbeatSeconds !== undefined) scheduled.heartbeatInSeconds = attempt.task.heartbeatSeconds;
  push(exec, TASK_EVENTS.scheduled, { taskScheduledEventDetails: scheduled }, timestamp);
  push(exec, TASK_EVENTS.started, { taskStartedEventDetails: { resourceType, resource } }, timestamp);
}

export function pushTaskSubmitted(exec: Execution, attempt: TaskAttempt): void {
  const { resourceType, resource } = resourceParts(attempt.task);
  push(exec, 'TaskSubmitted', {
    taskSubmittedEventDetails: { resourceType, resource, ...outputDetails(attempt.submitted) },
  });
}

/** The task run that ends now (the oldest still active under `key`), marked closed. */
export function takeActive(exec: Execution, key: string): TaskAttempt | undefined {
  const active = exec.activeAttempts?.get(key);
  const attempt = active?.shift();
  if (active && active.length === 0) exec.activeAttempts?.delete(key);
  if (attempt) attempt.closed = true;
  return attempt;
}

/** A task run's failure: TaskFailed/TaskTimedOut (or the LambdaFunction… events of a bare Lambda ARN). */
export function pushTaskFailure(
  exec: Execution,
  task: TaskStateInfo,
  error: string,
  cause: unknown,
  timestamp: number,
): void {
  const names = taskEventNames(task);
  const timedOut = error === 'States.Timeout';
  const details = errorDetails(error, cause);
  const type = timedOut ? names.timedOut : names.failed;
  const field = `${names.prefix}${timedOut ? 'TimedOut' : 'Failed'}EventDetails`;
  push(
    exec,
    type,
    { [field]: names.prefix === 'lambdaFunction' ? details : { ...resourceParts(task), ...details } },
    timestamp,
  );
}

/** A task run's success, with the result its resource returned. */
export function pushTaskSuccess(exec: Execution, attempt: TaskAttempt, timestamp: number): void {
  const names = taskEventNames(attempt.task);
  const output = outputDetails(attempt.result);
  const details = names.prefix === 'lambdaFunction' ? output : { ...resourceParts(attempt.task), ...output };
  push(exec, names.succeeded, { [`${names.prefix}SucceededEventDetails`]: details }, timestamp);
}
