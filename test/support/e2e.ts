import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { LocalStack, LocalStackOptions } from '@infra/local/local-stack';
import { Api, eventually, freePorts, sentEmails, startTestStack, type StoredEmail } from './local';

// The stack's CDK synthesis, once for all files while the sources stay the same (see synth-cache.ts).
// jest hoists this above the imports, so the local stack is loaded with it.
jest.mock('@infra/local/synth', () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories run before imports
  require('./synth-cache').withCachedSynth(jest.requireActual('@infra/local/synth')),
);

/** Where the local clock starts, a week into the call (DEFAULT_CLOCK_START of the local stack). */
export const CLOCK_START = '2023-09-01T09:00:00+08:00';

export interface E2eOptions extends Partial<LocalStackOptions> {
  /** After each test, put the clock back at CLOCK_START (running, not frozen): for files that move it. */
  resetClockAfterEach?: boolean;
  /**
   * Keep the data on disk (a temporary dataDir, removed in afterAll) and keep the same ports, so
   * that `restart()` brings back the same stack, as `npm start` does after Ctrl-C.
   */
  persistent?: boolean;
}

type Stub = AwsClientStub<any>;
type SendFn = (this: unknown, command: unknown, ...rest: unknown[]) => Promise<unknown>;
type ClientClass = { prototype: object; name: string };

/** The local stack of one test file, and what its tests reach it with. */
export interface E2eStack {
  /** The stack itself (started in beforeAll, stopped in afterAll). */
  readonly local: LocalStack;
  readonly urls: LocalStack['urls'];
  readonly stateMachineArn: string;
  /** The HTTP API, as a unit or staff member calls it (may be taken before the stack runs). */
  readonly api: Api;
  /** SDK clients on the local endpoints, made on first use and destroyed in afterAll. */
  readonly sfn: SFNClient;
  /** The low-level client: a stub of DynamoDBDocumentClient (what the product uses) does not touch it. */
  readonly dynamo: DynamoDBClient;
  /** Every email the local SES has recorded, oldest first. */
  emails(): Promise<StoredEmail[]>;
  /** Waits until an email matching `match` has been recorded, and returns it. */
  email(match: (email: StoredEmail) => boolean | undefined, what?: string): Promise<StoredEmail>;
  /** Sets the local clock through the API (each change runs the deadline sweep). */
  setClock(instant: string, frozen?: boolean): Promise<void>;
  /** Puts the clock back at CLOCK_START, running. */
  resetClock(): Promise<void>;
  /** The local clock's current instant. */
  clockNow(): Promise<Date>;
  /** The ARN of the state machine's execution named `name` (an application id, or its id-vN / -rN). */
  executionArn(name: string): string;
  /** Waits until that execution has stopped running, and describes it. */
  finished(name: string, timeoutMs?: number): Promise<DescribeExecutionCommandOutput>;
  /**
   * Waits until that execution, having passed the automatic stages, waits on the staff formal
   * review and the paper copy (both tasks open), and answers the states it entered, in order.
   */
  waitingOnStaff(name: string, timeoutMs?: number): Promise<{ status: string | undefined; entered: string[] }>;
  /**
   * Stubs `send` of an SDK client class. The local stack runs every handler in this process, so the
   * stub reaches the product's own calls: `around` sees each command first, may act (await anything)
   * and may answer with an error; otherwise the command goes on to the real local service.
   * Every stub is restored after each test, before the clock is put back (and by `restoreStubs`).
   */
  intercept<C extends ClientClass>(
    clientClass: C,
    around: (command: unknown) => Promise<Error | undefined> | Error | undefined,
  ): Stub;
  restoreStubs(): void;
  /** Stops the stack and starts it again on its ports and data (`persistent` stacks only). */
  restart(): Promise<void>;
}

/**
 * Starts the whole local stack (free ports, in memory) for the calling test file in beforeAll and
 * stops it in afterAll; call it once, at the top of the file. The returned object is usable inside
 * tests and hooks.
 */
