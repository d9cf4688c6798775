import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Pass, StateMachine, DefinitionBody } from 'aws-cdk-lib/aws-stepfunctions';
import { functionSpecs, type AnyFunctionName } from '@infra/functions';
import { Observability } from '@infra/observability';
import { FundingCallStack } from '@infra/stack';

/**
 * Operators are told when the product breaks (infra/observability.ts): every alarm notifies the
 * operators' topic on ALARM and on OK, and each thing the issue names is watched. They live in a
 * nested stack of the main one (resource headroom): its template is read here, and what it watches
 * (functions, state machine, table, queue) it receives as parameters the main stack passes, which
 * are resolved to the main stack's references before any assertion.
 */

const ALARM_EMAIL = 'alarms@example.org';
const stack = new FundingCallStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'FundingCall', {
  senderEmail: 'noreply@example.org',
  alarmEmail: ALARM_EMAIL,
});
const template = Template.fromStack(stack.observability);

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
const parentResources = (Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> }).Resources;
const nestedStackResources = Object.entries(parentResources).filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack');
const [[nestedStackId, nestedStackResource]] = nestedStackResources;
/** The values the main stack passes to the nested stack, by parameter name. */
const passed = (nestedStackResource.Properties.Parameters ?? {}) as Record<string, unknown>;
/** A nested stack's `{ Ref: parameter }` replaced by what the main stack passes for it (e.g. `{ Ref: <function> }`). */
const inParent = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(inParent);
  if (value && typeof value === 'object') {
    const ref = (value as { Ref?: unknown }).Ref;
    if (typeof ref === 'string' && ref in passed) return passed[ref];
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, inParent(inner)]));
  }
  return value;
};
const resources = inParent((template.toJSON() as { Resources: Record<string, Resource> }).Resources) as Record<
  string,
  Resource
>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const parentOfType = (type: string) => Object.entries(parentResources).filter(([, r]) => r.Type === type);
const logicalId = (element: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(element.node.defaultChild as CfnElement);

const [topicId] =
  ofType('AWS::SNS::Topic').find(([, r]) => r.Properties.DisplayName === 'Funding call operators') ?? [];
interface AlarmProperties {
  id: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: unknown[];
  AlarmActions?: unknown[];
  OKActions?: unknown[];
  AlarmDescription?: string;
  Threshold?: number;
}
const alarms = ofType('AWS::CloudWatch::Alarm').map(([id, r]) => ({ id, ...r.Properties }) as AlarmProperties);
const alarmsOn = (namespace: string, metricName: string) =>
  alarms.filter((a) => a.Namespace === namespace && a.MetricName === metricName);
const dimensionsOf = (alarm: { Dimensions?: { Name: string; Value: unknown }[] }) =>
  Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name, d.Value])) as Record<string, unknown>;

describe('the nested observability stack', () => {
  test('holds every alarm, the dashboard and the topic; the main stack has none of them', () => {
    expect(nestedStackResources).toHaveLength(1);
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard'])
      expect({ type, inParent: parentOfType(type).length }).toEqual({ type, inParent: 0 });
    expect(Object.keys(parentResources).filter((id) => id.startsWith('Operators'))).toEqual([]);
    expect(topicId).toMatch(/^OperatorsAlarmTopic/);
    expect(ofType('AWS::CloudWatch::Alarm').length).toBeGreaterThan(80);
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  test('refers to the main stack only through parameters, and the main stack never to it (no circular dependency)', () => {
    // Every parameter the nested stack declares is passed by the main stack.
    const declared = Object.keys((template.toJSON() as { Parameters?: Record<string, unknown> }).Parameters ?? {});
    expect(declared.sort()).toEqual(Object.keys(passed).sort());
    // No resource or output of the main stack reads the nested stack's outputs.
    const others = Object.entries(parentResources).filter(([id]) => id !== nestedStackId);
    const outputs = Template.fromStack(stack).toJSON().Outputs as unknown;
    expect(JSON.stringify({ others, outputs })).not.toContain(nestedStackId);
  });
});

describe('the operators topic', () => {
  test('exists, encrypted with a key CloudWatch may use, and refuses unencrypted publishing', () => {
    expect(topicId).toBeDefined();
    const topic = resources[topicId as string].Properties;
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OperatorsAlarmTopicKey/), 'Arn'] });
    const keyId = (topic.KmsMasterKeyId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(resources[keyId].Properties).toMatchObject({ EnableKeyRotation: true });
    expect(JSON.stringify(resources[keyId].Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('has the alarmEmail context value as its email subscriber', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: ALARM_EMAIL,
      TopicArn: { Ref: topicId },
    });
  });
});

