import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The local stack run as `npm start` runs it, in a process of its own (test/support/stack-process.ts),
 * on given ports and a given data directory, so that a test can kill it with SIGKILL (no exit handler
 * runs, as when a machine loses power or the OOM killer strikes) and start it again on the same data.
 *
 * Each start is its own process group (detached), so that whatever it starts (DynamoDB Local's Java
 * process, the watcher that stops it when its parent dies) can be found and, at the end, ended with it.
 */

export const READY_PREFIX = 'STACK_READY ';

type PortName = 'api' | 'email' | 'dynamodb' | 'stepfunctions' | 'files';

export interface StackProcessOptions {
  dataDir: string;
  ports: Record<PortName, number>;
}

export interface ChildStackInfo {
  urls: Record<PortName, string>;
  stateMachineArn: string;
}

const ROOT = path.resolve(__dirname, '../..');
const ENTRY = path.join(__dirname, 'stack-process.ts');
/** Lines of the children's output kept for a failure's message. */
const KEPT_LINES = 200;

/** The process group of a live process (Linux /proc), or undefined once it is gone (or a zombie). */
function groupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses: read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? undefined : Number(pgrp);
  } catch {
    return undefined;
  }
}

/** The live processes of a process group. */
export function processesInGroup(group: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => groupOf(pid) === group);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChildStack {
  private child: ChildProcess | undefined;
  /** Every process group this object started (one per start): all of them are ended by `end()`. */
  private readonly groups = new Set<number>();
  private readonly lines: string[] = [];
  private readonly onExit = () => this.killGroupsNow();

  constructor(readonly options: StackProcessOptions) {
    // Should the test runner itself exit without afterAll, take the stack with it.
    process.once('exit', this.onExit);
  }

  /** The last lines the stack processes printed (both streams, every start), for a failure's message. */
  output(): string {
    return this.lines.join('\n');
  }

  private keep(prefix: string, text: string): void {
    for (const line of text.split('\n')) if (line.trim()) this.lines.push(`${prefix} ${line}`);
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
  }

  /** Starts the stack and answers its URLs once it serves (rejects, with its output, if it does not within `timeoutMs`). */
  async start(timeoutMs = 120_000): Promise<ChildStackInfo> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null)
      throw new Error('the stack process is already running');
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        STACK_PROCESS: JSON.stringify(this.options),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    this.child = child;
    if (child.pid !== undefined) this.groups.add(child.pid);
    const tag = `[pid ${child.pid}]`;
    let pending = '';
    return new Promise<ChildStackInfo>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the stack did not start within ${timeoutMs} ms:\n${this.output()}`)),
        timeoutMs,
      );
      child.stderr?.on('data', (chunk: Buffer) => this.keep(tag, chunk.toString()));
      child.stdout?.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const line of parts) {
          if (line.startsWith(READY_PREFIX)) {
            clearTimeout(timer);
            resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ChildStackInfo);
          } else this.keep(tag, line);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.keep(tag, `exited (code ${code}, signal ${signal})`);
        reject(
          new Error(`the stack process exited (code ${code}, signal ${signal}) before it served:\n${this.output()}`),
        );
      });
    });
  }

  /**
   * Kills the stack's own process with SIGKILL, as a crash would, and waits until everything it had
   * started is gone too (DynamoDB Local's Java process is stopped by its watcher within seconds), so
   * that a new start finds its ports and its data free.
   */
  async kill(timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
    const deadline = Date.now() + timeoutMs;
    while (processesInGroup(child.pid).length > 0) {
      if (Date.now() > deadline)
        throw new Error(
          `processes of the killed stack still alive after ${timeoutMs} ms: ${processesInGroup(child.pid).join(', ')}`,
        );
      await sleep(100);
    }
  }

  private killGroupsNow(): void {
    for (const group of this.groups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // none left in it
      }
    }
  }

  /**
   * The end: stops the running stack (SIGTERM, then SIGKILL), then ends whatever is left of every
   * process group it ever started, and waits until none of their processes is alive.
   */
  async end(timeoutMs = 20_000): Promise<void> {
    process.removeListener('exit', this.onExit);
    const child = this.child;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    }
    this.killGroupsNow();
    const deadline = Date.now() + timeoutMs;
    const alive = () => [...this.groups].flatMap(processesInGroup);
    while (alive().length > 0) {
      if (Date.now() > deadline) throw new Error(`processes of the stack still alive: ${alive().join(', ')}`);
      this.killGroupsNow();
      await sleep(100);
    }
  }
}
