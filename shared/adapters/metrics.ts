import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger } from './logger';

/**
 * Business metrics, written as CloudWatch embedded metric format (EMF) lines to the function's log,
 * from which CloudWatch makes them metrics: no API call, no IAM permission. The one place that uses
 * Powertools Metrics; infra/observability.ts alarms and graphs the same names.
 */
export const METRICS_NAMESPACE = 'FundingCall';
/** Every metric carries this `service` dimension (Powertools' default dimension). */
export const METRICS_SERVICE = 'funding-call';

export type MetricName =
  /** an application stored (submit-application) */
  | 'Submissions'
  /** a request refused with a typed error; dimension Code */
  | 'Refusals'
  /** an application moved to a stage; dimension Stage */
  | 'StageEntered'
  /** a staff link task opened, and answered */
  | 'TasksOpened'
  | 'TasksAnswered'
  /** an email accepted by SES; and SES's bounce and complaint notices */
  | 'EmailsSent'
  | 'EmailsBounced'
  | 'EmailsComplained'
  /** SES's delivery notices (record-email-event) */
  | 'EmailsDelivered'
  /** the deadline sweep: items that failed (retried next sweep), open tasks found past their due time */
  | 'SweepFailed'
  | 'OverdueOpenTasks'
  /** the deadline sweep's sends SES throttled (the task is due again after its lease: not lost) */
  | 'SweepThrottled'
  /** a stalled application's workflow resumed at its recorded stage: with dimension Cause (what found it), and without (alarmed) */
  | 'WorkflowsResumed'
  /** the reconciliation of stalled applications: candidates it could not check (looked at again next run) */
  | 'ReconcileFailed';

// Outside Lambda (local mode, tests, benchmarks) EMF lines on stdout are noise: off unless asked for
// with POWERTOOLS_METRICS_DISABLED=false. Metrics are still recorded, only not printed.
if (!process.env.AWS_LAMBDA_FUNCTION_NAME && process.env.POWERTOOLS_METRICS_DISABLED === undefined) {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
}

/** Powertools warns on every invocation that records no metric (most reads): that warning is dropped. */
const quietLogger = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) => {
    if (!message.startsWith('No application metrics to publish')) logger.warn(message);
  },
  error: (message: string) => logger.error(message),
};

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE, logger: quietLogger });

/**
 * Counts `value` of a metric. Without dimensions it is stored and published with the invocation's
 * other metrics (by `publishMetrics`); with dimensions it is published at once on its own line, so
 * its dimensions never attach to the invocation's other metrics.
 */
export function countMetric(name: MetricName, value = 1, dimensions?: Record<string, string>): void {
  if (dimensions && Object.keys(dimensions).length > 0) {
    metrics.singleMetric().addDimensions(dimensions).addMetric(name, MetricUnit.Count, value);
    return;
  }
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** Middy middleware: publishes what the invocation counted when it ends, answered or failed. */
export const publishMetrics = () => logMetrics(metrics);
