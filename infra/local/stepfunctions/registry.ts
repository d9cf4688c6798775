/**
 * Every execution the endpoint knows, by ARN, and their persistence: when a file is given, finished
 * executions (with their history) are written to it and read back on the next start.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { invalidArn, SfnApiError } from './errors';
import type { Execution, Log, PersistedExecution } from './types';

const EXECUTION_ARN = /^arn:[^:]+:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/;

export class ExecutionRegistry {
  private readonly executions = new Map<string, Execution>();
  private persistChain: Promise<void> = Promise.resolve();

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

  add(exec: Execution): void {
    this.executions.set(exec.arn, exec);
  }

  all(): Execution[] {
    return [...this.executions.values()];
  }

  /** Writes the finished executions (after any write still under way); failures are only logged. */
  persist(): void {
    const file = this.persistPath;
    if (!file) return;
    this.persistChain = this.persistChain
      .then(() => writeFinished(file, this.all()))
      .catch((e: unknown) => this.log(`[sfn] could not persist executions to ${file}: ${String(e)}`));
  }

  /** Resolves once every write asked for so far is done. */
  persisted(): Promise<void> {
    return this.persistChain;
  }

  /** Reads back the executions a previous run persisted; a missing or unreadable file is no error. */
  async load(): Promise<void> {
    const file = this.persistPath;
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

async function writeFinished(file: string, executions: Execution[]): Promise<void> {
  const finished: PersistedExecution[] = executions
    .filter((e) => e.status !== 'RUNNING')
    .map(({ arn, name, stateMachineArn, status, input, output, error, cause, startDate, stopDate, history }) => ({
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
    }));
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify({ version: 1, executions: finished }));
  await fs.rename(tmp, file);
}
