import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  type INextable,
  type IChainable,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface ApplicationWorkflowFunctions {
  sendReceipt: IFunction;
  formalCheck: IFunction;
  returnForCorrection: IFunction;
  recordRejection: IFunction;
  recordFailure: IFunction;
}

/** Errors a Lambda can raise when it is throttled, or whose throttled AWS calls ran out of retries. */
const THROTTLING = ['Lambda.TooManyRequestsException', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'TooManyRequestsException'];

/** An automatic step is short; locally a Task without a timeout dies after 60 s, so every one gets one. */
const STEP_TIMEOUT = Timeout.duration(Duration.seconds(60));

const applicationId = JsonPath.stringAt('$.applicationId');

/**
 * One application's way through the call, read top to bottom like the notice's stages:
 * receipt → automatic formal check → (returned for correction ↺ until the online deadline) → …
 * The execution is named by the application id. Every step records its result on the application.
 */
export class ApplicationWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, fns: ApplicationWorkflowFunctions) {
    super(scope, id);

    // Outcomes
    const withdrawn = new Succeed(this, 'Withdrawn', { comment: 'The unit withdrew the application; its slot is free again.' });
    const rejected = new Succeed(this, 'Rejected', { comment: 'Not accepted; the unit was told why.' });
    const formalCheckPassed = new Succeed(this, 'FormalCheckPassed', { comment: 'Ready for the paper copy and staff review.' });
    const workflowFailed = new Fail(this, 'WorkflowFailed', { error: 'WorkflowFailed', cause: 'A step failed after its retries; see the application failure record.' });

    const recordFailure = new LambdaInvoke(this, 'RecordFailure', {
      lambdaFunction: fns.recordFailure,
      payload: TaskInput.fromObject({
        applicationId,
        stage: JsonPath.stringAt('$.failedStage'),
        error: JsonPath.objectAt('$.failure'),
      }),
      resultPath: JsonPath.DISCARD,
      taskTimeout: STEP_TIMEOUT,
    });
    recordFailure.addRetry({ errors: THROTTLING, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 });
    recordFailure.next(workflowFailed);

    /** Retries transient faults, sends a withdrawal to its outcome, and records anything else as a failed stage. */
    const guarded = <T extends TaskStateBase & INextable>(task: T, stage: string): T => {
      task.addRetry({ errors: THROTTLING, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 });
      task.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
      task.addCatch(
        new Pass(this, `${stage}Failed`, { result: Result.fromString(stage), resultPath: '$.failedStage' }).next(recordFailure),
        { errors: ['States.ALL'], resultPath: '$.failure' },
      );
      return task;
    };

    const sendReceipt = guarded(
      new LambdaInvoke(this, 'SendReceipt', {
        lambdaFunction: fns.sendReceipt,
        payload: TaskInput.fromObject({ applicationId }),
        resultSelector: { 'sent.$': '$.Payload.sent' },
        resultPath: '$.receipt',
        taskTimeout: STEP_TIMEOUT,
      }),
      'SendReceipt',
    );

    const formalCheck = guarded(
      new LambdaInvoke(this, 'FormalCheck', {
        lambdaFunction: fns.formalCheck,
        payload: TaskInput.fromObject({ applicationId }),
        resultSelector: { 'passed.$': '$.Payload.passed', 'reasons.$': '$.Payload.reasons', 'version.$': '$.Payload.version' },
        resultPath: '$.formalCheck',
        taskTimeout: STEP_TIMEOUT,
      }),
      'FormalCheck',
    );

    const rejectAfterDeadline = guarded(
      new LambdaInvoke(this, 'RejectAfterDeadline', {
        lambdaFunction: fns.recordRejection,
        payload: TaskInput.fromObject({ applicationId, reason: 'DeadlinePassed' }),
        resultPath: JsonPath.DISCARD,
        taskTimeout: STEP_TIMEOUT,
      }),
      'RejectAfterDeadline',
    ).next(rejected);

    // Waits for the unit's amendment (PUT /applications/{id} answers the task) or for the deadline
    // sweep, which fails the task with DeadlinePassed once the online deadline has gone.
    const awaitAmendment = new LambdaInvoke(this, 'AwaitAmendment', {
      lambdaFunction: fns.returnForCorrection,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ applicationId, taskToken: JsonPath.taskToken }),
      resultPath: '$.amendment',
      // A backstop only: the sweep ends the wait at the deadline. Kept under setTimeout's 24.8-day
      // limit, which the local runner would otherwise overflow; the sweep runs every minute on AWS.
      taskTimeout: Timeout.duration(Duration.days(24)),
    });
    awaitAmendment.addRetry({ errors: THROTTLING, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 });
    awaitAmendment.addCatch(rejectAfterDeadline, { errors: ['DeadlinePassed'], resultPath: '$.failure' });
    awaitAmendment.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
    awaitAmendment.addCatch(
      new Pass(this, 'AwaitAmendmentFailed', { result: Result.fromString('AwaitAmendment'), resultPath: '$.failedStage' }).next(recordFailure),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );
    awaitAmendment.next(formalCheck);

    const checkPassed = new Choice(this, 'PassedFormalCheck?')
      .when(Condition.booleanEquals('$.formalCheck.passed', true), formalCheckPassed)
      .otherwise(awaitAmendment);

    // Re-entrant: a re-driven execution can start from a later stage instead of repeating the receipt.
    const resume = new Choice(this, 'ResumeAtStage')
      .when(Condition.and(Condition.isPresent('$.resumeFrom'), Condition.stringEquals('$.resumeFrom', 'FormalCheck')), formalCheck)
      .otherwise(sendReceipt);
    sendReceipt.next(formalCheck);
    formalCheck.next(checkPassed);

    const definition: IChainable = resume;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: 'funding-call-application',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.days(365),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'ExecutionLogs', { retention: RetentionDays.SIX_MONTHS }),
        level: LogLevel.ERROR,
        includeExecutionData: false,
      },
    });
  }
}
