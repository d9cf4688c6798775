/**
 * The run of one execution with aws-local-stepfunctions: its context (execution, state machine and
 * a fresh task token per evaluation), its history, how it ends, and stopping it.
 */
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, type RunOptions } from 'aws-local-stepfunctions';
import { consumeEvents } from './event-mappers';
import type { ExecutionRegistry } from './registry';
import type { TaskRunner } from './tasks';
import type { TaskTokens } from './tokens';
import type { Execution, JsonValue, Log, MachineEntry } from './types';
import { causeText } from './util';

type Outcome = { ok: true; output: unknown } | { ok: false; error: unknown };
type Ending = Pick<Execution, 'status' | 'output' | 'error' | 'cause'>;

/** The record a run's outcome leaves: status, and output or error/cause. */
function endingOf(outcome: Outcome): Ending {
  if (outcome.ok) return { status: 'SUCCEEDED', output: JSON.stringify(outcome.output ?? null) };
  const error = outcome.error;
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' };
  }
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionError) {
    const failure = error.cause;
    if (failure instanceof Error)
      return { status: 'FAILED', error: failure.name, cause: causeText(failure.cause) ?? failure.message };
    return { status: 'FAILED', cause: causeText(failure) };
  }
  return { status: 'FAILED', error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) };
}

export class ExecutionRunner {
  /** Executions started while runs are held, each with what launches it (see hold()). */
  private held?: Map<Execution, () => void>;

  constructor(
    private readonly tasks: TaskRunner,
    private readonly tokens: TaskTokens,
    private readonly executions: ExecutionRegistry,
    private readonly log: Log,
    /** Told of each execution once it has ended and its record is final (see LocalStepFunctions). */
    private readonly ended: (exec: Execution) => void = () => undefined,
  ) {}

  /**
   * From now on an execution started is recorded (RUNNING) but its run waits for release(). On AWS the
   * workflow's steps run on Step Functions' and Lambda's capacity, never on the API's; locally both
   * share one Node thread, so `npm run bench` holds the runs to measure what the API alone can take,
   * then releases them and measures the backlog draining.
   */
  hold(): void {
    this.held ??= new Map();
  }

  /** Launches every held execution, oldest first, and stops holding. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    for (const go of held?.values() ?? []) go();
  }

  /** Starts the run; `exec.done` resolves once it has ended and its history is complete. */
  launch(exec: Execution, machine: MachineEntry, input: JsonValue): void {
    if (this.held) {
      const held = this.held;
      exec.done = new Promise<void>((resolve) => {
        held.set(exec, () => {
          held.delete(exec);
          // Stopped while it waited (StopExecution, the server stopping): it never runs, and ends as any run does.
          if (exec.status !== 'RUNNING') {
            this.finish(exec, { ok: false, error: new Error('stopped before it ran') });
            return resolve();
          }
          this.launch(exec, machine, input);
          void exec.done?.then(resolve);
        });
      });
      return;
    }
    const handlers = this.tasks.handlersFor(exec, machine);
    this.log(`[sfn] ${machine.name}: execution ${exec.name} started`);
    const run = machine.runnable.run(input, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: this.context(exec, machine),
    });
    exec.abort = run.abort;
    const consumed = consumeEvents(exec, run.eventLogs, {
      log: this.log,
      releaseInside: (e, name) => this.releaseInside(e, name),
    });
    const settled = run.result.then(
      (output): Outcome => ({ ok: true as const, output: output as unknown }),
      (error: unknown): Outcome => ({ ok: false as const, error }),
    );
    const finished = settled.then((outcome) => {
      exec.terminated = true;
      // Anything still held (an execution timeout, a Map that gave up) can no longer be answered.
      this.tokens.release(exec);
      return outcome;
    });
    exec.done = Promise.all([finished, consumed]).then(([outcome]) => this.finish(exec, outcome));
  }

  /** Stops a running execution as StopExecution does: ABORTED, with the error and cause given. */
  abort(exec: Execution, error: string | undefined, cause: string | undefined): void {
    if (exec.status !== 'RUNNING') return;
    exec.status = 'ABORTED';
    exec.stopDate = Date.now();
    exec.stopError = error;
    exec.stopCause = cause;
    exec.error = error;
    exec.cause = cause;
    exec.terminated = true;
    exec.abort?.();
    this.held?.get(exec)?.();
    // After abort(), so that the released tasks' failures land in an execution that has already ended.
    this.tokens.release(exec);
  }

  /** The `$$` context of the run. */
  private context(exec: Execution, machine: MachineEntry): NonNullable<RunOptions['context']> {
    const freshTokens = exec.freshTokens ?? [];
    const newToken = (): string => this.tokens.issue();
    return {
      Execution: { Id: exec.arn, Name: exec.name, RoleArn: machine.roleArn },
      StateMachine: { Id: machine.arn, Name: machine.name },
      // A getter, so each evaluation of $$.Task.Token (one per task, Map iterations included) gets
      // its own token; the Task's handler, which runs synchronously right after its Parameters are
      // evaluated, claims the tokens generated since the previous task.
      Task: {
        get Token(): string {
          const token = newToken();
          freshTokens.push(token);
          return token;
        },
      },
    };
  }

  private finish(exec: Execution, outcome: Outcome): void {
    if (exec.status === 'RUNNING') {
      Object.assign(exec, endingOf(outcome));
      exec.stopDate = Date.now();
    }
    this.log(
      `[sfn] ${exec.machine?.name ?? ''}: execution ${exec.name} ${exec.status}${exec.error ? ` (${exec.error})` : ''}`,
    );
    // Drop run-time state so a finished execution holds only its record.
    exec.abort = undefined;
    exec.pendingAttempts = undefined;
    exec.activeAttempts = undefined;
    exec.freshTokens = undefined;
    this.executions.persist();
    this.ended(exec);
  }

  /**
   * A failed Map/Parallel aborts its other iterations/branches, but the library cannot tell a task
   * handler so: release their held tasks, so that their tokens answer TaskTimedOut as on AWS. Only
   * when the container cannot run twice at once (not inside a Map), so no live iteration is hit.
   */
  private releaseInside(exec: Execution, containerName: string): void {
    const container = exec.machine?.containers.get(containerName);
    if (!container || container.insideMap) return;
    this.tokens.release(exec, (open) => open.task.containers.includes(containerName));
  }
}
