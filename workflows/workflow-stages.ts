import {
  Choice,
  Condition,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Parallel,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import {
  answeredTask,
  applicationId,
  AWAIT_AMENDMENT_TIMEOUT,
  caughtFailure,
  failedStage,
  guarded,
  outcome,
  outcomeInBranch,
  REVIEW_WAIT_TIMEOUT,
  STAFF_TASK_TIMEOUT,
  STEP_TIMEOUT,
  THROTTLING_RETRY,
  type Steps,
} from './workflow-steps';

// Each stage builds its states and the ways out of them that it owns; application-workflow.ts joins
// the stages. The synthesized definition lists the states as CDK walks the graph, which follows the
// order they were built and linked in: reordering the steps here rewrites the template.

/** Receipt, then the automatic formal check, which the unit's amendment re-enters. */
export function submissionAndCheck(steps: Steps) {
  const { scope, fns } = steps;
  const sendReceipt = guarded(
    steps,
    new LambdaInvoke(scope, 'SendReceipt', {
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
    steps,
    new LambdaInvoke(scope, 'FormalCheck', {
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
  const awaitAmendment = correction(steps, formalCheck);
  return { sendReceipt, formalCheck, awaitAmendment };
}

/**
 * Waits for the unit's amendment (PUT /applications/{id} answers the task) or for the deadline
 * sweep, which fails the task with DeadlinePassed once the online deadline has gone.
 */
function correction(steps: Steps, formalCheck: LambdaInvoke) {
  const { scope, fns } = steps;
  const rejectAfterDeadline = guarded(
    steps,
    new LambdaInvoke(scope, 'RejectAfterDeadline', {
      lambdaFunction: fns.recordRejection,
      payload: TaskInput.fromObject({ applicationId, reason: 'DeadlinePassed' }),
      resultPath: JsonPath.DISCARD,
      taskTimeout: STEP_TIMEOUT,
    }),
    'RejectAfterDeadline',
  ).next(steps.rejected);

  const awaitAmendment = new LambdaInvoke(scope, 'AwaitAmendment', {
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
  awaitAmendment.addCatch(steps.withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
  awaitAmendment.addCatch(failedStage(steps, 'AwaitAmendment'), { errors: ['States.ALL'], resultPath: '$.failure' });
  awaitAmendment.next(formalCheck);
  return awaitAmendment;
}

/** A staff task the workflow waits on until its link is answered (or the sweep ends it). */
function staffTask(steps: Steps, id: string, kind: 'formal-review' | 'paper-copy' | 'target-review') {
  const task = new LambdaInvoke(steps.scope, id, {
    lambdaFunction: steps.fns.openLinkTask,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({ applicationId, kind, taskToken: JsonPath.taskToken }),
    resultPath: '$.answer',
    taskTimeout: Timeout.duration(STAFF_TASK_TIMEOUT),
  });
  // Throttling only: opening the task again is harmless (same id), but a timeout must not re-wait.
  task.addRetry(THROTTLING_RETRY);
  return task;
}

/**
 * Staff formal review (形式审查) and the paper copy (纸质材料), side by side; both must succeed.
 * A staff return comes out as `recordStaffReturn`, which the caller sends back to the amendment wait.
 */
export function staffReviewAndPaperCopy(steps: Steps) {
  const formalReviewBranch = staffTask(steps, 'StaffFormalReview', 'formal-review').next(
    outcomeInBranch(steps, 'RecordFormalReview', 'formal-review-passed', { taskId: answeredTask }),
  );
  const paperCopyBranch = staffTask(steps, 'PaperCopy', 'paper-copy').next(
    outcomeInBranch(steps, 'RecordPaperCopy', 'paper-copy-received', { taskId: answeredTask }),
  );
  const staffReview = new Parallel(steps.scope, 'StaffReviewAndPaperCopy', {
    comment: 'Staff formal review and the stamped paper copy, side by side: both must succeed.',
    resultPath: JsonPath.DISCARD,
  })
    .branch(formalReviewBranch)
    .branch(paperCopyBranch);

  const recordStaffReturn = outcome(steps, 'RecordStaffReturn', 'returned-by-staff', { failure: caughtFailure });
  staffReview.addCatch(recordStaffReturn, { errors: ['ReturnedByStaff'], resultPath: '$.failure' });
  staffReview.addCatch(
    outcome(steps, 'RejectAfterFormalReview', 'rejected-by-staff', { failure: caughtFailure }).next(steps.rejected),
    { errors: ['RejectedByStaff'], resultPath: '$.failure' },
  );
  staffReview.addCatch(
    outcome(steps, 'RejectWithoutPaperCopy', 'paper-copy-missing', { failure: caughtFailure }).next(steps.rejected),
    { errors: ['PaperCopyMissing'], resultPath: '$.failure' },
  );
  staffReview.addCatch(steps.withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
  staffReview.addCatch(failedStage(steps, 'StaffReviewAndPaperCopy', 'StaffReviewFailed'), {
    errors: ['States.ALL'],
    resultPath: '$.failure',
  });
  return { staffReview, recordStaffReturn };
}

/** Performance-target review (绩效目标审核): a fail excludes the application. */
export function targetReview(steps: Steps) {
  const targetReview = staffTask(steps, 'TargetReview', 'target-review');
  targetReview.addCatch(
    outcome(steps, 'ExcludeAfterTargetReview', 'targets-failed', { failure: caughtFailure }).next(steps.rejected),
    { errors: ['TargetsFailed'], resultPath: '$.failure' },
  );
  targetReview.addCatch(steps.withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
  targetReview.addCatch(failedStage(steps, 'TargetReview'), { errors: ['States.ALL'], resultPath: '$.failure' });
  return targetReview;
}

/** A wait that a call-level step, staff or the sweep releases (see REVIEW_WAIT_TIMEOUT). */
function reviewWait(steps: Steps, id: string, kind: 'expert-assignment' | 'review-top-up' | 'award-decision') {
  const task = new LambdaInvoke(steps.scope, id, {
    lambdaFunction: steps.fns.openReviewWait,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({ applicationId, kind, taskToken: JsonPath.taskToken }),
    resultPath: JsonPath.DISCARD,
    taskTimeout: Timeout.duration(REVIEW_WAIT_TIMEOUT),
  });
  task.addRetry(THROTTLING_RETRY);
  task.addCatch(steps.withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
  task.addCatch(failedStage(steps, id), {
    errors: ['States.ALL'],
    resultPath: '$.failure',
  });
  return task;
}

/**
 * Expert review (专家评审): wait for the call's round, then the experts' Map until at least 3 valid
 * scores (staff top up a short panel). `scored` has no default yet: the caller sends it to the award.
 */
export function expertReview(steps: Steps) {
  const awaitExpertAssignment = reviewWait(steps, 'AwaitExpertAssignment', 'expert-assignment');
  const collectScores = guarded(
    steps,
    new LambdaInvoke(steps.scope, 'CollectScores', {
      lambdaFunction: steps.fns.collectScores,
      payload: TaskInput.fromObject({ applicationId }),
      resultSelector: { 'next.$': '$.Payload.next', 'taskIds.$': '$.Payload.taskIds' },
      resultPath: '$.scoring',
      taskTimeout: STEP_TIMEOUT,
    }),
    'CollectScores',
  );
  const reviews = expertReviews(steps);
  const awaitReviewTopUp = reviewWait(steps, 'AwaitReviewTopUp', 'review-top-up');

  awaitExpertAssignment.next(collectScores);
  const scored = new Choice(steps.scope, 'ScoresComplete?')
    .when(Condition.stringEquals('$.scoring.next', 'review'), reviews.next(collectScores))
    .when(Condition.stringEquals('$.scoring.next', 'short'), awaitReviewTopUp.next(collectScores));
  collectScores.next(scored);
  return { awaitExpertAssignment, collectScores, scored };
}

/** Every open expert task of the application at once; each expert's email links to their own. */
function expertReviews(steps: Steps) {
  // One expert's review: opened with the round (the expert's email links to it), waited on here.
  const expertReview = new LambdaInvoke(steps.scope, 'ExpertReview', {
    lambdaFunction: steps.fns.openExpertReview,
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
  const reviews = new MapState(steps.scope, 'ExpertReviews', {
    comment:
      'Each open expert task of the application, side by side, until each is scored, declined, conflicted or past the deadline.',
    itemsPath: '$.scoring.taskIds',
    itemSelector: { 'applicationId.$': '$.applicationId', 'taskId.$': '$$.Map.Item.Value' },
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(expertReview);
  reviews.addCatch(steps.withdrawn, { errors: ['Withdrawn'], resultPath: '$.failure' });
  reviews.addCatch(failedStage(steps, 'ExpertReviews'), { errors: ['States.ALL'], resultPath: '$.failure' });
  return reviews;
}

/** The award (立项), recorded once the department head confirms the call's ranking. */
export function awardDecision(steps: Steps) {
  const awaitAwardDecision = reviewWait(steps, 'AwaitAwardDecision', 'award-decision');
  const recordAward = guarded(
    steps,
    new LambdaInvoke(steps.scope, 'RecordAward', {
      lambdaFunction: steps.fns.recordAward,
      payload: TaskInput.fromObject({ applicationId }),
      resultSelector: { 'awarded.$': '$.Payload.awarded' },
      resultPath: '$.award',
      taskTimeout: STEP_TIMEOUT,
    }),
    'RecordAward',
  );
  const awarded = new Succeed(steps.scope, 'Awarded', {
    comment: 'Funded: the unit was told its amount, score and rank.',
  });
  const notAwarded = new Succeed(steps.scope, 'NotAwarded', {
    comment: "Scored but not within its type's quota: the unit was told its score and rank.",
  });
  awaitAwardDecision
    .next(recordAward)
    .next(
      new Choice(steps.scope, 'Awarded?')
        .when(Condition.booleanEquals('$.award.awarded', true), awarded)
        .otherwise(notAwarded),
    );
  return awaitAwardDecision;
}
