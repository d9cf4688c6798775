import { Duration, NestedStack, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RECONCILE_EVERY_MS } from '@shared/use-cases/stalled-workflows';
import { constructId, type AnyFunctionName } from './functions';

/**
 * The handlers' business metrics (shared/adapters/metrics.ts writes them as EMF): the same namespace
 * and default `service` dimension, checked equal by test/unit/metrics.test.ts.
 */
export const METRICS_NAMESPACE = 'FundingCall';
export const METRICS_SERVICE = 'funding-call';

/**
 * SES reviews an account whose bounce rate reaches 5% or complaint rate 0.1% (and may pause its
 * sending at 10% / 0.5%): operators hear of it before the review does.
 */
const SES_BOUNCE_RATE_ALARM = 0.04;
const SES_COMPLAINT_RATE_ALARM = 0.0008;
/** p99 API latency (ms) held for 15 minutes: well under the gateway's 29 s, well over a warm answer. */
const API_P99_LATENCY_ALARM_MS = 3000;

export interface ObservabilityProps {
  /** Receives every alarm and its return to OK; without it the topic has no subscriber (add one later). */
  alarmEmail?: string;
  stateMachine: IStateMachine;
  /** Every Lambda of the product, by its name in infra/functions.ts. */
  functions: ReadonlyMap<AnyFunctionName, IFunction>;
  /** The API's deployed stage (its metrics carry the API name and the stage). */
  apiStage: Stage;
  table: ITable;
  /** Where the events and invocations resume-stalled could not handle are kept (infra/stack.ts addStalledWorkflowRules). */
  stalledEventsDlq?: IQueue;
}

interface AlarmSpec {
  metric: IMetric;
  description: string;
  threshold?: number;
  comparisonOperator?: ComparisonOperator;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  treatMissingData?: TreatMissingData;
}

const FIVE_MINUTES = Duration.minutes(5);

/** How long the reconciliation of stalled applications (scheduled every RECONCILE_EVERY_MS) may go without completing a run. */
const RECONCILE_SILENCE = Duration.hours(1);

/** A business metric the handlers publish (dimension `service`, summed). */
export const businessMetric = (metricName: string, period: Duration = FIVE_MINUTES) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: METRICS_SERVICE },
    statistic: Stats.SUM,
    period,
  });

/** An SES account metric (no dimensions: SES reports reputation per account and region). */
const sesMetric = (metricName: string, statistic: string, period: Duration) =>
  new Metric({ namespace: 'AWS/SES', metricName, statistic, period });

/** The table's operations the product uses (an alarm's math may combine at most 10 metrics). */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.TRANSACT_GET_ITEMS,
];

/**
 * The operators' alarms, topic and dashboard in a nested stack of their own (an
 * AWS::CloudFormation::Stack resource of the main stack), for resource headroom: CloudFormation
 * refuses a template of more than 500 resources, and the alarms alone (two per Lambda) were over a
 * fifth of the main stack's (test/infra/resource-limit.test.ts checks both templates).
 *
 * What a deployer sees: `cdk deploy` deploys the main stack only, and CloudFormation creates or
 * updates this one as part of it (its template is an asset in the bootstrap bucket); the console
 * lists it as a separate stack marked NESTED, named after the main stack
 * (`<stack>-ObservabilityNestedStack…`), where its alarms, topic and dashboard are. It takes the
 * names and ARNs it watches (functions, state machine, table, queue) as parameters the main stack
 * passes; nothing in the main stack refers to it, so it is created after, and deleted before, what
 * it watches. Moving them here replaced them: the first deploy with the nested stack made new
 * alarms (history starts again), a new topic whose email subscriber must confirm again, and a new
 * key, the old key being retained (its deletion policy) until an operator schedules its deletion.
 */
export class ObservabilityStack extends NestedStack {
  readonly operators: Observability;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id, {
      description: "The funding call's operator alarms, their SNS topic and the dashboard (infra/observability.ts)",
    });
    this.operators = new Observability(this, 'Operators', props);
  }
}