export function useLocalStack(options: E2eOptions = {}): E2eStack {
  const { resetClockAfterEach, persistent, ...stackOptions } = options;
  let started: LocalStack | undefined;
  let dataDir: string | undefined;
  let sfn: SFNClient | undefined;
  let dynamo: DynamoDBClient | undefined;
  const stubs: Stub[] = [];

  const running = () => {
    if (!started) throw new Error('The local stack is not running: use it inside a test or a hook, after beforeAll');
    return started;
  };
  // Made now, so that a file can keep `const { api } = stack;` at its top; it needs the stack only to call.
  const api = new Api(() => running().urls.api);
  const clientOptions = (endpoint: string) => ({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  const stack: E2eStack = {
    get local() {
      return running();
    },
    get urls() {
      return running().urls;
    },
    get stateMachineArn() {
      return running().stateMachineArn;
    },
    api,
    get sfn() {
      return (sfn ??= new SFNClient(clientOptions(running().urls.stepfunctions)));
    },
    get dynamo() {
      return (dynamo ??= new DynamoDBClient(clientOptions(running().urls.dynamodb)));
    },
    emails: () => sentEmails(running().urls.email),
    email: (match, what = 'the email') => eventually(async () => (await stack.emails()).find(match), 15_000, what),
    setClock: (instant, frozen = false) => api.setClock(instant, frozen),
    resetClock: () => api.setClock(CLOCK_START),
    clockNow: async () => new Date((await api.request('GET', '/_local/clock')).body.utc),
    executionArn: (name) => running().stateMachineArn.replace(/:stateMachine:([^:]+)$/, `:execution:$1:${name}`),
    finished: (name, timeoutMs = 20_000) =>
      eventually(
        async () => {
          const described = await stack.sfn.send(
            new DescribeExecutionCommand({ executionArn: stack.executionArn(name) }),
          );
          return described.status === 'RUNNING' ? undefined : described;
        },
        timeoutMs,
        `execution ${name} to finish`,
      ),
    waitingOnStaff: (name, timeoutMs = 20_000) =>
      eventually(
        async () => {
          const executionArn = stack.executionArn(name);
          const history = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
          const events = history.events ?? [];
          const entered = events
            .filter((e) => e.type?.endsWith('StateEntered'))
            .map((e) => e.stateEnteredEventDetails?.name ?? '?');
          const submitted = events.filter((e) => e.type === 'TaskSubmitted').length;
          if (!entered.includes('StaffFormalReview') || !entered.includes('PaperCopy') || submitted < 2)
            return undefined;
          const described = await stack.sfn.send(new DescribeExecutionCommand({ executionArn }));
          return { status: described.status, entered };
        },
        timeoutMs,
        `execution ${name} to wait on the staff review`,
      ),
    intercept(clientClass, around) {
      const realSend = (clientClass.prototype as { send: SendFn }).send;
      const stub = mockClient(clientClass as never) as Stub;
      stubs.push(stub);
      (stub.send as unknown as { callsFake(fn: SendFn): void }).callsFake(async function (
        this: unknown,
        command,
        ...rest
      ) {
        const error = await around(command);
        if (error) throw error;
        return realSend.apply(this, [command, ...rest]);
      });
      return stub;
    },
    restoreStubs() {
      for (const stub of stubs.splice(0)) stub.restore();
    },
    async restart() {
      if (!persistent) throw new Error('restart() needs useLocalStack({ persistent: true })');
      await running().stop();
      started = undefined;
      started = await startTestStack(stackOptions, 1); // the same ports: the links already sent name them
    },
  };

  beforeAll(async () => {
    if (persistent) {
      dataDir = mkdtempSync(path.join(tmpdir(), 'funding-call-e2e-'));
      const ports = await freePorts();
      Object.assign(stackOptions, { dataDir, ports });
    }
    started = await startTestStack(stackOptions);
  }, 120_000);

  afterEach(async () => {
    stack.restoreStubs();
    jest.restoreAllMocks();
    if (resetClockAfterEach && started) await stack.resetClock();
  });

  afterAll(async () => {
    sfn?.destroy();
    dynamo?.destroy();
    await started?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return stack;
}
