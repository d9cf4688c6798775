/**
 * A local endpoint that speaks the Step Functions API (AWS JSON 1.0: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Action>`) and runs executions in-process with
 * aws-local-stepfunctions. Handlers keep using `@aws-sdk/client-sfn`; only their endpoint changes.
 *
 * aws-local-stepfunctions is a library that runs one execution; everything an API needs around it
 * is here: execution records and names, task tokens, history in AWS's event shapes, stop, paging.
 * Lambda tasks never reach AWS: every Task state is overridden with a local handler that calls
 * `invokeFunction`, and `.waitForTaskToken` tasks are held open until SendTaskSuccess/Failure.
 */
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import {
  listContainerStates,
  listTaskStates,
  walkStates,
  type AslDefinition,
  type AslState,
  type ContainerStateInfo,
  type TaskStateInfo,
} from './state-machine-template';

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
  /** When set, finished executions (with their history) are kept in this JSON file across restarts. */
  persistPath?: string;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One history event as GetExecutionHistory returns it; timestamps are epoch milliseconds internally. */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** An API error; `type` is the short name the SDK maps to its exception class. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly namespace = 'com.amazonaws.swf.service.model.v20160601',
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonValue = Parameters<LocalHandlers[string]>[0];
type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type JsonObject = Record<string, unknown>;

/** setTimeout overflows above 2^31-1 ms and then fires at once, so longer timeouts are capped here. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const TOKEN_MARK = Buffer.from('local-sfn-token:');
const TOKEN_BYTES = TOKEN_MARK.length + 48;
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const CORAL_NS = 'com.amazon.coral.service';
const VALIDATE_NS = 'com.amazon.coral.validate';
const TERMINAL_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

interface MachineEntry {
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
interface TaskAttempt {
  stateName: string;
  task: TaskStateInfo;
  parameters: unknown;
  result?: unknown;
  submitted?: unknown;
  hasSubmitted: boolean;
  entered: boolean;
  closed: boolean;
}

interface OpenTask {
  tokens: string[];
  exec: Execution;
  task: TaskStateInfo;
  attempt: TaskAttempt;
  resolve: (value: JsonValue) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Execution {
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

type PersistedExecution = Pick<
  Execution,
  'arn' | 'name' | 'stateMachineArn' | 'status' | 'input' | 'output' | 'error' | 'cause' | 'startDate' | 'stopDate' | 'history'
>;

/** An error a task fails with; `name` is what Retry/Catch match on. */
class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Ends a held task whose execution is already over (stopped, timed out, or its Map/Parallel failed).
 * The library reads `isRetryable`/`isCatchable` (default true), so without these flags a Retry or
 * Catch would run states of an execution that no longer exists.
 */
function releasedError(): Error {
  return Object.assign(new Error('The execution no longer runs this task'), {
    name: 'Local.TaskReleased',
    isRetryable: false,
    isCatchable: false,
  });
}

/** Lambda's function-error shape: Error is the error type, Cause the JSON the runtime reports. */
function lambdaFunctionError(thrown: unknown): Error {
  const errorType = thrown instanceof Error ? thrown.name : 'Error';
  const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
  // Lambda service errors (Lambda.ServiceException, …) carry a plain message on AWS, not the runtime JSON.
  if (errorType.startsWith('Lambda.')) return new TaskError(errorType, errorMessage);
  const trace = thrown instanceof Error && thrown.stack ? thrown.stack.split('\n') : [];
  return new TaskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

function seconds(ms: number): number {
  return ms / 1000;
}

function jsonClone<T>(value: T): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function causeText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Evaluates the simple JSONPaths (`$`, `$.a.b`, `$.a[0]`, `$['a']`) used to size a Map in the history. */
function simplePath(pathExpr: string, value: unknown): unknown {
  if (pathExpr === '$') return value;
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]/gy;
  let current: unknown = value;
  re.lastIndex = 1;
  if (!pathExpr.startsWith('$')) return undefined;
  while (re.lastIndex < pathExpr.length) {
    const m = re.exec(pathExpr);
    if (!m) return undefined;
    const key = m[1] ?? m[3] ?? Number(m[2]);
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function validationError(message: string): SfnApiError {
  return new SfnApiError('ValidationException', message, VALIDATE_NS);
}

function invalidArn(arn: unknown): SfnApiError {
  return new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
}

function invalidToken(): SfnApiError {
  return new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
}

function requireString(request: JsonObject, field: string): string {
  const value = request[field];
  if (value === undefined || value === null) {
    throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof value !== 'string') throw new SfnApiError('SerializationException', `Expected a string for ${field}`, CORAL_NS);
  return value;
}

function optionalString(request: JsonObject, field: string): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SfnApiError('SerializationException', `Expected a string for ${field}`, CORAL_NS);
  return value;
}

function pageSize(request: JsonObject): number {
  const raw = request.maxResults;
  if (raw === undefined || raw === null || raw === 0) return DEFAULT_PAGE;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > MAX_PAGE) {
    throw validationError(
      `1 validation error detected: Value '${String(raw)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`,
    );
  }
  return raw;
}

function encodeCursor(cursor: JsonObject): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64');
}

function decodeCursor(token: string): JsonObject {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (isObject(value)) return value;
  } catch {
    // fall through: any unreadable token is an invalid one
  }
  throw invalidToken();
}

