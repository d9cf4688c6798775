/**
 * A local endpoint that speaks the Step Functions API (AWS JSON 1.0: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Action>`) and runs executions in-process with
 * aws-local-stepfunctions. Handlers keep using `@aws-sdk/client-sfn`; only their endpoint changes.
 *
 * aws-local-stepfunctions is a library that runs one execution; everything an API needs around it
 * is in this folder: execution records and names, task tokens, history in AWS's event shapes, stop,
 * paging. Lambda tasks never reach AWS: every Task state is overridden with a local handler that
 * calls `invokeFunction`, and `.waitForTaskToken` tasks are held open until SendTaskSuccess/Failure.
 */
import type http from 'node:http';
import { handleAction } from './api';
import type { ApiContext } from './api-context';
import { StatusChangeEvents } from './events';
import { closeServer, listenJsonApi } from './http';
import { buildMachines } from './machines';
import { ExecutionRegistry } from './registry';
import { ExecutionRunner } from './run';
import { TaskRunner } from './tasks';
import { TaskTokens } from './tokens';
import type { Execution, JsonObject, LocalStepFunctionsOptions, Log } from './types';

export class LocalStepFunctions {
  private readonly log: Log;
  private readonly api: ApiContext;
  private readonly events: StatusChangeEvents;
  private server?: http.Server;
  private stopping = false;

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    this.log = opts.log ?? (() => undefined);
    const machines = buildMachines(opts.stateMachines, this.log);
    const executions = new ExecutionRegistry(opts.persistPath, this.log);
    const tokens = new TaskTokens();
    this.events = new StatusChangeEvents(opts.onExecutionEnded, this.log);
    // An execution the server ends because it stops did not end for a reason of its own: no event.
    const ended = (exec: Execution) => (this.stopping ? undefined : this.events.emit(exec));
    const runner = new ExecutionRunner(
      new TaskRunner(tokens, opts.invokeFunction, this.log),
      tokens,
      executions,
      this.log,
      ended,
    );
    this.api = { machines, executions, tokens, runner, isStopping: () => this.stopping };
  }

  async start(): Promise<{ port: number; url: string }> {
    if (this.server) throw new Error('LocalStepFunctions already started');
    await this.api.executions.load();
    const host = this.opts.host ?? '127.0.0.1';
    const { server, port, url } = await listenJsonApi(
      (action, request) => this.handleAction(action, request),
      host,
      this.opts.port ?? 0,
      this.log,
    );
    this.server = server;
    this.stopping = false;
    this.log(`[sfn] Step Functions API on ${url} (${this.api.machines.size} state machine(s))`);
    return { port, url };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const running = this.api.executions.all().filter((e) => e.status === 'RUNNING');
    for (const exec of running)
      this.api.runner.abort(exec, 'Local.ServerStopped', 'The local Step Functions server was stopped');
    await Promise.all(running.map((e) => e.done));
    await this.events.delivered();
    await this.api.executions.persisted();
    const server = this.server;
    this.server = undefined;
    if (server) await closeServer(server);
  }

  /** Holds the runs of executions started from now on, until releaseRuns() (see ExecutionRunner.hold). */
  holdRuns(): void {
    this.api.runner.hold();
  }

  releaseRuns(): void {
    this.api.runner.release();
  }

  /**
   * Runs one API action in-process, exactly as the HTTP endpoint would (e.g. for a local console
   * page). Throws SfnApiError for the errors AWS would return.
   */
  async handleAction(action: string, request: JsonObject): Promise<JsonObject> {
    return handleAction(this.api, action, request);
  }
}
