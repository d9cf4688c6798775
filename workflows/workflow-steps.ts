import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Fail,
  JsonPath,
  Pass,
  Result,
  Succeed,
  TaskInput,
  Timeout,
  type INextable,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

export interface ApplicationWorkflowFunctions {
  sendReceipt: IFunction;
  formalCheck: IFunction;
  returnForCorrection: IFunction;
  recordRejection: IFunction;
  recordFailure: IFunction;
  openLinkTask: IFunction;
  recordReviewOutcome: IFunction;
  openReviewWait: IFunction;
  openExpertReview: IFunction;
  collectScores: IFunction;
  recordAward: IFunction;
}

/**
 * Errors a Lambda can raise when it is throttled, or whose throttled AWS calls ran out of the SDK's
 * own retries. SES v1 (@aws-sdk/client-ses) models no throttling error: a throttled send fails with
 * the service's error code as its name, `Throttling` ("Maximum sending rate exceeded"), so that name
 * is listed besides the `ThrottlingException` other services use.
 */
const THROTTLING = [
  'Lambda.TooManyRequestsException',
  'Throttling',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'TooManyRequestsException',
];
export const THROTTLING_RETRY = { errors: THROTTLING, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 };

/**
 * Faults of the invocation rather than of the step: the Lambda crashed or ran out of memory
 * (`Lambda.Unknown`), hit its own timeout (`Sandbox.Timedout`), or the task its TimeoutSeconds
 * (`States.Timeout`). Safe to retry because every step is idempotent: its writes are conditional or
 * once-only, and each email is sent once per key. (`LambdaInvoke` already retries
 * `Lambda.ClientExecutionTimeoutException`, `Lambda.ServiceException`, `Lambda.AWSLambdaException`
 * and `Lambda.SdkClientException` with its own default retrier, which comes first.)
 */
const INVOCATION_FAULTS = ['Lambda.Unknown', 'Sandbox.Timedout', 'States.Timeout'];
const INVOCATION_FAULT_RETRY = {
  errors: INVOCATION_FAULTS,
  interval: Duration.seconds(5),
  maxAttempts: 3,
  backoffRate: 2,
};

/**
 * An email another (crashed or timed-out) attempt claimed and may or may not have sent: its claim
 * goes stale after a minute (Lambdas stop at 29 s), so retrying past that sends it or finds it sent.
 */
const EMAIL_IN_FLIGHT_RETRY = {
  errors: ['EmailInFlight'],
  interval: Duration.seconds(30),
  maxAttempts: 4,
  backoffRate: 1.5,
};

/** An automatic step is short; locally a Task without a timeout dies after 60 s, so every one gets one. */
export const STEP_TIMEOUT = Timeout.duration(Duration.seconds(60));

/** AwaitAmendment's backstop: longer than a call's whole submission window (the 2024 call's is 38 days). */
export const AWAIT_AMENDMENT_TIMEOUT = Duration.days(60);

/**
 * A staff task's backstop. Staff tasks never expire by themselves (the sweep reminds, daily once
 * overdue, and copies the department head) and a paper copy ends with its grace period, so this
 * only catches a sweep that never comes. Locally clamped to what setTimeout can hold (~24.8 days).
 */
export const STAFF_TASK_TIMEOUT = Duration.days(90);

/**
 * The waits of the expert review and the award: released by call-level steps (the round, the
 * confirmed award) or staff, and by the sweep for experts at the review deadline. A backstop only.
 */
export const REVIEW_WAIT_TIMEOUT = Duration.days(180);

export const applicationId = JsonPath.stringAt('$.applicationId');
/** The staff task a link answered, so the recorded outcome names the task it came from. */
export const answeredTask = JsonPath.stringAt('$.answer.taskId');
/** What a stage caught, so the recorded outcome keeps the staff's reasons. */
export const caughtFailure = JsonPath.objectAt('$.failure');

/**
 * What every stage ends on besides its own next stage: a withdrawal, a rejection, or the failure
 * record. Every state is built in the workflow's own scope, so its name is its id in the definition.
 */
export interface Steps {
  scope: Construct;
  fns: ApplicationWorkflowFunctions;
  withdrawn: Succeed;
  rejected: Succeed;
  recordFailure: LambdaInvoke;
}

export function workflowEnds(scope: Construct, fns: ApplicationWorkflowFunctions): Steps {
  const withdrawn = new Succeed(scope, 'Withdrawn', {
    comment: 'The unit withdrew the application; its slot is free again.',
  });
  const rejected = new Succeed(scope, 'Rejected', {
    comment: 'Not accepted (or excluded by a review); the unit was told why.',
  });
  const workflowFailed = new Fail(scope, 'WorkflowFailed', {
    error: 'WorkflowFailed',
    cause: 'A step failed after its retries; see the application failure record.',
  });

  const recordFailure = new LambdaInvoke(scope, 'RecordFailure', {
    lambdaFunction: fns.recordFailure,
    payload: TaskInput.fromObject({
      applicationId,
      stage: JsonPath.stringAt('$.failedStage'),
      execution: JsonPath.stringAt('$$.Execution.Name'),
      error: JsonPath.objectAt('$.failure'),
    }),
    resultPath: JsonPath.DISCARD,
    taskTimeout: STEP_TIMEOUT,
  });
  // Recording is once per execution and stage, so a retry after a write that did happen is harmless.
  recordFailure.addRetry(THROTTLING_RETRY);
  recordFailure.addRetry(INVOCATION_FAULT_RETRY);
  recordFailure.next(workflowFailed);
  return { scope, fns, withdrawn, rejected, recordFailure };
}

/** Names the stage that failed on the way to the failure record, which keeps it for the re-drive. */
export const failedStage = (steps: Steps, stage: string, id = `${stage}Failed`) =>
  new Pass(steps.scope, id, { result: Result.fromString(stage), resultPath: '$.failedStage' }).next(
    steps.recordFailure,
  );

/** Retries transient faults (inside a Parallel branch that is all: the Parallel catches). */
export const retried = <T extends TaskStateBase & INextable>(task: T): T => {
  task.addRetry(THROTTLING_RETRY);
  task.addRetry(INVOCATION_FAULT_RETRY);
  task.addRetry(EMAIL_IN_FLIGHT_RETRY);
  return task;
};

/** Retries transient faults, sends a withdrawal to its outcome, and records anything else as a failed stage. */
export const guarded = <T extends TaskStateBase & INextable>(steps: Steps, task: T, stage: string): T => {
  retried(task);
  task.addCatch(steps.withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
  task.addCatch(failedStage(steps, stage), {
    errors: ['States.ALL'],
    resultPath: '$.failure',
  });
  return task;
};

const recordOutcome = (steps: Steps, id: string, outcomeName: string, extra: Record<string, unknown>) =>
  new LambdaInvoke(steps.scope, id, {
    lambdaFunction: steps.fns.recordReviewOutcome,
    payload: TaskInput.fromObject({ applicationId, outcome: outcomeName, ...extra }),
    resultPath: JsonPath.DISCARD,
    taskTimeout: STEP_TIMEOUT,
  });

/** A review's outcome as a step of its own, so a failure to record it is named as its stage. */
export const outcome = (steps: Steps, id: string, outcomeName: string, extra: Record<string, unknown> = {}) =>
  guarded(steps, recordOutcome(steps, id, outcomeName, extra), id);

/** A review's outcome inside a Parallel branch: it only retries, since the Parallel catches for it. */
export const outcomeInBranch = (steps: Steps, id: string, outcomeName: string, extra: Record<string, unknown> = {}) =>
  retried(recordOutcome(steps, id, outcomeName, extra));
