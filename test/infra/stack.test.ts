import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { getCall } from '@shared/domain/catalogue';
import { CALL_WIDE_MEMORY_MB, functionSpecs, type Need } from '@infra/functions';
import { routes } from '@infra/routes';
import { FundingCallStack } from '@infra/stack';

// One synthesis per file: building the stack takes seconds. Bundling is skipped (no esbuild runs),
// which changes only the asset hashes.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FundingCallStack(app, 'FundingCall', {
  senderEmail: 'noreply@example.org',
  alarmEmail: 'alarms@example.org',
});
const template = Template.fromStack(stack);
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

/** The state machine's definition, resolved as local mode resolves it (the function ARNs become placeholders). */
interface State {
  Type: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[] }[];
}
const states: Record<string, State> = (() => {
  const [machine] = Object.values(json.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const body = machine.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(body['Fn::Join'][0]);
  return (JSON.parse(text) as { States: Record<string, State> }).States;
})();

describe('the table', () => {
  test('is the single table with PK/SK, GSI1, GSI2, PITR, encryption and TTL', () => {
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
        // A staff member's open tasks (GET /staff/tasks).
        Match.objectLike({
          IndexName: 'GSI2',
          KeySchema: [
            { AttributeName: 'GSI2PK', KeyType: 'HASH' },
            { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
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
  // The handlers' functions (not CDK's own that deploys the web app's files, infra/web-app.ts).
  const lambdas = Object.entries(json.Resources)
    .filter(
      ([id, resource]) =>
        resource.Type === 'AWS::Lambda::Function' &&
        String(resource.Properties.Handler) === 'index.handler' &&
        !id.startsWith('CustomCDKBucketDeployment'),
    )
    .map(([, resource]) => resource);

  test('there is one per handler, on Node.js 22', () => {
    expect(lambdas).toHaveLength(functionSpecs.length);
    for (const fn of lambdas) expect(fn.Properties.Runtime).toBe('nodejs22.x');
  });

  test('the functions that hold a whole call at once get 2048 MB; the rest 512 MB', () => {
    const bySize = new Map<number, number>();
    for (const fn of lambdas)
      bySize.set(Number(fn.Properties.MemorySize), (bySize.get(Number(fn.Properties.MemorySize)) ?? 0) + 1);
    expect(Object.fromEntries(bySize)).toEqual({ 512: functionSpecs.length - 4, [CALL_WIDE_MEMORY_MB]: 4 });
    expect(functionSpecs.filter((spec) => spec.memoryMb === CALL_WIDE_MEMORY_MB).map((spec) => spec.name)).toEqual(
      expect.arrayContaining(['propose-award', 'start-expert-assignment', 'sweep-shard', 'task-link']),
    );
  });

  test('the sweep fans out: its worker has 90 s, 16 reserved, no retry; the sweep may invoke it and nothing else', () => {
    const workerId = stack.getLogicalId(stack.functions.get('sweep-shard')?.node.defaultChild as CfnElement);
    const worker = json.Resources[workerId].Properties;
    expect(worker).toMatchObject({ Timeout: 90, ReservedConcurrentExecutions: 16 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: workerId },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
    const sweepId = stack.getLogicalId(stack.functions.get('sweep-deadlines')?.node.defaultChild as CfnElement);
    const sweep = json.Resources[sweepId].Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(sweep.Environment.Variables.SWEEP_SHARD_FUNCTION).toEqual({ Ref: workerId });
    const invokes = Object.values(json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        (r) => (r.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
      )
      .filter((statement) => JSON.stringify(statement.Action).includes('lambda:InvokeFunction'));
    expect(invokes.map((statement) => statement.Resource)).toContainEqual({ 'Fn::GetAtt': [workerId, 'Arn'] });
  });

  // That each function has every variable and permission its own code needs is checked per bundled
  // handler in test/infra/function-env.test.ts. This is the other direction: a function gets a
  // product variable, and the permission behind it, only by asking for it in infra/functions.ts.
  test('each gets exactly the variables and permissions its needs ask for', () => {
    const policiesOf = (roleId: string) =>
      Object.values(json.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
        .flatMap(
          (r) =>
            (r.Properties.PolicyDocument as { Statement: { Effect: string; Action: string | string[] }[] }).Statement,
        )
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));
    for (const spec of functionSpecs) {
      const fn = json.Resources[stack.getLogicalId(stack.functions.get(spec.name)!.node.defaultChild as CfnElement)];
      const variables = Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables);
      const actions = policiesOf((fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
      const has = (need: Need) => spec.needs.includes(need);
      const actual = {
        fn: spec.name,
        TABLE_NAME: variables.includes('TABLE_NAME'),
        STATE_MACHINE_ARN: variables.includes('STATE_MACHINE_ARN'),
        SENDER_EMAIL: variables.includes('SENDER_EMAIL'),
        SES_CONFIGURATION_SET: variables.includes('SES_CONFIGURATION_SET'),
        PUBLIC_BASE_URL: variables.includes('PUBLIC_BASE_URL'),
        'dynamodb:GetItem': actions.includes('dynamodb:GetItem'),
        'dynamodb:PutItem': actions.includes('dynamodb:PutItem'),
        'dynamodb:DeleteItem': actions.includes('dynamodb:DeleteItem'),
        'states:StartExecution': actions.includes('states:StartExecution'),
        'states:SendTaskSuccess': actions.includes('states:SendTaskSuccess'),
        'ses:SendEmail': actions.includes('ses:SendEmail'),
      };
      expect(actual).toEqual({
        fn: spec.name,
        TABLE_NAME: has('table:read') || has('table:write'),
        STATE_MACHINE_ARN: has('workflow:start'),
        SENDER_EMAIL: has('email:send'),
        SES_CONFIGURATION_SET: has('email:send'),
        PUBLIC_BASE_URL: has('links'),
        'dynamodb:GetItem': has('table:read') || has('table:write'),
        'dynamodb:PutItem': has('table:write'),
        'dynamodb:DeleteItem': has('table:delete'),
        'states:StartExecution': has('workflow:start'),
        'states:SendTaskSuccess': has('workflow:answer'),
        'ses:SendEmail': has('email:send'),
      });
    }
  });
});

describe('the workflow', () => {
  test('is a Standard state machine, named after the stack', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: 'FundingCall-application',
    });
  });

  test('AwaitAmendment outlasts the whole submission window: the sweep ends it, the timeout is a backstop', () => {
    const call = getCall('gdast-2024')!;
    const windowSeconds = (Date.parse(call.submissionDeadline) - Date.parse(call.opensAt)) / 1000;
    expect(windowSeconds).toBeGreaterThan(37 * 86400); // 08-18 → 09-25
    expect(states.AwaitAmendment.TimeoutSeconds).toBeGreaterThan(windowSeconds);
  });

  test('automatic steps retry throttling (SES v1 says Throttling) and invocation faults; AwaitAmendment retries throttling only', () => {
    const retried = (state: string) => (states[state].Retry ?? []).flatMap((retrier) => retrier.ErrorEquals);
    const throttling = [
      'Lambda.TooManyRequestsException',
      'Throttling',
      'ThrottlingException',
      'ProvisionedThroughputExceededException',
      'TooManyRequestsException',
    ];
    const invocation = [
      'Lambda.Unknown',
      'Sandbox.Timedout',
      'States.Timeout',
      'Lambda.ClientExecutionTimeoutException',
    ];
    for (const state of ['SendReceipt', 'FormalCheck', 'RejectAfterDeadline']) {
      expect({ state, retried: retried(state) }).toEqual({
        state,
        retried: expect.arrayContaining([...throttling, ...invocation]),
      });
    }
    expect(retried('AwaitAmendment')).toEqual(expect.arrayContaining(throttling));
    for (const fault of ['States.Timeout', 'States.ALL', 'Lambda.Unknown', 'Sandbox.Timedout'])
      expect(retried('AwaitAmendment')).not.toContain(fault);
  });

  test('the member units are seeded on deploy by a custom resource', () => {
    template.resourceCountIs('AWS::CloudFormation::CustomResource', 1);
    template.hasResourceProperties('AWS::CloudFormation::CustomResource', {
      seedHash: Match.stringLikeRegexp('^[0-9a-f]{64}$'),
    });
  });

  test('an alarm watches for failed executions (in the nested observability stack)', () => {
    Template.fromStack(stack.observability).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Threshold: 1,
    });
  });

  test('the deadline sweep runs every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });
});

describe('the API', () => {
  test('has every route of the shared route table, authorised where it says', () => {
    const resources = Object.entries(json.Resources);
    const methods = resources.filter(
      ([, resource]) => resource.Type === 'AWS::ApiGateway::Method' && resource.Properties.HttpMethod !== 'OPTIONS',
    );
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
