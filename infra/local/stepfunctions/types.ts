/** The shapes the local Step Functions endpoint works with: its options, executions, tasks and history. */
import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';
import type { AslState, ContainerStateInfo, TaskStateInfo } from '../state-machine-template';

export interface LocalStateMachineConfig {
  name: string;
  /** `arn:<partition>:states:<region>:<account>:stateMachine:<name>` */
  arn: string;
  /** Plain ASL JSON (see resolveStateMachineDefinition for CDK templates). */
  definition: object;
  roleArn?: string;
}

export interface LocalStepFunctionsOptions {
  stateMachines: LocalStateMachineConfig[];
  /**
   * Invoked for every Lambda task with the `FunctionName` the state built (a name or ARN, as in the
   * definition) and its `Payload`. A thrown error fails the task with the error's `name` as Error.
   */
  invokeFunction: (functionName: string, payload: unknown) => Promise<unknown>;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  log?: (msg: string) => void;
  /**
   * When set, executions (with their history) are kept in this JSON file across restarts, written as
   * they start and as they end; one that was running when the process died is read back ABORTED
   * (see ExecutionRegistry.load).
   */
  persistPath?: string;
  /**
   * Told of every execution that ends (SUCCEEDED, FAILED, TIMED_OUT or ABORTED, StopExecution
   * included) with the event Step Functions sends EventBridge, as a rule would pass it on. Not called
   * for the executions the server ends itself when it stops (stop()), nor for those a previous process
   * left running (load): neither ended for a reason of its own. Called after the execution's record
   * is final; what it throws or rejects with is logged, never passed on, and stop() waits for it.
   */
  onExecutionEnded?: (event: ExecutionStatusChangeEvent) => unknown;
}

/** The EventBridge event "Step Functions Execution Status Change" of an execution that ended. */
export interface ExecutionStatusChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'Step Functions Execution Status Change';
  source: 'aws.states';
  account: string;
  /** When it ended, as EventBridge writes it (ISO 8601, whole seconds, UTC). */
  time: string;
  region: string;
  resources: [string];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: Exclude<ExecutionStatus, 'RUNNING'>;
    /** Epoch milliseconds, as in the event (the API answers epoch seconds). */
    startDate: number;
    stopDate: number;
    input: string;
    inputDetails: { included: true };
    output: string | null;
    outputDetails: { included: true } | null;
    error: string | null;
    cause: string | null;
  };
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** One history event as GetExecutionHistory returns it; timestamps are epoch milliseconds internally. */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export type Log = (msg: string) => void;
export type JsonObject = Record<string, unknown>;
export type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type JsonValue = Parameters<LocalHandlers[string]>[0];
export type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface MachineEntry {
  name: string;
  arn: string;
  region: string;
  roleArn: string;
  definition: object;
  runnable: StateMachine;
  tasks: Map<string, TaskStateInfo>;
  containers: Map<string, ContainerStateInfo>;
  states: Map<string, AslState>;
  creationDate: number;
}

/** One run of a Task state's resource, kept so the history can show its parameters and result. */
export interface TaskAttempt {
  stateName: string;
  task: TaskStateInfo;
  parameters: unknown;
  result?: unknown;
  submitted?: unknown;
  hasSubmitted: boolean;
  entered: boolean;
  closed: boolean;
}

/** A `.waitForTaskToken` task held open until its token is answered (or it times out or is released). */
export interface OpenTask {
  tokens: string[];
  exec: Execution;
  task: TaskStateInfo;
  attempt: TaskAttempt;
  resolve: (value: JsonValue) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export interface Execution {
  arn: string;
  name: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  history: HistoryEvent[];
  // Runtime only (never persisted):
  machine?: MachineEntry;
  abort?: () => void;
  terminated?: boolean;
  done?: Promise<void>;
  openTasks?: Set<OpenTask>;
  freshTokens?: string[];
  pendingAttempts?: Map<string, TaskAttempt[]>;
  activeAttempts?: Map<string, TaskAttempt[]>;
  failedContainers?: Set<string>;
  stopError?: string;
  stopCause?: string;
}

export type PersistedExecution = Pick<
  Execution,
  | 'arn'
  | 'name'
  | 'stateMachineArn'
  | 'status'
  | 'input'
  | 'output'
  | 'error'
  | 'cause'
  | 'startDate'
  | 'stopDate'
  | 'history'
>;
