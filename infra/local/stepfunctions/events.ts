/**
 * What Step Functions tells EventBridge when an execution ends, and handing it to the listener the
 * server was given: the event in EventBridge's shape, delivered apart from the run (a listener's
 * failure or slowness never touches the execution or the API), and waited for when the server stops.
 */
import { randomUUID } from 'node:crypto';
import type { Execution, ExecutionStatusChangeEvent, Log } from './types';

/** The "Step Functions Execution Status Change" event of an execution that has ended. */
export function statusChangeEvent(exec: Execution): ExecutionStatusChangeEvent {
  if (exec.status === 'RUNNING') throw new Error(`Execution ${exec.arn} has not ended`);
  // arn:<partition>:states:<region>:<account>:execution:<machine>:<name>
  const [, , , region = '', account = ''] = exec.arn.split(':');
  const stopDate = exec.stopDate ?? Date.now();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account,
    time: new Date(stopDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [exec.arn],
    detail: {
      executionArn: exec.arn,
      stateMachineArn: exec.stateMachineArn,
      name: exec.name,
      status: exec.status,
      startDate: exec.startDate,
      stopDate,
      input: exec.input,
      inputDetails: { included: true },
      output: exec.output ?? null,
      outputDetails: exec.output === undefined ? null : { included: true },
      error: exec.error ?? null,
      cause: exec.cause ?? null,
    },
  };
}

/** Delivers the events of ended executions to a listener, and keeps those under way so that stop() can wait for them. */
export class StatusChangeEvents {
  private readonly underWay = new Set<Promise<void>>();

  constructor(
    private readonly listener: ((event: ExecutionStatusChangeEvent) => unknown) | undefined,
    private readonly log: Log,
  ) {}

  /** Hands the execution's event to the listener, after the current call stack (as EventBridge does, later). */
  emit(exec: Execution): void {
    const listener = this.listener;
    if (!listener) return;
    const event = statusChangeEvent(exec);
    const delivery = Promise.resolve()
      .then(() => listener(event))
      .then(
        () => undefined,
        (error: unknown) =>
          this.log(
            `[sfn] the listener of ${exec.name}'s end (${exec.status}) failed: ${(error as Error)?.stack ?? String(error)}`,
          ),
      )
      .finally(() => this.underWay.delete(delivery));
    this.underWay.add(delivery);
  }

  /** Resolves once every event handed over so far has been dealt with. */
  async delivered(): Promise<void> {
    while (this.underWay.size > 0) await Promise.all([...this.underWay]);
  }
}