/** The stack a construct belongs to, or for a nested stack the top-level stack it is part of (the one deployers name). */
function deployedStack(scope: Construct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}

/**
 * Operators are told when the product breaks: one encrypted SNS topic (its email subscriber from the
 * CDK context value `alarmEmail`), alarms that notify it on ALARM and again on OK, and a dashboard.
 *
 * Alarms: workflow executions failed, timed out or aborted; each Lambda's errors and throttles (an
 * API handler answers its own untyped errors with 500, so those show as API 5xx, not Lambda errors);
 * API 5xx and p99 latency; DynamoDB throttling; SES bounce and complaint rates; the deadline sweep's
 * failed items, its silence (it runs every minute), and open tasks found past their due time; a
 * stalled application's workflow resumed, the reconciliation's failed items and its silence, and
 * events resume-stalled could not handle.
 */
export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: a key of our own lets it.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the operators alarm topic',
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Funding call operators',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);

    this.workflowAlarms(props.stateMachine);
    this.functionAlarms(props.functions);
    this.apiAlarms(props.apiStage);
    this.tableAlarms(props.table);
    this.emailAlarms();
    this.sweepAlarms(props.functions.get('sweep-deadlines'), props.functions.get('sweep-shard'));
    this.stalledWorkflowAlarms(props.functions.get('resume-stalled'), props.stalledEventsDlq);
    this.dashboard = this.addDashboard(props);
  }

  /** An alarm whose ALARM and OK both notify the operators' topic. Default: ≥ threshold (1) in one period; no data is fine. */
  private alarm(id: string, spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, id, {
      metric: spec.metric,
      threshold: spec.threshold ?? 1,
      comparisonOperator: spec.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: spec.description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private workflowAlarms(stateMachine: IStateMachine): void {
    const sum = { period: FIVE_MINUTES, statistic: Stats.SUM };
    this.alarm('WorkflowFailures', {
      metric: stateMachine.metricFailed(sum),
      description: 'An application workflow execution failed',
    });
    this.alarm('WorkflowTimeouts', {
      metric: stateMachine.metricTimedOut(sum),
      description: 'An application workflow execution timed out',
    });
    this.alarm('WorkflowAborts', {
      metric: stateMachine.metricAborted(sum),
      description: 'An application workflow execution was aborted (stopped)',
    });
  }

  private functionAlarms(functions: ReadonlyMap<AnyFunctionName, IFunction>): void {
    const sum = { period: FIVE_MINUTES, statistic: Stats.SUM };
    for (const [name, fn] of functions) {
      this.alarm(`${constructId(name)}Errors`, {
        metric: fn.metricErrors(sum),
        description: `The ${name} Lambda failed (an unhandled error or a timeout)`,
      });
      this.alarm(`${constructId(name)}Throttles`, {
        metric: fn.metricThrottles(sum),
        description: `The ${name} Lambda was throttled (concurrency exhausted)`,
      });
    }
  }

  private apiAlarms(stage: Stage): void {
    this.alarm('Api5xx', {
      metric: stage.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      description: 'The API answered 5xx: a handler bug (500) or a busy dependency (503)',
    });
    this.alarm('ApiLatencyP99', {
      metric: stage.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(99) }),
      threshold: API_P99_LATENCY_ALARM_MS,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      description: `The API's p99 latency stayed above ${API_P99_LATENCY_ALARM_MS} ms for 15 minutes`,
    });
  }

  private tableAlarms(table: ITable): void {
    const sum = { period: FIVE_MINUTES, statistic: Stats.SUM };
    this.alarm('TableThrottledRequests', {
      metric: table.metricThrottledRequestsForOperations({ ...sum, operations: TABLE_OPERATIONS }),
      description: 'DynamoDB throttled requests to the table (they are retried, then answered BUSY)',
    });
    this.alarm('TableReadThrottles', {
      metric: table.metric('ReadThrottleEvents', sum),
      description: 'DynamoDB throttled reads of the table',
    });
    this.alarm('TableWriteThrottles', {
      metric: table.metric('WriteThrottleEvents', sum),
      description: 'DynamoDB throttled writes to the table',
    });
  }

  private emailAlarms(): void {
    this.alarm('SesBounceRate', {
      metric: sesMetric('Reputation.BounceRate', Stats.MAXIMUM, Duration.hours(1)),
      threshold: SES_BOUNCE_RATE_ALARM,
      description: `The account's SES bounce rate reached ${SES_BOUNCE_RATE_ALARM * 100}% (SES reviews sending at 5%)`,
    });
    this.alarm('SesComplaintRate', {
      metric: sesMetric('Reputation.ComplaintRate', Stats.MAXIMUM, Duration.hours(1)),
      threshold: SES_COMPLAINT_RATE_ALARM,
      description: `The account's SES complaint rate reached ${SES_COMPLAINT_RATE_ALARM * 100}% (SES reviews sending at 0.1%)`,
    });
  }

  private sweepAlarms(sweep: IFunction | undefined, worker: IFunction | undefined): void {
    // A failed item is retried by the next sweep (every minute): one that keeps failing for 15 minutes is not a blip.
    this.alarm('SweepFailures', {
      metric: businessMetric('SweepFailed'),
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      description: 'The deadline sweep failed on items for 15 minutes (each is retried every minute; see its log)',
    });
    // Each open task past its due time is seen by the sweep when due and then once a day (its reminder).
    this.alarm('OverdueOpenTasks', {
      metric: businessMetric('OverdueOpenTasks', Duration.hours(1)),
      description: 'An open task (a staff review, a confirmation, a report) is past its due time',
    });
    if (sweep) {
      // Deadlines are enforced only by the sweep: its silence is an alarm too.
      this.alarm('SweepNotRunning', {
        metric: sweep.metricInvocations({ period: Duration.minutes(15), statistic: Stats.SUM }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
        description: 'The deadline sweep has not run for 15 minutes (it is scheduled every minute)',
      });
    }
    // A worker that fails is alarmed with every function (SweepShardErrors); one whose start Lambda dropped
    // (its shard's reserved concurrency still held past a minute) is silent unless watched.
    if (worker) {
      this.alarm('SweepWorkersDropped', {
        metric: worker.metric('AsyncEventsDropped', { period: FIVE_MINUTES, statistic: Stats.SUM }),
        description: "A sweep worker's start was dropped: its shard waited for the next minute (see sweep-shard's log)",
      });
    }
  }

  /** No application stalls (functions/resume-stalled.ts): each resumption is news, and so is the safety net failing. */
  private stalledWorkflowAlarms(resume: IFunction | undefined, deadLetters: IQueue | undefined): void {
    // Every resumption means an execution ended while its application was unfinished (an administrator
    // stopped it, it timed out, it crashed) or went missing: operators hear of each.
    // The metric is counted twice (shared/use-cases/workflow-start.ts): with a Cause dimension, graphed
    // below, and without, which this alarm watches. An alarm may not use SEARCH, and a sum over the
    // causes named here would miss a cause added later; the one undimensioned metric cannot.
    this.alarm('WorkflowsResumed', {
      metric: businessMetric('WorkflowsResumed'),
      description:
        "A stalled application's workflow was resumed at its recorded stage: an execution ended unexpectedly (stopped, timed out, failed; the application's history and resume-stalled's log say which)",
    });
    // A candidate that fails in two runs in a row leaves the reconciliation's look-back window unchecked: any failure is worth a look.
    this.alarm('ReconcileFailures', {
      metric: businessMetric('ReconcileFailed', Duration.millis(RECONCILE_EVERY_MS)),
      description:
        'The reconciliation of stalled applications could not check some applications (see the resume-stalled log); the next run looks again',
    });
    if (resume) {
      // Each scheduled run counts ReconcileFailed, 0 included, and nothing else does: its sample count is the number of runs.
      // (The function's invocations would not do: Execution Status Change events invoke it too.)
      this.alarm('ReconcileNotRunning', {
        metric: businessMetric('ReconcileFailed', RECONCILE_SILENCE).with({ statistic: Stats.SAMPLE_COUNT }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
        description: `The reconciliation of stalled applications has not completed a run for ${RECONCILE_SILENCE.toHumanString()} (it is scheduled every ${Duration.millis(RECONCILE_EVERY_MS).toHumanString()})`,
      });
    }
    if (deadLetters) {
      this.alarm('StalledEventsDeadLettered', {
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: Stats.MAXIMUM,
        }),
        description:
          'An execution-ended event or a reconciliation run that resume-stalled could not handle is in its dead-letter queue: read it (the event and the error), ' +
          'fix the cause and send the event to resume-stalled again (safe: the rule checks first; the reconciliation sees only recently changed applications)',
      });
    }
  }

  private addDashboard(props: ObservabilityProps): Dashboard {
    const rows: IWidget[][] = [
      [dashboardHeading(deployedStack(this).stackName)],
      [stagesGraph(), workflowGraph(props.stateMachine)],
      lambdaGraphs(props.functions),
      emailGraphs(),
      taskGraphs(),
      stalledWorkflowGraphs(props.stalledEventsDlq),
      apiGraphs(props.apiStage),
      [tableGraph(props.table)],
    ];
    return new Dashboard(this, 'Dashboard', { widgets: rows, defaultInterval: Duration.days(7) });
  }
}

