import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RECONCILE_EVERY_MS } from '@shared/use-cases/stalled-workflows';
import { FundingCallStack } from '@infra/stack';

/**
 * No application stalls, on AWS (infra/stack.ts addStalledWorkflowRules): the state machine's
 * executions that end ABORTED, TIMED_OUT or FAILED reach resume-stalled through an EventBridge rule,
 * with retries and a dead-letter queue, and a schedule runs its reconciliation. (Its alarms are in
 * test/infra/observability.test.ts; the handler's parsing in test/unit/resume-stalled-handler.test.ts.)
 */

// One synthesis for the file; bundling skipped (only asset hashes change).
const stack = new FundingCallStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'FundingCall', {
  senderEmail: 'noreply@example.org',
  alarmEmail: 'alarms@example.org',
});
const template = Template.fromStack(stack);

interface Resource {
  Type: string;
  Properties: Record<string, any>;
}
const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const resumeId = stack.getLogicalId(stack.functions.get('resume-stalled')!.node.defaultChild as CfnElement);
const resumeArn = { 'Fn::GetAtt': [resumeId, 'Arn'] };
const [machineId] = ofType('AWS::StepFunctions::StateMachine')[0];
const rules = ofType('AWS::Events::Rule');
const targetsResume = ([, rule]: [string, Resource]) =>
  (rule.Properties.Targets as { Arn: unknown }[]).some(
    (target) => JSON.stringify(target.Arn) === JSON.stringify(resumeArn),
  );

const fromStepFunctions = rules.filter(
  ([, r]) => JSON.stringify(r.Properties.EventPattern?.source) === '["aws.states"]',
);
const [statusChangeId, statusChange] = fromStepFunctions[0] ?? [];
const [queueId, queue] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('StalledEventsDlq')) ?? [];
const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };

describe("an execution's end", () => {
  test("is matched by one rule: the Step Functions status change of this stack's state machine to ABORTED, TIMED_OUT or FAILED", () => {
    expect(fromStepFunctions).toHaveLength(1);
    expect(statusChange?.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [{ Ref: machineId }] },
    });
    expect(statusChange?.Properties.State).toBe('ENABLED');
  });

  test('is sent to resume-stalled alone, with a retry policy and a dead-letter queue', () => {
    expect(statusChange?.Properties.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: resumeArn,
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
        DeadLetterConfig: { Arn: queueArn },
      },
    ]);
    const { MaximumRetryAttempts, MaximumEventAgeInSeconds } = statusChange?.Properties.Targets[0]
      .RetryPolicy as Record<string, number>;
    expect(MaximumRetryAttempts).toBeGreaterThan(0);
    expect(MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(3600);
    // EventBridge may invoke the function for this rule (and only this rule's ARN is named).
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: resumeArn,
      SourceArn: { 'Fn::GetAtt': [statusChangeId, 'Arn'] },
    });
  });

  test('an invocation resume-stalled fails on after its retries is kept in the same queue (EventBridge invokes Lambda asynchronously)', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: resumeId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
  });
});

describe('the dead-letter queue', () => {
  test('is encrypted, refuses requests without TLS, and keeps messages 14 days', () => {
    expect(queue?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('EventBridge may send to it for the status-change rule only', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [statusChangeId, 'Arn'] } } },
          }),
        ]),
      },
    });
  });
});

describe('the reconciliation', () => {
  test(`runs on a schedule every RECONCILE_EVERY_MS (${RECONCILE_EVERY_MS / 60_000} minutes), invoking resume-stalled`, () => {
    expect(RECONCILE_EVERY_MS).toBe(15 * 60_000);
    const scheduled = rules.filter(([, r]) => r.Properties.ScheduleExpression === 'rate(15 minutes)');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0][1].Properties.Targets).toEqual([{ Id: expect.any(String), Arn: resumeArn }]);
  });

  test('resume-stalled is invoked by these two rules and by nothing else', () => {
    expect(rules.filter(targetsResume).map(([id]) => id)).toEqual(
      expect.arrayContaining([statusChangeId, expect.stringMatching(/^StalledReconciliation/)]),
    );
    expect(rules.filter(targetsResume)).toHaveLength(2);
    const invokers = ofType('AWS::Lambda::Permission').filter(
      ([, r]) => JSON.stringify(r.Properties.FunctionName) === JSON.stringify(resumeArn),
    );
    expect(invokers.map(([, r]) => r.Properties.Principal)).toEqual(['events.amazonaws.com', 'events.amazonaws.com']);
  });
});
