/** The errors of the local Step Functions endpoint: API errors in AWS's shapes, and the errors tasks fail with. */

export const CORAL_NS = 'com.amazon.coral.service';
const VALIDATE_NS = 'com.amazon.coral.validate';

/** An API error; `type` is the short name the SDK maps to its exception class. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly namespace = 'com.amazonaws.swf.service.model.v20160601',
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export function validationError(message: string): SfnApiError {
  return new SfnApiError('ValidationException', message, VALIDATE_NS);
}

export function invalidArn(arn: unknown): SfnApiError {
  return new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
}

export function invalidToken(): SfnApiError {
  return new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
}

/** An error a task fails with; `name` is what Retry/Catch match on. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * An error no Retry or Catch may act on. The library reads `isRetryable`/`isCatchable` (default
 * true), so without these flags a Retry or Catch would run states the execution cannot run.
 */
export function unrecoverableError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, isRetryable: false, isCatchable: false });
}

/** Ends a held task whose execution is already over (stopped, timed out, or its Map/Parallel failed). */
export function releasedError(): Error {
  return unrecoverableError('Local.TaskReleased', 'The execution no longer runs this task');
}

/** Lambda's function-error shape: Error is the error type, Cause the JSON the runtime reports. */
export function lambdaFunctionError(thrown: unknown): Error {
  const errorType = thrown instanceof Error ? thrown.name : 'Error';
  const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
  // Lambda service errors (Lambda.ServiceException, …) carry a plain message on AWS, not the runtime JSON.
  if (errorType.startsWith('Lambda.')) return new TaskError(errorType, errorMessage);
  const trace = thrown instanceof Error && thrown.stack ? thrown.stack.split('\n') : [];
  return new TaskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}