// ---------------------------------------------------------------------------------------------
// The dashboard's rows, top to bottom

const HOUR = Duration.hours(1);
const summed = (period: Duration) => ({ period, statistic: Stats.SUM });
const graph = (title: string, left: IMetric[], width = 12) => new GraphWidget({ title, left, width, height: 6 });

/**
 * One line per value of a dimension (stage, error code, cause): CloudWatch's search finds them as
 * they appear, so a value added later needs no change here. Each line is labelled by the
 * dimension's value (a dynamic label).
 */
function search(metricName: string, dimension: string, period: Duration): MathExpression {
  const query = `{${METRICS_NAMESPACE},${dimension},service} MetricName="${metricName}" service="${METRICS_SERVICE}"`;
  return new MathExpression({
    expression: `SEARCH('${query}', 'Sum', ${period.toSeconds()})`,
    usingMetrics: {},
    label: `\${PROP('Dim.${dimension}')}`,
    period,
  });
}

const dashboardHeading = (stackName: string) =>
  new TextWidget({
    markdown: `# Funding call (${stackName})\nAlarms notify the SNS topic of this stack. Business metrics: namespace \`${METRICS_NAMESPACE}\`, dimension \`service=${METRICS_SERVICE}\`.`,
    width: 24,
    height: 2,
  });

