import { Duration, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  awardDecision,
  expertReview,
  staffReviewAndPaperCopy,
  submissionAndCheck,
  targetReview,
} from './workflow-stages';
import { answeredTask, outcome, workflowEnds, type ApplicationWorkflowFunctions, type Steps } from './workflow-steps';

export type { ApplicationWorkflowFunctions } from './workflow-steps';

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
    const steps = workflowEnds(this, fns);
    const stages: Stages = {
      submission: submissionAndCheck(steps),
      staff: staffReviewAndPaperCopy(steps),
      targetReview: targetReview(steps),
      experts: expertReview(steps),
      awaitAwardDecision: awardDecision(steps),
    };
    this.stateMachine = applicationStateMachine(this, joinStages(steps, stages));
  }
}

interface Stages {
  submission: ReturnType<typeof submissionAndCheck>;
  staff: ReturnType<typeof staffReviewAndPaperCopy>;
  targetReview: ReturnType<typeof targetReview>;
  experts: ReturnType<typeof expertReview>;
  awaitAwardDecision: ReturnType<typeof awardDecision>;
}

/**
 * Links each stage to the next in the call's order and returns the start. The steps that move an
 * application on between the reviews are built here, after every stage: the synthesized definition
 * lists the states in the order they were built and linked, so building them earlier rewrites it.
 */
function joinStages(steps: Steps, stages: Stages) {
  const { submission, staff, targetReview, experts, awaitAwardDecision } = stages;
  const checkPassed = new Choice(steps.scope, 'PassedFormalCheck?')
    .when(Condition.booleanEquals('$.formalCheck.passed', true), staff.staffReview)
    .otherwise(submission.awaitAmendment);
  submission.sendReceipt.next(submission.formalCheck).next(checkPassed);
  // A staff return parks on the same wait for the unit's amendment, with the staff's reasons.
  staff.recordStaffReturn.next(submission.awaitAmendment);

  staff.staffReview
    .next(outcome(steps, 'AdvanceToTargetReview', 'ready-for-target-review'))
    .next(targetReview)
    .next(outcome(steps, 'MarkReadyForExpertReview', 'targets-passed', { taskId: answeredTask }))
    .next(experts.awaitExpertAssignment);
  experts.scored.otherwise(awaitAwardDecision);
  return resumeAtStage(steps, stages);
}

/** Re-entrant: a re-driven or resumed execution starts at the stage its application records. */
function resumeAtStage(steps: Steps, { submission, staff, targetReview, experts, awaitAwardDecision }: Stages) {
  const resumeAt = (stage: string) =>
    Condition.and(Condition.isPresent('$.resumeFrom'), Condition.stringEquals('$.resumeFrom', stage));
  return new Choice(steps.scope, 'ResumeAtStage')
    .when(resumeAt('FormalCheck'), submission.formalCheck)
    .when(resumeAt('Correction'), submission.awaitAmendment)
    .when(resumeAt('StaffReview'), staff.staffReview)
    .when(resumeAt('TargetReview'), targetReview)
    .when(resumeAt('ExpertAssignment'), experts.awaitExpertAssignment)
    .when(resumeAt('ExpertReview'), experts.collectScores)
    .when(resumeAt('AwardDecision'), awaitAwardDecision)
    .otherwise(submission.sendReceipt);
}

function applicationStateMachine(scope: Construct, definition: IChainable) {
  return new StateMachine(scope, 'StateMachine', {
    // Named after the stack, so two stacks (stages, or two calls) can live in one account and region.
    stateMachineName: applicationStateMachineName(scope),
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(definition),
    timeout: Duration.days(365),
    tracingEnabled: true,
    logs: {
      destination: new LogGroup(scope, 'ExecutionLogs', { retention: RetentionDays.SIX_MONTHS }),
      // Every event (cdk-nag AwsSolutions-SF1), so an execution's history outlives Step Functions' own 90 days;
      // without its data (inputs and outputs hold applicants' details), which stays in the table.
      level: LogLevel.ALL,
      includeExecutionData: false,
    },
  });
}