describe('alarms', () => {
  test('every alarm of the stack notifies the operators on ALARM and on OK', () => {
    expect(alarms.length).toBeGreaterThan(80);
    const silent = alarms
      .filter(
        (a) =>
          JSON.stringify(a.AlarmActions) !== JSON.stringify([{ Ref: topicId }]) ||
          JSON.stringify(a.OKActions) !== JSON.stringify([{ Ref: topicId }]),
      )
      .map((a) => a.id);
    expect(silent).toEqual([]);
    expect(alarms.filter((a) => !a.AlarmDescription).map((a) => a.id)).toEqual([]);
  });

  test.each(functionSpecs.map((spec) => spec.name))(
    '%s has one Errors and one Throttles alarm',
    (name: AnyFunctionName) => {
      const fn = stack.functions.get(name);
      expect(fn).toBeDefined();
      const ref = { Ref: logicalId(fn as LambdaFunction) };
      for (const metric of ['Errors', 'Throttles']) {
        const matching = alarmsOn('AWS/Lambda', metric).filter(
          (a) => JSON.stringify(dimensionsOf(a).FunctionName) === JSON.stringify(ref),
        );
        expect({ metric, count: matching.length }).toEqual({ metric, count: 1 });
        expect(matching[0]).toMatchObject({
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    },
  );

  test('workflow executions failed, timed out and aborted', () => {
    const [machineId] = parentOfType('AWS::StepFunctions::StateMachine')[0];
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      const found = alarmsOn('AWS/States', metric);
      expect(found).toHaveLength(1);
      expect(dimensionsOf(found[0]).StateMachineArn).toEqual({ Ref: machineId });
      expect(found[0]).toMatchObject({ Statistic: 'Sum', Threshold: 1, Period: 300 });
    }
  });

  test('API 5xx and p99 latency, on the deployed stage', () => {
    const [fiveXx] = alarmsOn('AWS/ApiGateway', '5XXError');
    expect(fiveXx).toMatchObject({ Statistic: 'Sum', Threshold: 1 });
    expect(Object.keys(dimensionsOf(fiveXx)).sort()).toEqual(['ApiName', 'Stage']);
    const [latency] = alarmsOn('AWS/ApiGateway', 'Latency');
    expect(latency).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: 3000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
  });

  test('DynamoDB throttled requests and read/write throttle events on the table', () => {
    const [tableId] = parentOfType('AWS::DynamoDB::Table')[0];
    for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      const [alarm] = alarmsOn('AWS/DynamoDB', metric);
      expect(dimensionsOf(alarm).TableName).toEqual({ Ref: tableId });
    }
    const throttled = alarms.filter((a) =>
      JSON.stringify(a.Metrics ?? []).includes('"MetricName":"ThrottledRequests"'),
    );
    expect(throttled).toHaveLength(1);
    const inputs = (
      throttled[0].Metrics as { MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } } }[]
    ).filter((m) => m.MetricStat);
    // An alarm's math may combine at most 10 metrics.
    expect(inputs.length).toBeLessThanOrEqual(10);
    for (const input of inputs)
      expect(input.MetricStat?.Metric.Dimensions).toContainEqual({ Name: 'TableName', Value: { Ref: tableId } });
    const operations = inputs.map((m) => m.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'Operation')?.Value);
    expect(operations).toEqual(
      expect.arrayContaining(['GetItem', 'Query', 'PutItem', 'UpdateItem', 'TransactWriteItems']),
    );
  });

  test('SES bounce and complaint rates, below the rates at which SES reviews the account', () => {
    const [bounce] = alarmsOn('AWS/SES', 'Reputation.BounceRate');
    const [complaint] = alarmsOn('AWS/SES', 'Reputation.ComplaintRate');
    expect(bounce.Threshold).toBeLessThan(0.05);
    expect(complaint.Threshold).toBeLessThan(0.001);
    expect(bounce.Dimensions).toBeUndefined();
  });

  test("the sweep's failed items, open tasks past due, and a sweep that stopped running", () => {
    for (const metric of ['SweepFailed', 'OverdueOpenTasks']) {
      const found = alarmsOn('FundingCall', metric);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: [{ Name: 'service', Value: 'funding-call' }],
      });
    }
    const sweepRef = { Ref: logicalId(stack.functions.get('sweep-deadlines') as LambdaFunction) };
    const [silence] = alarmsOn('AWS/Lambda', 'Invocations').filter(
      (a) => JSON.stringify(dimensionsOf(a).FunctionName) === JSON.stringify(sweepRef),
    );
    expect(silence).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
  });

  test('a sweep worker that fails, and one whose start Lambda dropped (its shard waited a minute)', () => {
    const workerRef = JSON.stringify({ Ref: logicalId(stack.functions.get('sweep-shard') as LambdaFunction) });
    const onWorker = (metric: string) =>
      alarmsOn('AWS/Lambda', metric).filter((a) => JSON.stringify(dimensionsOf(a).FunctionName) === workerRef);
    expect(onWorker('Errors')).toHaveLength(1);
    expect(onWorker('AsyncEventsDropped')).toHaveLength(1);
    expect(onWorker('AsyncEventsDropped')[0]).toMatchObject({ Statistic: 'Sum', Threshold: 1 });
  });

  describe('stalled applications (functions/resume-stalled.ts)', () => {
    test('any resumption of a stalled workflow: WorkflowsResumed summed without its Cause dimension, so no cause escapes it', () => {
      const found = alarmsOn('FundingCall', 'WorkflowsResumed');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        Dimensions: [{ Name: 'service', Value: 'funding-call' }],
      });
      // An alarm may not SEARCH: none of this stack's alarms does.
      expect(alarms.filter((a) => JSON.stringify(a.Metrics ?? []).includes('SEARCH(')).map((a) => a.id)).toEqual([]);
    });

    test("the reconciliation's failed items, any in one of its 15-minute runs", () => {
      const [failed, ...more] = alarmsOn('FundingCall', 'ReconcileFailed').filter(
        (a) => (a as { Statistic?: string }).Statistic === 'Sum',
      );
      expect(more).toEqual([]);
      expect(failed).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Period: 900,
        Dimensions: [{ Name: 'service', Value: 'funding-call' }],
      });
    });

    test('a reconciliation that stopped running: no ReconcileFailed sample (each run counts one, 0 included) for an hour', () => {
      const [silence, ...more] = alarmsOn('FundingCall', 'ReconcileFailed').filter(
        (a) => (a as { Statistic?: string }).Statistic === 'SampleCount',
      );
      expect(more).toEqual([]);
      expect(silence).toMatchObject({
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    });

    test("messages in resume-stalled's dead-letter queue", () => {
      const [queueId] = parentOfType('AWS::SQS::Queue').find(([id]) => id.startsWith('StalledEventsDlq')) ?? [];
      const found = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible');
      expect(found).toHaveLength(1);
      expect(dimensionsOf(found[0]).QueueName).toEqual({ 'Fn::GetAtt': [queueId, 'QueueName'] });
      expect(found[0]).toMatchObject({
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });
  });
});