const stagesGraph = () =>
  graph('Applications entering each stage (per hour)', [
    businessMetric('Submissions', HOUR).with({ label: 'Submitted' }),
    search('StageEntered', 'Stage', HOUR),
  ]);

const workflowGraph = (stateMachine: IStateMachine) =>
  graph('Workflow executions', [
    stateMachine.metricStarted(summed(FIVE_MINUTES)).with({ label: 'started' }),
    stateMachine.metricSucceeded(summed(FIVE_MINUTES)).with({ label: 'succeeded' }),
    stateMachine.metricFailed(summed(FIVE_MINUTES)).with({ label: 'failed' }),
    stateMachine.metricTimedOut(summed(FIVE_MINUTES)).with({ label: 'timed out' }),
    stateMachine.metricAborted(summed(FIVE_MINUTES)).with({ label: 'aborted' }),
  ]);

function lambdaGraphs(functions: ReadonlyMap<AnyFunctionName, IFunction>): IWidget[] {
  const all = [...functions];
  return [
    graph(
      'Lambda errors',
      all.map(([name, fn]) => fn.metricErrors({ ...summed(FIVE_MINUTES), label: name })),
    ),
    graph(
      'Lambda throttles',
      all.map(([name, fn]) => fn.metricThrottles({ ...summed(FIVE_MINUTES), label: name })),
    ),
  ];
}