/** AWS's execution-name rule: 1–80 characters, no whitespace, brackets, wildcards, most punctuation or control characters. */
function isValidExecutionName(name: string): boolean {
  if (name.length < 1 || name.length > 80) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name);
}

/** Copy of a definition with every timer setTimeout can honour: see MAX_TIMER_SECONDS and STACK.md. */
function withLocalTimeouts(definition: AslDefinition): AslDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as AslDefinition;
  if (typeof copy.TimeoutSeconds === 'number' && copy.TimeoutSeconds > MAX_TIMER_SECONDS) copy.TimeoutSeconds = MAX_TIMER_SECONDS;
  walkStates(copy, (_name, state) => {
    if (state.Type === 'Task') {
      // The library gives a Task without TimeoutSeconds 60 s; AWS lets it run (up to a year).
      if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = MAX_TIMER_SECONDS;
      else if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > MAX_TIMER_SECONDS) state.TimeoutSeconds = MAX_TIMER_SECONDS;
    }
    if (state.Type === 'Wait' && typeof state.Seconds === 'number' && state.Seconds > MAX_TIMER_SECONDS) state.Seconds = MAX_TIMER_SECONDS;
  });
  return copy;
}

function resourceParts(task: TaskStateInfo): { resourceType: string; resource: string } {
  switch (task.integration) {
    case 'lambda:invoke':
      return { resourceType: 'lambda', resource: 'invoke' };
    case 'lambda:invoke.waitForTaskToken':
      return { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    default: {
      // arn:aws:states:::service:action(.pattern) → service / action(.pattern), as AWS shows it
      const m = /^arn:[^:]+:states:::([^:]+):(.+)$/.exec(task.resource);
      return m ? { resourceType: m[1], resource: m[2] } : { resourceType: 'lambda', resource: task.resource };
    }
  }
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, MachineEntry>();
  private readonly executions = new Map<string, Execution>();
  /** Every token handed out: open ones point at their task, answered/expired ones are 'closed'. */
  private readonly tokens = new Map<string, OpenTask | 'closed'>();
  private readonly log: (msg: string) => void;
  private server?: http.Server;
  private persistChain: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    this.log = opts.log ?? (() => undefined);
    const created = Date.now();
    for (const sm of opts.stateMachines) {
      const m = /^arn:[^:]+:states:([^:]*):([^:]*):stateMachine:([^:]+)$/.exec(sm.arn);
      if (!m) throw new Error(`State machine ${sm.name}: "${sm.arn}" is not a state machine ARN`);
      if (this.machines.has(sm.arn)) throw new Error(`Two state machines share the ARN ${sm.arn}`);
      const definition = sm.definition as AslDefinition;
      const runnableDefinition = withLocalTimeouts(definition);
      let runnable: StateMachine;
      try {
        // checkArn off: every Task is overridden locally, so fake Lambda ARNs never need to be real.
        runnable = new StateMachine(runnableDefinition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
      } catch (e) {
        throw new Error(`State machine ${sm.name}: ${(e as Error).message}`);
      }
      const tasks = new Map(listTaskStates(runnableDefinition).map((t) => [t.stateName, t]));
      const states = new Map<string, AslState>();
      walkStates(definition, (name, state) => states.set(name, state));
      for (const t of tasks.values()) {
        if (t.integration === 'other') this.log(`[sfn] ${sm.name}: Task "${t.stateName}" uses ${t.resource}, which local mode does not run; it will fail`);
      }
      this.machines.set(sm.arn, {
        name: sm.name,
        arn: sm.arn,
        region: m[1],
        roleArn: sm.roleArn ?? `arn:aws:iam::${m[2] || '000000000000'}:role/local-stepfunctions`,
        definition: sm.definition,
        runnable,
        tasks,
        containers: new Map(listContainerStates(definition).map((c) => [c.stateName, c])),
        states,
        creationDate: created,
      });
    }
  }

  async start(): Promise<{ port: number; url: string }> {
    if (this.server) throw new Error('LocalStepFunctions already started');
    await this.loadPersisted();
    const host = this.opts.host ?? '127.0.0.1';
    const server = http.createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.stopping = false;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : (this.opts.port ?? 0);
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.log(`[sfn] Step Functions API on ${url} (${this.machines.size} state machine(s))`);
    return { port, url };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    for (const exec of running) this.abortExecution(exec, 'Local.ServerStopped', 'The local Step Functions server was stopped');
    await Promise.all(running.map((e) => e.done));
    await this.persistChain;
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // SDK clients keep connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      });
    }
  }

  /**
   * Runs one API action in-process, exactly as the HTTP endpoint would (e.g. for a local console
   * page). Throws SfnApiError for the errors AWS would return.
   */
  async handleAction(action: string, request: JsonObject): Promise<JsonObject> {
    switch (action) {
      case 'StartExecution':
        return this.startExecution(request);
      case 'DescribeExecution':
        return this.describeExecution(request);
      case 'ListExecutions':
        return this.listExecutions(request);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(request);
      case 'StopExecution':
        return this.stopExecution(request);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(request);
      case 'SendTaskFailure':
        return this.sendTaskFailure(request);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(request);
      case 'DescribeStateMachine':
        return this.describeStateMachine(request);
      case 'DescribeStateMachineForExecution':
        return this.describeStateMachineForExecution(request);
      case 'ListStateMachines':
        return this.listStateMachines(request);
      default:
        throw new SfnApiError('UnknownOperationException', `Unknown operation ${action}`, CORAL_NS);
    }
  }

  // ---------------------------------------------------------------- HTTP

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': requestId,
      });
      res.end(text);
    };
    try {
      if (req.method !== 'POST') {
        throw new SfnApiError('UnknownOperationException', `${req.method ?? ''} is not supported; POST an X-Amz-Target action`, CORAL_NS, 404);
      }
      const target = req.headers['x-amz-target'];
      const action = typeof target === 'string' && target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : undefined;
      const body = await readBody(req);
      if (!action) throw new SfnApiError('UnknownOperationException', `Unknown target ${String(target)}`, CORAL_NS);
      let request: unknown = {};
      if (body.length > 0) {
        try {
          request = JSON.parse(body);
        } catch {
          throw new SfnApiError('SerializationException', 'Request body is not valid JSON', CORAL_NS);
        }
      }
      if (!isObject(request)) throw new SfnApiError('SerializationException', 'Request body must be a JSON object', CORAL_NS);
      send(200, await this.handleAction(action, request));
    } catch (e) {
      if (e instanceof SfnApiError) {
        send(e.statusCode, { __type: `${e.namespace}#${e.type}`, message: e.message });
      } else {
        this.log(`[sfn] internal error: ${(e as Error)?.stack ?? String(e)}`);
        send(500, { __type: `${CORAL_NS}#InternalFailure`, message: (e as Error)?.message ?? String(e) });
      }
    }
  }

  // ---------------------------------------------------------------- lookups

  private machineByArn(arn: string): MachineEntry {
    const machine = this.machines.get(arn);
    if (machine) return machine;
    if (!/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+$/.test(arn)) throw invalidArn(arn);
    throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  private executionByArn(arn: string): Execution {
    const exec = this.executions.get(arn);
    if (exec) return exec;
    if (!/^arn:[^:]+:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/.test(arn)) throw invalidArn(arn);
    throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }

  private executionArnFor(machine: MachineEntry, name: string): string {
    return machine.arn.replace(/:stateMachine:([^:]+)$/, `:execution:$1:${name}`);
  }

  // ---------------------------------------------------------------- executions

  private startExecution(request: JsonObject): JsonObject {
    if (this.stopping) throw new SfnApiError('ServiceUnavailable', 'The local Step Functions server is stopping', CORAL_NS, 503);
    const machine = this.machineByArn(requireString(request, 'stateMachineArn'));
    const name = optionalString(request, 'name') ?? randomUUID();
    if (!isValidExecutionName(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = optionalString(request, 'input') ?? '{}';
    let parsedInput: JsonValue;
    try {
      parsedInput = JSON.parse(input) as JsonValue;
    } catch (e) {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(e as Error).message}'`);
    }
    const arn = this.executionArnFor(machine, name);
    const existing = this.executions.get(arn);
    if (existing) {
      // AWS (Standard) answers an identical re-start of a still-running execution with that execution.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: existing.arn, startDate: seconds(existing.startDate) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const exec: Execution = {
      arn,
      name,
      stateMachineArn: machine.arn,
      status: 'RUNNING',
      input,
      startDate: Date.now(),
      history: [],
      machine,
      openTasks: new Set(),
      freshTokens: [],
      pendingAttempts: new Map(),
      activeAttempts: new Map(),
      failedContainers: new Set(),
    };
    // Registered before the run starts: the first Task runs synchronously inside run(), and its
    // handler may already call back into this API about its own execution.
    this.executions.set(arn, exec);
    this.launch(exec, machine, parsedInput);
    return { executionArn: arn, startDate: seconds(exec.startDate) };
  }

  private launch(exec: Execution, machine: MachineEntry, input: JsonValue): void {
    const handlers: LocalHandlers = {};
    for (const task of machine.tasks.values()) handlers[task.stateName] = (taskInput) => this.runTask(exec, task, taskInput);
    const freshTokens = exec.freshTokens ?? [];
    const newToken = (): string => this.newToken();
    const context = {
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
    this.log(`[sfn] ${machine.name}: execution ${exec.name} started`);
    const run = machine.runnable.run(input, { overrides: { taskResourceLocalHandlers: handlers }, context });
    exec.abort = run.abort;
    const consumed = this.consumeEvents(exec, run.eventLogs);
    const settled = run.result.then(
      (output) => ({ ok: true as const, output: output as unknown }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const finished = settled.then((outcome) => {
      exec.terminated = true;
      // Anything still held (an execution timeout, a Map that gave up) can no longer be answered.
      this.releaseOpenTasks(exec);
      return outcome;
    });
    exec.done = Promise.all([finished, consumed]).then(([outcome]) => this.finish(exec, outcome));
  }

  private finish(exec: Execution, outcome: { ok: true; output: unknown } | { ok: false; error: unknown }): void {
    if (exec.status === 'RUNNING') {
      if (outcome.ok) {
        exec.status = 'SUCCEEDED';
        exec.output = JSON.stringify(outcome.output ?? null);
      } else if (outcome.error instanceof ExecutionTimeoutError) {
        exec.status = 'TIMED_OUT';
        exec.error = 'States.Timeout';
        exec.cause = 'The execution ran longer than its TimeoutSeconds';
      } else if (outcome.error instanceof ExecutionAbortedError) {
        exec.status = 'ABORTED';
      } else if (outcome.error instanceof ExecutionError) {
        const failure = outcome.error.cause;
        exec.status = 'FAILED';
        if (failure instanceof Error) {
          exec.error = failure.name;
          exec.cause = causeText(failure.cause) ?? failure.message;
        } else {
          exec.cause = causeText(failure);
        }
      } else {
        exec.status = 'FAILED';
        exec.error = 'States.Runtime';
        exec.cause = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      }
      exec.stopDate = Date.now();
    }
    this.log(`[sfn] ${exec.machine?.name ?? ''}: execution ${exec.name} ${exec.status}${exec.error ? ` (${exec.error})` : ''}`);
    // Drop run-time state so a finished execution holds only its record.
    exec.abort = undefined;
    exec.pendingAttempts = undefined;
    exec.activeAttempts = undefined;
    exec.freshTokens = undefined;
    this.persist();
  }

  private abortExecution(exec: Execution, error: string | undefined, cause: string | undefined): void {
    if (exec.status !== 'RUNNING') return;
    exec.status = 'ABORTED';
    exec.stopDate = Date.now();
    exec.stopError = error;
    exec.stopCause = cause;
    exec.error = error;
    exec.cause = cause;
    exec.terminated = true;
    exec.abort?.();
    // After abort(), so that the released tasks' failures land in an execution that has already ended.
    this.releaseOpenTasks(exec);
  }

  private describeExecution(request: JsonObject): JsonObject {
    const exec = this.executionByArn(requireString(request, 'executionArn'));
    const out: JsonObject = {
      executionArn: exec.arn,
      stateMachineArn: exec.stateMachineArn,
      name: exec.name,
      status: exec.status,
      startDate: seconds(exec.startDate),
      input: exec.input,
      inputDetails: { included: true },
      redriveCount: 0,
    };
    if (exec.stopDate !== undefined) out.stopDate = seconds(exec.stopDate);
    if (exec.output !== undefined) {
      out.output = exec.output;
      out.outputDetails = { included: true };
    }
    if (exec.error !== undefined) out.error = exec.error;
    if (exec.cause !== undefined) out.cause = exec.cause;
    return out;
  }

  private listExecutions(request: JsonObject): JsonObject {
    const machine = this.machineByArn(requireString(request, 'stateMachineArn'));
    const statusFilter = optionalString(request, 'statusFilter');
    if (statusFilter !== undefined && !(STATUSES as readonly string[]).includes(statusFilter)) {
      throw validationError(`1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`);
    }
    const limit = pageSize(request);
    const all = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === machine.arn && (statusFilter === undefined || e.status === statusFilter))
      .sort((a, b) => b.startDate - a.startDate || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    let start = 0;
    const nextToken = optionalString(request, 'nextToken');
    if (nextToken !== undefined) {
      const cursor = decodeCursor(nextToken);
      const index = all.findIndex((e) => e.arn === cursor.after);
      if (index < 0 || cursor.sm !== machine.arn || cursor.status !== (statusFilter ?? null)) throw invalidToken();
      start = index + 1;
    }
    const page = all.slice(start, start + limit);
    const out: JsonObject = {
      executions: page.map((e) => {
        const item: JsonObject = {
          executionArn: e.arn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: seconds(e.startDate),
        };
        if (e.stopDate !== undefined) item.stopDate = seconds(e.stopDate);
        return item;
      }),
    };
    if (start + limit < all.length && page.length > 0) {
      out.nextToken = encodeCursor({ after: page[page.length - 1].arn, sm: machine.arn, status: statusFilter ?? null });
    }
    return out;
  }

  private getExecutionHistory(request: JsonObject): JsonObject {
    const exec = this.executionByArn(requireString(request, 'executionArn'));
    const reverse = request.reverseOrder === true;
    const includeData = request.includeExecutionData !== false;
    const limit = pageSize(request);
    let events = reverse ? [...exec.history].reverse() : exec.history;
    const nextToken = optionalString(request, 'nextToken');
    if (nextToken !== undefined) {
      const cursor = decodeCursor(nextToken);
      if (cursor.exec !== exec.arn || cursor.reverse !== reverse || typeof cursor.id !== 'number') throw invalidToken();
      const lastId = cursor.id;
      events = events.filter((e) => (reverse ? e.id < lastId : e.id > lastId));
    }
    const page = events.slice(0, limit);
    const out: JsonObject = { events: page.map((e) => renderEvent(e, includeData)) };
    if (events.length > limit) out.nextToken = encodeCursor({ exec: exec.arn, reverse, id: page[page.length - 1].id });
    return out;
  }

  private async stopExecution(request: JsonObject): Promise<JsonObject> {
    const exec = this.executionByArn(requireString(request, 'executionArn'));
    if (exec.status === 'RUNNING') {
      this.abortExecution(exec, optionalString(request, 'error'), optionalString(request, 'cause'));
      // Let the run wind down so the history already ends with ExecutionAborted when we answer.
      await exec.done;
    }
    return { stopDate: seconds(exec.stopDate ?? Date.now()) };
  }

  // ---------------------------------------------------------------- state machines

  private describeMachine(machine: MachineEntry): JsonObject {
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(machine.definition),
      roleArn: machine.roleArn,
      type: 'STANDARD',
      creationDate: seconds(machine.creationDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private describeStateMachine(request: JsonObject): JsonObject {
    return this.describeMachine(this.machineByArn(requireString(request, 'stateMachineArn')));
  }

  private describeStateMachineForExecution(request: JsonObject): JsonObject {
    const exec = this.executionByArn(requireString(request, 'executionArn'));
    const machine = this.machineByArn(exec.stateMachineArn);
    const { status: _status, creationDate, ...rest } = this.describeMachine(machine);
    return { ...rest, updateDate: creationDate };
  }

  private listStateMachines(request: JsonObject): JsonObject {
    const limit = pageSize(request);
    const all = [...this.machines.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let start = 0;
    const nextToken = optionalString(request, 'nextToken');
    if (nextToken !== undefined) {
      const cursor = decodeCursor(nextToken);
      const index = all.findIndex((m) => m.arn === cursor.after);
      if (index < 0) throw invalidToken();
      start = index + 1;
    }
    const page = all.slice(start, start + limit);
    const out: JsonObject = {
      stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: seconds(m.creationDate) })),
    };
    if (start + limit < all.length && page.length > 0) out.nextToken = encodeCursor({ after: page[page.length - 1].arn });
    return out;
  }

  // ---------------------------------------------------------------- tasks

  /**
   * The local handler of one Task state run. Everything before the first await is synchronous on
   * purpose: it pairs this call with the token(s) its Parameters just generated and with the
   * StateEntered/StateRetried event the history mapper will read.
   */
  private runTask(exec: Execution, task: TaskStateInfo, input: JsonValue): Promise<JsonValue> {
    const tokens = exec.freshTokens?.splice(0) ?? [];
    // After a stop the library may still retry a failed task once (its retry sleep ends on abort).
    if (exec.terminated) return Promise.reject(releasedError());
    const attempt: TaskAttempt = { stateName: task.stateName, task, parameters: input, hasSubmitted: false, entered: false, closed: false };
    const pending = exec.pendingAttempts?.get(task.stateName);
    if (pending) pending.push(attempt);
    else exec.pendingAttempts?.set(task.stateName, [attempt]);

    switch (task.integration) {
      case 'lambda:invoke':
        return this.invokeLambdaTask(exec, task, input, attempt);
      case 'lambda:invoke.waitForTaskToken':
        return this.waitForTaskToken(exec, task, input, attempt, tokens);
      case 'lambda-function':
        return this.invokeBareLambda(task, input, attempt);
      default:
        return Promise.reject(
          Object.assign(new Error(`Task "${task.stateName}": resource ${task.resource} is not supported in local mode`), {
            name: 'Local.UnsupportedResource',
            isRetryable: false,
            isCatchable: false,
          }),
        );
    }
  }

  private async invoke(functionName: string, payload: unknown): Promise<unknown> {
    // JSON round trips on both sides, as over the wire: handlers can neither share nor mutate state objects.
    return jsonClone(await this.opts.invokeFunction(functionName, jsonClone(payload)));
  }

  private lambdaParams(task: TaskStateInfo, input: JsonValue): { functionName: string; payload: unknown; params: JsonObject } {
    const params = isObject(input) ? input : {};
    const functionName = params.FunctionName;
    if (typeof functionName !== 'string' || functionName.length === 0) {
      throw new TaskError('Lambda.InvalidParameterValueException', `Task "${task.stateName}": Parameters.FunctionName is missing`);
    }
    return { functionName, payload: params.Payload ?? {}, params };
  }

  private async invokeLambdaTask(exec: Execution, task: TaskStateInfo, input: JsonValue, attempt: TaskAttempt): Promise<JsonValue> {
    const { functionName, payload, params } = this.lambdaParams(task, input);
    const requestId = randomUUID();
    const metadata = {
      SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: requestId },
    };
    let result: JsonObject;
    if (params.InvocationType === 'Event') {
      this.invoke(functionName, payload).catch((e: unknown) => this.log(`[sfn] async invoke of ${functionName} failed: ${String(e)}`));
      result = { Payload: '', StatusCode: 202, ...metadata };
    } else {
      this.log(`[sfn] ${exec.name}: ${task.stateName} → ${functionName}`);
      let value: unknown;
      try {
        value = await this.invoke(functionName, payload);
      } catch (e) {
        throw lambdaFunctionError(e);
      }
      result = { ExecutedVersion: '$LATEST', Payload: value, ...metadata, StatusCode: 200 };
    }
    attempt.result = result;
    return result as JsonValue;
  }

  private async invokeBareLambda(task: TaskStateInfo, input: JsonValue, attempt: TaskAttempt): Promise<JsonValue> {
    let value: unknown;
    try {
      value = await this.invoke(task.resource, input);
    } catch (e) {
      throw lambdaFunctionError(e);
    }
    attempt.result = value;
    return value as JsonValue;
  }

  private waitForTaskToken(exec: Execution, task: TaskStateInfo, input: JsonValue, attempt: TaskAttempt, tokens: string[]): Promise<JsonValue> {
    let functionName: string;
    let payload: unknown;
    try {
      ({ functionName, payload } = this.lambdaParams(task, input));
    } catch (e) {
      return Promise.reject(e as Error);
    }
    if (tokens.length === 0) {
      this.log(`[sfn] ${exec.name}: ${task.stateName} waits for a task token but its Parameters never read $$.Task.Token`);
      tokens = [this.newToken()];
    }
    let resolve!: (value: JsonValue) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<JsonValue>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const open: OpenTask = { tokens, exec, task, attempt, resolve, reject };
    for (const token of tokens) this.tokens.set(token, open);
    exec.openTasks?.add(open);
    // Mirrors the library's own States.Timeout timer (same delay, armed just before it) so the token
    // stops being accepted at the moment the task times out.
    const timeout = this.taskTimeoutSeconds(task, input);
    if (timeout !== undefined) {
      open.timer = setTimeout(() => this.closeTask(open), timeout * 1000);
      open.timer.unref();
    }
    this.log(`[sfn] ${exec.name}: ${task.stateName} → ${functionName} (waiting for its task token)`);
    this.invoke(functionName, payload).then(
      (value) => {
        attempt.submitted = { ExecutedVersion: '$LATEST', Payload: value, StatusCode: 200 };
        attempt.hasSubmitted = true;
        if (attempt.entered && !attempt.closed) this.pushTaskSubmitted(exec, attempt);
      },
      (e: unknown) => {
        if (!exec.openTasks?.has(open)) return;
        this.closeTask(open);
        reject(lambdaFunctionError(e));
      },
    );
    return promise;
  }

  private taskTimeoutSeconds(task: TaskStateInfo, input: JsonValue): number | undefined {
    if (task.timeoutSeconds !== undefined) return Math.min(task.timeoutSeconds, MAX_TIMER_SECONDS);
    if (task.timeoutSecondsPath !== undefined) {
      const value = simplePath(task.timeoutSecondsPath, input);
      if (typeof value === 'number' && value >= 1) return Math.min(value, MAX_TIMER_SECONDS);
    }
    return undefined;
  }

  private newToken(): string {
    return Buffer.concat([TOKEN_MARK, randomBytes(TOKEN_BYTES - TOKEN_MARK.length)]).toString('base64');
  }

  private isWellFormedToken(token: string): boolean {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
    const bytes = Buffer.from(token, 'base64');
    return bytes.length === TOKEN_BYTES && bytes.subarray(0, TOKEN_MARK.length).equals(TOKEN_MARK);
  }

  private closeTask(open: OpenTask): void {
    if (open.timer) clearTimeout(open.timer);
    open.exec.openTasks?.delete(open);
    for (const token of open.tokens) this.tokens.set(token, 'closed');
  }

  private releaseOpenTasks(exec: Execution, filter?: (open: OpenTask) => boolean): void {
    for (const open of [...(exec.openTasks ?? [])]) {
      if (filter && !filter(open)) continue;
      this.closeTask(open);
      open.reject(releasedError());
    }
  }

  /** AWS's answers: malformed → InvalidToken, never issued → TaskDoesNotExist, already finished → TaskTimedOut. */
  private openTaskFor(request: JsonObject): OpenTask {
    const token = requireString(request, 'taskToken');
    if (token.length < 1 || token.length > 2048) {
      throw validationError("1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and 2048");
    }
    const entry = this.tokens.get(token);
    if (entry === undefined) {
      if (!this.isWellFormedToken(token)) throw invalidToken();
      throw new SfnApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
    }
    if (entry === 'closed') throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    return entry;
  }

  private sendTaskSuccess(request: JsonObject): JsonObject {
    const open = this.openTaskFor(request);
    const output = requireString(request, 'output');
    let value: JsonValue;
    try {
      value = JSON.parse(output) as JsonValue;
    } catch (e) {
      throw new SfnApiError('InvalidOutput', `Invalid Output: '${(e as Error).message}'`);
    }
    this.closeTask(open);
    open.attempt.result = value;
    open.resolve(value);
    return {};
  }

  private sendTaskFailure(request: JsonObject): JsonObject {
    const open = this.openTaskFor(request);
    const error = optionalString(request, 'error');
    const cause = optionalString(request, 'cause');
    this.closeTask(open);
    open.reject(new TaskError(error ?? '', cause ?? ''));
    return {};
  }

  private sendTaskHeartbeat(request: JsonObject): JsonObject {
    // HeartbeatSeconds is not enforced locally (the library ignores it); a heartbeat only checks the token.
    this.openTaskFor(request);
    return {};
  }

  // ---------------------------------------------------------------- history

  private async consumeEvents(exec: Execution, events: AsyncGenerator<LibraryEvent>): Promise<void> {
    try {
      for await (const event of events) this.mapEvent(exec, event);
    } catch (e) {
      this.log(`[sfn] ${exec.name}: history mapping failed: ${(e as Error)?.stack ?? String(e)}`);
    }
  }

  private push(exec: Execution, type: string, details?: JsonObject, timestamp = Date.now()): void {
    // Nothing follows the execution's last event (a late TaskSubmitted, a released task's failure).
    const last = exec.history[exec.history.length - 1];
    if (last && TERMINAL_EVENTS.has(last.type)) return;
    const id = exec.history.length + 1;
    exec.history.push({ timestamp, type, id, previousEventId: id - 1, ...details });
  }

  private taskEventNames(task: TaskStateInfo): { scheduled: string; started: string; succeeded: string; failed: string; timedOut: string; prefix: 'task' | 'lambdaFunction' } {
    return task.integration === 'lambda-function'
      ? { scheduled: 'LambdaFunctionScheduled', started: 'LambdaFunctionStarted', succeeded: 'LambdaFunctionSucceeded', failed: 'LambdaFunctionFailed', timedOut: 'LambdaFunctionTimedOut', prefix: 'lambdaFunction' }
      : { scheduled: 'TaskScheduled', started: 'TaskStarted', succeeded: 'TaskSucceeded', failed: 'TaskFailed', timedOut: 'TaskTimedOut', prefix: 'task' };
  }

  /** A task run begins (StateEntered or StateRetried): pair it with the handler call it caused. */
  private beginAttempt(exec: Execution, stateName: string, key: string, timestamp: number): void {
    const attempt = exec.pendingAttempts?.get(stateName)?.shift();
    if (!attempt) return; // its Parameters failed to evaluate, so no resource was called
    attempt.entered = true;
    const active = exec.activeAttempts?.get(key);
    if (active) active.push(attempt);
    else exec.activeAttempts?.set(key, [attempt]);
    const names = this.taskEventNames(attempt.task);
    const { resourceType, resource } = resourceParts(attempt.task);
    if (names.prefix === 'lambdaFunction') {
      const details: JsonObject = { resource: attempt.task.resource, input: JSON.stringify(attempt.parameters), inputDetails: { truncated: false } };
      if (attempt.task.timeoutSeconds !== undefined) details.timeoutInSeconds = attempt.task.timeoutSeconds;
      this.push(exec, names.scheduled, { lambdaFunctionScheduledEventDetails: details }, timestamp);
      this.push(exec, names.started, undefined, timestamp);
    } else {
      const scheduled: JsonObject = { resourceType, resource, region: exec.machine?.region ?? '', parameters: JSON.stringify(attempt.parameters) };
      const timeout = this.taskTimeoutSeconds(attempt.task, attempt.parameters as JsonValue);
      // MAX_TIMER_SECONDS is our stand-in for "no timeout" (or a longer one), not something the definition said.
      if (timeout !== undefined && timeout < MAX_TIMER_SECONDS) scheduled.timeoutInSeconds = timeout;
      if (attempt.task.heartbeatSeconds !== undefined) scheduled.heartbeatInSeconds = attempt.task.heartbeatSeconds;
      this.push(exec, names.scheduled, { taskScheduledEventDetails: scheduled }, timestamp);
      this.push(exec, names.started, { taskStartedEventDetails: { resourceType, resource } }, timestamp);
    }
    if (attempt.hasSubmitted) this.pushTaskSubmitted(exec, attempt);
  }

  private pushTaskSubmitted(exec: Execution, attempt: TaskAttempt): void {
    const { resourceType, resource } = resourceParts(attempt.task);
    this.push(exec, 'TaskSubmitted', {
      taskSubmittedEventDetails: { resourceType, resource, output: JSON.stringify(attempt.submitted ?? null), outputDetails: { truncated: false } },
    });
  }

  private takeActive(exec: Execution, key: string): TaskAttempt | undefined {
    const active = exec.activeAttempts?.get(key);
    const attempt = active?.shift();
    if (active && active.length === 0) exec.activeAttempts?.delete(key);
    if (attempt) attempt.closed = true;
    return attempt;
  }

  private mapEvent(exec: Execution, event: LibraryEvent): void {
    const ts = event.timestamp;
    switch (event.type) {
      case 'ExecutionStarted':
        this.push(exec, 'ExecutionStarted', {
          executionStartedEventDetails: { input: exec.input, inputDetails: { truncated: false }, roleArn: exec.machine?.roleArn },
        }, ts);
        return;
      case 'ExecutionSucceeded':
        this.push(exec, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null), outputDetails: { truncated: false } },
        }, ts);
        return;
      case 'ExecutionFailed':
        this.push(exec, 'ExecutionFailed', { executionFailedEventDetails: errorDetails(event.Error, event.Cause) }, ts);
        return;
      case 'ExecutionAborted':
        this.push(exec, 'ExecutionAborted', { executionAbortedEventDetails: errorDetails(exec.stopError, exec.stopCause) }, ts);
        return;
      case 'ExecutionTimeout':
        this.push(exec, 'ExecutionTimedOut', {
          executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' },
        }, ts);
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const field = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.push(exec, event.type, { [field]: { name: event.parentState.name, index: event.index } }, ts);
        return;
      }
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return; // AWS has no per-branch events
      case 'StateEntered': {
        const { name, type, input } = event.state;
        const key = `${name}#${event.index ?? ''}`;
        this.push(exec, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(input ?? null), inputDetails: { truncated: false } } }, ts);
        if (type === 'Task') this.beginAttempt(exec, name, key, ts);
        if (type === 'Map') {
          exec.failedContainers?.delete(key);
          this.push(exec, 'MapStateStarted', { mapStateStartedEventDetails: this.mapLength(exec, name, input) }, ts);
        }
        if (type === 'Parallel') {
          exec.failedContainers?.delete(key);
          this.push(exec, 'ParallelStateStarted', undefined, ts);
        }
        return;
      }
      case 'StateRetried': {
        const { name, type } = event.state;
        const key = `${name}#${event.index ?? ''}`;
        if (type === 'Task') this.beginAttempt(exec, name, key, ts);
        if (type === 'Map' || type === 'Parallel') {
          exec.failedContainers?.delete(key);
          if (type === 'Map') this.push(exec, 'MapStateStarted', { mapStateStartedEventDetails: this.mapLength(exec, name, event.state.input) }, ts);
          else this.push(exec, 'ParallelStateStarted', undefined, ts);
        }
        return;
      }
      case 'StateFailed': {
        const { name, type } = event.state;
        const key = `${name}#${event.index ?? ''}`;
        if (type === 'Task') {
          const attempt = this.takeActive(exec, key);
          const task = attempt?.task ?? exec.machine?.tasks.get(name);
          if (!task) return;
          const names = this.taskEventNames(task);
          const timedOut = event.Error === 'States.Timeout';
          const details = errorDetails(event.Error, event.Cause);
          if (names.prefix === 'lambdaFunction') {
            this.push(exec, timedOut ? names.timedOut : names.failed, { [timedOut ? 'lambdaFunctionTimedOutEventDetails' : 'lambdaFunctionFailedEventDetails']: details }, ts);
          } else {
            const { resourceType, resource } = resourceParts(task);
            this.push(exec, timedOut ? names.timedOut : names.failed, {
              [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { resourceType, resource, ...details },
            }, ts);
          }
        } else if (type === 'Map' || type === 'Parallel') {
          exec.failedContainers?.add(key);
          this.push(exec, `${type}StateFailed`, undefined, ts);
          this.releaseInside(exec, name);
        }
        return;
      }
      case 'StateCaught':
        return; // AWS shows a caught failure as the failure event followed by the state's exit
      case 'StateExited': {
        const { name, type, output } = event.state;
        const key = `${name}#${event.index ?? ''}`;
        if (type === 'Task') {
          const attempt = this.takeActive(exec, key);
          if (attempt) {
            const names = this.taskEventNames(attempt.task);
            const result = JSON.stringify(attempt.result ?? null);
            if (names.prefix === 'lambdaFunction') {
              this.push(exec, names.succeeded, { lambdaFunctionSucceededEventDetails: { output: result, outputDetails: { truncated: false } } }, ts);
            } else {
              const { resourceType, resource } = resourceParts(attempt.task);
              this.push(exec, names.succeeded, { taskSucceededEventDetails: { resourceType, resource, output: result, outputDetails: { truncated: false } } }, ts);
            }
          }
        }
        if ((type === 'Map' || type === 'Parallel') && !exec.failedContainers?.delete(key)) {
          this.push(exec, `${type}StateSucceeded`, undefined, ts);
        }
        this.push(exec, `${type}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(output ?? null), outputDetails: { truncated: false } } }, ts);
        return;
      }
    }
  }

  /**
   * A failed Map/Parallel aborts its other iterations/branches, but the library cannot tell a task
   * handler so: release their held tasks, so that their tokens answer TaskTimedOut as on AWS. Only
   * when the container cannot run twice at once (not inside a Map), so no live iteration is hit.
   */
  private releaseInside(exec: Execution, containerName: string): void {
    const container = exec.machine?.containers.get(containerName);
    if (!container || container.insideMap) return;
    this.releaseOpenTasks(exec, (open) => open.task.containers.includes(containerName));
  }

  private mapLength(exec: Execution, mapName: string, rawInput: unknown): JsonObject {
    const state = exec.machine?.states.get(mapName);
    if (!state) return {};
    let value = rawInput;
    if (typeof state.InputPath === 'string') value = simplePath(state.InputPath, value);
    if (typeof state.ItemsPath === 'string') value = simplePath(state.ItemsPath, value);
    return Array.isArray(value) ? { length: value.length } : {};
  }

  // ---------------------------------------------------------------- persistence

  private persist(): void {
    const file = this.opts.persistPath;
    if (!file) return;
    this.persistChain = this.persistChain
      .then(async () => {
        const finished: PersistedExecution[] = [...this.executions.values()]
          .filter((e) => e.status !== 'RUNNING')
          .map(({ arn, name, stateMachineArn, status, input, output, error, cause, startDate, stopDate, history }) => ({
            arn, name, stateMachineArn, status, input, output, error, cause, startDate, stopDate, history,
          }));
        await fs.mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await fs.writeFile(tmp, JSON.stringify({ version: 1, executions: finished }));
        await fs.rename(tmp, file);
      })
      .catch((e: unknown) => this.log(`[sfn] could not persist executions to ${file}: ${String(e)}`));
  }

  private async loadPersisted(): Promise<void> {
    const file = this.opts.persistPath;
    if (!file) return;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return; // first run
    }
    try {
      const data = JSON.parse(text) as { executions?: PersistedExecution[] };
      for (const e of data.executions ?? []) {
        if (!this.executions.has(e.arn)) this.executions.set(e.arn, { ...e, history: e.history ?? [] });
      }
      this.log(`[sfn] loaded ${data.executions?.length ?? 0} finished execution(s) from ${file}`);
    } catch (e) {
      this.log(`[sfn] ignoring unreadable ${file}: ${String(e)}`);
    }
  }
}

function errorDetails(error: unknown, cause: unknown): JsonObject {
  const details: JsonObject = {};
  if (typeof error === 'string' && error.length > 0) details.error = error;
  const text = causeText(cause);
  if (text !== undefined && text.length > 0) details.cause = text;
  return details;
}

function renderEvent(event: HistoryEvent, includeData: boolean): JsonObject {
  const out: JsonObject = { ...event, timestamp: seconds(event.timestamp) };
  if (!includeData) {
    for (const [key, value] of Object.entries(out)) {
      if (key.endsWith('EventDetails') && isObject(value)) {
        const { input: _input, output: _output, ...rest } = value;
        out[key] = rest;
      }
    }
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(validationError('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