describe('the dashboard', () => {
  const dashboards = ofType('AWS::CloudWatch::Dashboard');
  // The body is a Fn::Join of text and references: the references are stood in for, then it is JSON.
  const body = () => {
    const join = dashboards[0][1].Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    return JSON.parse(join['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'REF')).join('')) as {
      widgets: { type: string; properties: { title?: string; metrics?: unknown[][] } }[];
    };
  };

  test('exists, with the widgets operators look at', () => {
    expect(dashboards).toHaveLength(1);
    const titles = body().widgets.map((w) => w.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Applications entering each stage (per hour)',
        'Workflow executions',
        'Lambda errors',
        'Emails sent and bounced',
        'Refusals by code',
        'Stalled workflows resumed, by cause (per hour)',
        'Reconciliation of stalled applications',
        'API',
        'DynamoDB throttling',
      ]),
    );
  });

  test('graphs the business metrics and every function', () => {
    const text = JSON.stringify(body());
    for (const metric of [
      'Submissions',
      'StageEntered',
      'EmailsSent',
      'EmailsBounced',
      'TasksOpened',
      'TasksAnswered',
      'Refusals',
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'WorkflowsResumed',
      'ReconcileFailed',
      'ApproximateNumberOfMessagesVisible',
    ]) {
      expect(text).toContain(metric);
    }
    const lambdaErrors = body().widgets.find((w) => w.properties.title === 'Lambda errors');
    expect(lambdaErrors?.properties.metrics).toHaveLength(functionSpecs.length);
  });
});

test('without an alarm email the topic is made without a subscriber', () => {
  const small = new Stack(new App(), 'Small');
  const fn = new LambdaFunction(small, 'Fn', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => 1'),
  });
  const api = new RestApi(small, 'Api');
  api.root.addMethod('GET');
  new Observability(small, 'Operators', {
    stateMachine: new StateMachine(small, 'Machine', {
      definitionBody: DefinitionBody.fromChainable(new Pass(small, 'Step')),
    }),
    functions: new Map<AnyFunctionName, LambdaFunction>([['sweep-deadlines', fn]]),
    apiStage: api.deploymentStage,
    table: new Table(small, 'Table', { partitionKey: { name: 'PK', type: AttributeType.STRING } }),
  });
  const smallTemplate = Template.fromStack(small);
  smallTemplate.resourceCountIs('AWS::SNS::Topic', 1);
  smallTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  // 3 workflow + 2 for the function + 2 API + 3 table + 2 SES + sweep failed, overdue tasks, sweep silent
  // + workflows resumed, reconciliation failed (its silence and the dead-letter queue only with resume-stalled and its queue).
  smallTemplate.resourceCountIs('AWS::CloudWatch::Alarm', 17);
});