/** The product's own counts beside SES's account-wide ones: a gap between them is mail of another sender. */
const emailGraphs = (): IWidget[] => [
  graph('Emails sent and bounced', [
    businessMetric('EmailsSent', HOUR).with({ label: 'sent (accepted by SES)' }),
    businessMetric('EmailsDelivered', HOUR).with({ label: 'delivered' }),
    businessMetric('EmailsBounced', HOUR).with({ label: 'bounced' }),
    businessMetric('EmailsComplained', HOUR).with({ label: 'complaints' }),
    sesMetric('Bounce', Stats.SUM, HOUR).with({ label: 'SES bounces (account)' }),
    sesMetric('Complaint', Stats.SUM, HOUR).with({ label: 'SES complaints (account)' }),
  ]),
  graph('SES reputation (account)', [
    sesMetric('Reputation.BounceRate', Stats.MAXIMUM, HOUR).with({ label: 'bounce rate' }),
    sesMetric('Reputation.ComplaintRate', Stats.MAXIMUM, HOUR).with({ label: 'complaint rate' }),
  ]),
];

const taskGraphs = (): IWidget[] => [
  graph('Tasks and refusals', [
    businessMetric('TasksOpened', HOUR).with({ label: 'link tasks opened' }),
    businessMetric('TasksAnswered', HOUR).with({ label: 'link tasks answered' }),
    businessMetric('OverdueOpenTasks', HOUR).with({ label: 'open tasks past due (seen by the sweep)' }),
    businessMetric('SweepFailed', HOUR).with({ label: 'sweep items failed' }),
    businessMetric('SweepThrottled', HOUR).with({ label: 'sweep sends throttled by SES (sent later)' }),
  ]),
  graph('Refusals by code', [search('Refusals', 'Code', HOUR)]),
];

const stalledWorkflowGraphs = (deadLetters: IQueue | undefined): IWidget[] => [
  graph('Stalled workflows resumed, by cause (per hour)', [search('WorkflowsResumed', 'Cause', HOUR)]),
  graph('Reconciliation of stalled applications', [
    businessMetric('WorkflowsResumed', HOUR).with({ label: 'resumed (all causes)' }),
    businessMetric('ReconcileFailed', HOUR).with({ label: 'reconciliation items failed' }),
    ...(deadLetters
      ? [
          deadLetters.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: Stats.MAXIMUM,
            label: 'dead-lettered events',
          }),
        ]
      : []),
  ]),
];

const apiGraphs = (stage: Stage): IWidget[] => [
  graph('API', [
    stage.metricCount(summed(FIVE_MINUTES)).with({ label: 'requests' }),
    stage.metricClientError(summed(FIVE_MINUTES)).with({ label: '4xx' }),
    stage.metricServerError(summed(FIVE_MINUTES)).with({ label: '5xx' }),
  ]),
  graph('API latency', [
    stage.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(99), label: 'p99' }),
    stage.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(50), label: 'p50' }),
  ]),
];

const tableGraph = (table: ITable) =>
  graph(
    'DynamoDB throttling',
    [
      table.metricThrottledRequestsForOperations({
        ...summed(FIVE_MINUTES),
        operations: TABLE_OPERATIONS,
        label: 'throttled requests',
      }),
      table.metric('ReadThrottleEvents', { ...summed(FIVE_MINUTES), label: 'read throttle events' }),
      table.metric('WriteThrottleEvents', { ...summed(FIVE_MINUTES), label: 'write throttle events' }),
    ],
    24,
  );
