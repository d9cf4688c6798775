import { Duration, Stack } from 'aws-cdk-lib';
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
  Map as MapState,
  Parallel,
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
const THROTTLING_RETRY = { errors: THROTTLING, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 };

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
const STEP_TIMEOUT = Timeout.duration(Duration.seconds(60));

/** AwaitAmendment's backstop: longer than a call's whole submission window (the 2024 call's is 38 days). */
const AWAIT_AMENDMENT_TIMEOUT = Duration.days(60);

/**
 * A staff task's backstop. Staff tasks never expire by themselves (the sweep reminds, daily once
 * overdue, and copies the department head) and a paper copy ends with its grace period, so this
 * only catches a sweep that never comes. Locally clamped to what setTimeout can hold (~24.8 days).
 */
const STAFF_TASK_TIMEOUT = Duration.days(90);

/**
 * The waits of the expert review and the award: released by call-level steps (the round, the
 * confirmed award) or staff, and by the sweep for experts at the review deadline. A backstop only.
 */
const REVIEW_WAIT_TIMEOUT = Duration.days(180);

const applicationId = JsonPath.stringAt('$.applicationId');

/** Named after the stack, so two stacks (stages, or two calls) can live in one account and region. */
export const applicationStateMachineName = (scope: Construct) => `${Stack.of(scope).stackName}-application`;

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
    const withdrawn = new Succeed(this, 'Withdrawn', {
      comment: 'The unit withdrew the application; its slot is free again.',
    });
    const rejected = new Succeed(this, 'Rejected', {
      comment: 'Not accepted (or excluded by a review); the unit was told why.',
    });
    const workflowFailed = new Fail(this, 'WorkflowFailed', {
      error: 'WorkflowFailed',
      cause: 'A step failed after its retries; see the application failure record.',
    });

    const recordFailure = new LambdaInvoke(this, 'RecordFailure', {
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

    /** Retries transient faults (inside a Parallel branch that is all: the Parallel catches). */
    const retried = <T extends TaskStateBase & INextable>(task: T): T => {
      task.addRetry(THROTTLING_RETRY);
      task.addRetry(INVOCATION_FAULT_RETRY);
      task.addRetry(EMAIL_IN_FLIGHT_RETRY);
      return task;
    };
    /** Retries transient faults, sends a withdrawal to its outcome, and records anything else as a failed stage. */
    const guarded = <T extends TaskStateBase & INextable>(task: T, stage: string): T => {
      retried(task);
      task.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
      task.addCatch(
        new Pass(this, `${stage}Failed`, { result: Result.fromString(stage), resultPath: '$.failedStage' }).next(
          recordFailure,
        ),
        {
          errors: ['States.ALL'],
          resultPath: '$.failure',
        },
      );
      return task;
    };

    const sendReceipt = guarded(
      new LambdaInvoke(this, 'SendReceipt', {
        lambdaFunction: fns.sendReceipt,
        // The execution names itself on the record: the submission only asked Step Functions to start it.
        payload: TaskInput.fromObject({ applicationId, executionArn: JsonPath.executionId }),
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
        resultSelector: {
          'passed.$': '$.Payload.passed',
          'reasons.$': '$.Payload.reasons',
          'version.$': '$.Payload.version',
        },
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
      // The deadline sweep (every minute) is what ends this wait: at the online deadline it fails the
      // task with DeadlinePassed. The timeout is only a backstop for a sweep that never comes, so it
      // is longer than the whole submission window (2024: 08-18 → 09-25) and never fires before the
      // deadline. Locally the Step Functions server clamps it to what setTimeout can hold (~24.8 days).
      taskTimeout: Timeout.duration(AWAIT_AMENDMENT_TIMEOUT),
    });
    // Throttling only: a retry invokes return-for-correction again, which opens the same task by id
    // (harmless), but a States.Timeout here means the backstop ran out and must not start a new wait.
    awaitAmendment.addRetry(THROTTLING_RETRY);
    awaitAmendment.addCatch(rejectAfterDeadline, { errors: ['DeadlinePassed'], resultPath: '$.failure' });
    // Amended between the check and the return: check the new form instead of returning the old reasons.
    awaitAmendment.addCatch(formalCheck, { errors: ['FormChanged'], resultPath: '$.failure' });
    awaitAmendment.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
    awaitAmendment.addCatch(
      new Pass(this, 'AwaitAmendmentFailed', {
        result: Result.fromString('AwaitAmendment'),
        resultPath: '$.failedStage',
      }).next(recordFailure),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );
    awaitAmendment.next(formalCheck);

    // ---- Staff formal review (形式审查) and paper copy (纸质材料), side by side; both must succeed.
    const recordOutcome = (id: string, outcomeName: string, extra: Record<string, unknown>) =>
      new LambdaInvoke(this, id, {
        lambdaFunction: fns.recordReviewOutcome,
        payload: TaskInput.fromObject({ applicationId, outcome: outcomeName, ...extra }),
        resultPath: JsonPath.DISCARD,
        taskTimeout: STEP_TIMEOUT,
      });
    const outcome = (id: string, outcomeName: string, extra: Record<string, unknown> = {}) =>
      guarded(recordOutcome(id, outcomeName, extra), id);
    const outcomeInBranch = (id: string, outcomeName: string, extra: Record<string, unknown> = {}) =>
      retried(recordOutcome(id, outcomeName, extra));
    /** A staff task the workflow waits on until its link is answered (or the sweep ends it). */
    const staffTask = (id: string, kind: 'formal-review' | 'paper-copy' | 'target-review') => {
      const task = new LambdaInvoke(this, id, {
        lambdaFunction: fns.openLinkTask,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ applicationId, kind, taskToken: JsonPath.taskToken }),
        resultPath: '$.answer',
        taskTimeout: Timeout.duration(STAFF_TASK_TIMEOUT),
      });
      // Throttling only: opening the task again is harmless (same id), but a timeout must not re-wait.
      task.addRetry(THROTTLING_RETRY);
      return task;
    };
    const answeredTask = JsonPath.stringAt('$.answer.taskId');

    const formalReviewBranch = staffTask('StaffFormalReview', 'formal-review').next(
      outcomeInBranch('RecordFormalReview', 'formal-review-passed', { taskId: answeredTask }),
    );
    const paperCopyBranch = staffTask('PaperCopy', 'paper-copy').next(
      outcomeInBranch('RecordPaperCopy', 'paper-copy-received', { taskId: answeredTask }),
    );
    const staffReview = new Parallel(this, 'StaffReviewAndPaperCopy', {
      comment: 'Staff formal review and the stamped paper copy, side by side: both must succeed.',
      resultPath: JsonPath.DISCARD,
    })
      .branch(formalReviewBranch)
      .branch(paperCopyBranch);

    const caughtFailure = JsonPath.objectAt('$.failure');
    const recordStaffReturn = outcome('RecordStaffReturn', 'returned-by-staff', { failure: caughtFailure });
    staffReview.addCatch(recordStaffReturn, { errors: ['ReturnedByStaff'], resultPath: '$.failure' });
    staffReview.addCatch(
      outcome('RejectAfterFormalReview', 'rejected-by-staff', { failure: caughtFailure }).next(rejected),
      {
        errors: ['RejectedByStaff'],
        resultPath: '$.failure',
      },
    );
    staffReview.addCatch(
      outcome('RejectWithoutPaperCopy', 'paper-copy-missing', { failure: caughtFailure }).next(rejected),
      {
        errors: ['PaperCopyMissing'],
        resultPath: '$.failure',
      },
    );
    staffReview.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
    staffReview.addCatch(
      new Pass(this, 'StaffReviewFailed', {
        result: Result.fromString('StaffReviewAndPaperCopy'),
        resultPath: '$.failedStage',
      }).next(recordFailure),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );

    // ---- Performance-target review (绩效目标审核): a fail excludes the application.
    const targetReview = staffTask('TargetReview', 'target-review');
    targetReview.addCatch(
      outcome('ExcludeAfterTargetReview', 'targets-failed', { failure: caughtFailure }).next(rejected),
      {
        errors: ['TargetsFailed'],
        resultPath: '$.failure',
      },
    );
    targetReview.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
    targetReview.addCatch(
      new Pass(this, 'TargetReviewFailed', {
        result: Result.fromString('TargetReview'),
        resultPath: '$.failedStage',
      }).next(recordFailure),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );
    // ---- Expert review (专家评审): wait for the call's round, then the experts' Map until at least 3
    // valid scores (staff top up a short panel), then the award (立项) as the department head confirms it.
    const reviewWait = (id: string, kind: 'expert-assignment' | 'review-top-up' | 'award-decision') => {
      const task = new LambdaInvoke(this, id, {
        lambdaFunction: fns.openReviewWait,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ applicationId, kind, taskToken: JsonPath.taskToken }),
        resultPath: JsonPath.DISCARD,
        taskTimeout: Timeout.duration(REVIEW_WAIT_TIMEOUT),
      });
      task.addRetry(THROTTLING_RETRY);
      task.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
      task.addCatch(
        new Pass(this, `${id}Failed`, { result: Result.fromString(id), resultPath: '$.failedStage' }).next(
          recordFailure,
        ),
        {
          errors: ['States.ALL'],
          resultPath: '$.failure',
        },
      );
      return task;
    };
    const awaitExpertAssignment = reviewWait('AwaitExpertAssignment', 'expert-assignment');
    const collectScores = guarded(
      new LambdaInvoke(this, 'CollectScores', {
        lambdaFunction: fns.collectScores,
        payload: TaskInput.fromObject({ applicationId }),
        resultSelector: { 'next.$': '$.Payload.next', 'taskIds.$': '$.Payload.taskIds' },
        resultPath: '$.scoring',
        taskTimeout: STEP_TIMEOUT,
      }),
      'CollectScores',
    );
    // One expert's review: opened with the round (the expert's email links to it), waited on here.
    const expertReview = new LambdaInvoke(this, 'ExpertReview', {
      lambdaFunction: fns.openExpertReview,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        applicationId,
        taskId: JsonPath.stringAt('$.taskId'),
        taskToken: JsonPath.taskToken,
      }),
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(REVIEW_WAIT_TIMEOUT),
    });
    expertReview.addRetry(THROTTLING_RETRY);
    const expertReviews = new MapState(this, 'ExpertReviews', {
      comment:
        'Each open expert task of the application, side by side, until each is scored, declined, conflicted or past the deadline.',
      itemsPath: '$.scoring.taskIds',
      itemSelector: { 'applicationId.$': '$.applicationId', 'taskId.$': '$$.Map.Item.Value' },
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(expertReview);
    expertReviews.addCatch(withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
    expertReviews.addCatch(
      new Pass(this, 'ExpertReviewsFailed', {
        result: Result.fromString('ExpertReviews'),
        resultPath: '$.failedStage',
      }).next(recordFailure),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );
    const awaitReviewTopUp = reviewWait('AwaitReviewTopUp', 'review-top-up');
    const awaitAwardDecision = reviewWait('AwaitAwardDecision', 'award-decision');
    const recordAward = guarded(
      new LambdaInvoke(this, 'RecordAward', {
        lambdaFunction: fns.recordAward,
        payload: TaskInput.fromObject({ applicationId }),
        resultSelector: { 'awarded.$': '$.Payload.awarded' },
        resultPath: '$.award',
        taskTimeout: STEP_TIMEOUT,
      }),
      'RecordAward',
    );
    const awarded = new Succeed(this, 'Awarded', { comment: 'Funded: the unit was told its amount, score and rank.' });
    const notAwarded = new Succeed(this, 'NotAwarded', {
      comment: "Scored but not within its type's quota: the unit was told its score and rank.",
    });

    staffReview
      .next(outcome('AdvanceToTargetReview', 'ready-for-target-review'))
      .next(targetReview)
      .next(outcome('MarkReadyForExpertReview', 'targets-passed', { taskId: answeredTask }))
      .next(awaitExpertAssignment)
      .next(collectScores)
      .next(
        new Choice(this, 'ScoresComplete?')
          .when(Condition.stringEquals('$.scoring.next', 'review'), expertReviews.next(collectScores))
          .when(Condition.stringEquals('$.scoring.next', 'short'), awaitReviewTopUp.next(collectScores))
          .otherwise(awaitAwardDecision),
      );
    awaitAwardDecision
      .next(recordAward)
      .next(
        new Choice(this, 'Awarded?')
          .when(Condition.booleanEquals('$.award.awarded', true), awarded)
          .otherwise(notAwarded),
      );

    const checkPassed = new Choice(this, 'PassedFormalCheck?')
      .when(Condition.booleanEquals('$.formalCheck.passed', true), staffReview)
      .otherwise(awaitAmendment);
    // A staff return parks on the same wait for the unit's amendment, with the staff's reasons.
    recordStaffReturn.next(awaitAmendment);

    // Re-entrant: a re-driven or resumed execution starts at the stage its application records.
    const resumeAt = (stage: string) =>
      Condition.and(Condition.isPresent('$.resumeFrom'), Condition.stringEquals('$.resumeFrom', stage));
    const resume = new Choice(this, 'ResumeAtStage')
      .when(resumeAt('FormalCheck'), formalCheck)
      .when(resumeAt('Correction'), awaitAmendment)
      .when(resumeAt('StaffReview'), staffReview)
      .when(resumeAt('TargetReview'), targetReview)
      .when(resumeAt('ExpertAssignment'), awaitExpertAssignment)
      .when(resumeAt('ExpertReview'), collectScores)
      .when(resumeAt('AwardDecision'), awaitAwardDecision)
      .otherwise(sendReceipt);
    sendReceipt.next(formalCheck);
    formalCheck.next(checkPassed);

    const definition: IChainable = resume;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      // Named after the stack, so two stacks (stages, or two calls) can live in one account and region.
      stateMachineName: applicationStateMachineName(this),
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.days(365),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'ExecutionLogs', { retention: RetentionDays.SIX_MONTHS }),
        // Every event (cdk-nag AwsSolutions-SF1), so an execution's history outlives Step Functions' own 90 days;
        // without its data (inputs and outputs hold applicants' details), which stays in the table.
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
  }
}
