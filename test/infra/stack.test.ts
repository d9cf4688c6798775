import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { functionSpecs } from '@infra/functions';
import { routes } from '@infra/routes';
import { FundingCallStack } from '@infra/stack';

// One synthesis per file: building the stack takes seconds. Bundling is skipped (no esbuild runs),
// which changes only the asset hashes.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FundingCallStack(app, 'FundingCall', { senderEmail: 'noreply@example.org' });
const template = Template.fromStack(stack);
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

describe('the table', () => {
  test('is the single table with PK/SK, GSI1, PITR, encryption and TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
        }),
      ],
    });
  });

  test('is kept when the stack is deleted', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('the functions', () => {
  const lambdas = Object.values(json.Resources).filter(
    (resource) => resource.Type === 'AWS::Lambda::Function' && String(resource.Properties.Handler) === 'index.handler',
  );

  test('there is one per handler, on Node.js 22', () => {
    expect(lambdas).toHaveLength(functionSpecs.length);
    for (const fn of lambdas) expect(fn.Properties.Runtime).toBe('nodejs22.x');
  });

  test('a function that reads the table is told its name and may access it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue(), STATE_MACHINE_ARN: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'states:StartExecution', Effect: 'Allow' })]),
      },
    });
  });
});

describe('the workflow', () => {
  test('is a Standard state machine', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
  });

  test('the member units are seeded on deploy by a custom resource', () => {
    template.resourceCountIs('AWS::CloudFormation::CustomResource', 1);
    template.hasResourceProperties('AWS::CloudFormation::CustomResource', { seedHash: Match.stringLikeRegexp('^[0-9a-f]{64}$') });
  });

  test('an alarm watches for failed executions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed', Threshold: 1 });
  });

  test('the deadline sweep runs every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });
});

describe('the API', () => {
  test('has every route of the shared route table, authorised where it says', () => {
    const resources = Object.entries(json.Resources);
    const methods = resources.filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Method' && resource.Properties.HttpMethod !== 'OPTIONS');
    expect(methods).toHaveLength(routes.length);
    const pathOf = (resourceRef: unknown): string => {
      const ref = (resourceRef as { Ref?: string }).Ref;
      if (!ref) return '';
      const resource = json.Resources[ref];
      return `${pathOf(resource.Properties.ParentId)}/${String(resource.Properties.PathPart)}`;
    };
    const actual = methods.map(([, method]) => ({
      method: method.Properties.HttpMethod,
      path: pathOf(method.Properties.ResourceId),
      auth: method.Properties.AuthorizationType === 'COGNITO_USER_POOLS' ? 'user' : 'none',
    }));
    expect(actual).toEqual(expect.arrayContaining(routes.map(({ method, path, auth }) => ({ method, path, auth }))));
  });

  test('units and staff are Cognito users; staff and admins are groups', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'unitId', Mutable: false })]),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'staff' });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
  });
});
