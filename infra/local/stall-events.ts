import { randomUUID } from 'node:crypto';
import { invokeLocal } from './lambdas';
import type { ExecutionStatusChangeEvent } from './stepfunctions';

/**
 * What EventBridge does for resume-stalled on AWS, in local mode: it passes on the state machine's
 * Execution Status Change events of executions that ended ABORTED, TIMED_OUT or FAILED, and sends a
 * Scheduled Event on a timer (the reconciliation). Each delivery is an invokeLocal of the same
 * handler; its failure is logged, never thrown. Once closed (the stack stopping) nothing more is
 * delivered, and close() waits for the deliveries under way: an execution the stopping stack ends
 * is not a stall, and the next start's reconciliation looks at what the stack left.
 */
export class LocalStallEvents {
  /** The statuses the stack's rule passes on to resume-stalled. */
  static readonly STALLING_STATUSES: readonly string[] = ['ABORTED', 'TIMED_OUT', 'FAILED'];

  private readonly underWay = new Set<Promise<void>>();
  private closed = false;
  private reconciling?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(private readonly log: (message: string) => void) {}

  /** The Step Functions endpoint's listener (LocalStepFunctionsOptions.onExecutionEnded). */
  readonly onExecutionEnded = (event: ExecutionStatusChangeEvent): Promise<void> | undefined => {
    if (!LocalStallEvents.STALLING_STATUSES.includes(event.detail.status)) return undefined;
    return this.deliver(`the end of ${event.detail.name} (${event.detail.status})`, () =>
      invokeLocal('resume-stalled', event),
    );
  };

  /** Sends resume-stalled the schedule's event now (unless a reconciliation is still under way). */
  reconcile(): Promise<void> {
    this.reconciling ??= this.deliver('the reconciliation', () =>
      invokeLocal('resume-stalled', scheduledEvent()),
    ).finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  /** Runs the reconciliation every `everyMs`, as the stack's schedule does. */
  startSchedule(everyMs: number): void {
    this.timer = setInterval(() => void this.reconcile(), everyMs);
    this.timer.unref();
  }

  /** Delivers nothing more, and resolves once every delivery under way has been dealt with. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    while (this.underWay.size > 0) await Promise.all([...this.underWay]);
  }

  private deliver(what: string, invoke: () => Promise<unknown>): Promise<void> {
    if (this.closed) return Promise.resolve();
    const delivery: Promise<void> = invoke()
      .then(
        () => undefined,
        (error: unknown) =>
          this.log(
            `resume-stalled failed on ${what}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
          ),
      )
      .finally(() => this.underWay.delete(delivery));
    this.underWay.add(delivery);
    return delivery;
  }
}

/** The event an EventBridge schedule sends its target. */
function scheduledEvent() {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/local-reconcile-stalled'],
    detail: {},
  };
}
