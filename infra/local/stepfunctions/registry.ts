/**
 * Every execution the endpoint knows, by ARN, and their persistence: when a file is given, every
 * execution (with its history) is written to it as it starts and as it ends, and read back on the
 * next start. One still RUNNING in the file was running when the server's process died: it is read
 * back ABORTED, as the execution it was has ended.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArn, SfnApiError } from './errors';
import { inputDetails, push } from './history';
import type { Execution, Log, PersistedExecution } from './types';

/**
 * The error and cause of an execution a previous process left RUNNING: the error of one stop()
 * ended (server.ts), since it ended the same way, only less cleanly.
 */
export const ENDED_WITH_SERVER = {
  error: 'Local.ServerStopped',
  cause: 'The local Step Functions server stopped while this execution ran (its process ended without stopping it)',
} as const;

const EXECUTION_ARN = /^arn:[^:]+:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/;

export class ExecutionRegistry {
  private readonly executions = new Map<string, Execution>();
  private persistChain: Promise<void> = Promise.resolve();
  /** A write is queued and has not begun: it will write whatever changed meanwhile too. */
  private writeQueued = false;

  constructor(
    private readonly persistPath: string | undefined,
    private readonly log: Log,
  ) {}

  get(arn: string): Execution | undefined {
    return this.executions.get(arn);
  }

  /** AWS's answers: a malformed ARN is InvalidArn, an unknown one ExecutionDoesNotExist. */
  byArn(arn: string): Execution {
    const exec = this.executions.get(arn);
    if (exec) return exec;
    if (!EXECUTION_ARN.test(arn)) throw invalidArn(arn);
    throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }

  /** A new execution, written (RUNNING) so that a process dying while it runs leaves its record. */
  add(exec: Execution): void {
    this.executions.set(exec.arn, exec);
    this.persist();
  }

  all(): Execution[] {
    return [...this.executions.values()];
  }

  /**
   * Writes every execution (after any write still under way); failures are only logged. Asks made
   * while a write is queued share it, so a burst of starts and ends costs a few writes, not one each.
   */
  persist(): void {
    const file = this.persistPath;
    if (!file || this.writeQueued) return;
    this.writeQueued = true;
    this.persistChain = this.persistChain
      .then(() => {
        this.writeQueued = false;
        return writeAll(file, this.all());
      })
      .catch((e: unknown) => this.log(`[sfn] could not persist executions to ${file}: ${String(e)}`));
  }

  /** Resolves once every write asked for so far is done. */
  persisted(): Promise<void> {
    return this.persistChain;
  }

  /**
   * Reads back the executions a previous run persisted; a missing or unreadable file is no error.
   * One the file has RUNNING was running when that process died, and is ABORTED now (ENDED_WITH_SERVER,
   * stopped when the file was last written, the last moment it is known to have run): nothing runs
   * it any more, and its end is not an event (whoever starts the server looks at what it left).
   */
  async load(): Promise<void> {
    const file = this.persistPath;
    if (!file) return;
    let text: string;
    let written: number;
    try {
      text = await fs.readFile(file, 'utf8');
      written = (await fs.stat(file)).mtimeMs;
    } catch {
      return; // first run
    }
    try {
      const data = JSON.parse(text) as { executions?: PersistedExecution[] };
      let ended = 0;
      for (const e of data.executions ?? []) {
        if (this.executions.has(e.arn)) continue;
        const exec: Execution = { ...e, history: e.history ?? [] };
        if (exec.status === 'RUNNING') {
          endWithServer(exec, written);
          ended++;
        }
        this.executions.set(e.arn, exec);
      }
      this.log(
        `[sfn] loaded ${data.executions?.length ?? 0} execution(s) from ${file}${ended ? `; ${ended} that ran when the server last ended are ABORTED` : ''}`,
      );
      if (ended) this.persist();
    } catch (e) {
      this.log(`[sfn] ignoring unreadable ${file}: ${String(e)}`);
    }
  }
}

/** An execution found RUNNING in the file: ABORTED when the file was written (never before its last event). */
function endWithServer(exec: Execution, written: number): void {
  const lastEvent = exec.history[exec.history.length - 1]?.timestamp ?? exec.startDate;
  exec.status = 'ABORTED';
  exec.stopDate = Math.max(written, lastEvent, exec.startDate);
  exec.error = ENDED_WITH_SERVER.error;
  exec.cause = ENDED_WITH_SERVER.cause;
  if (exec.history.length === 0)
    push(exec, 'ExecutionStarted', { executionStartedEventDetails: inputDetails(exec.input) }, exec.startDate);
  push(exec, 'ExecutionAborted', { executionAbortedEventDetails: { ...ENDED_WITH_SERVER } }, exec.stopDate);
}

async function writeAll(file: string, executions: Execution[]): Promise<void> {
  const persisted: PersistedExecution[] = executions.map(
    ({ arn, name, stateMachineArn, status, input, output, error, cause, startDate, stopDate, history }) => ({
      arn,
      name,
      stateMachineArn,
      status,
      input,
      output,
      error,
      cause,
      startDate,
      stopDate,
      history,
    }),
  );
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify({ version: 1, executions: persisted }));
  await fs.rename(tmp, file);
}
