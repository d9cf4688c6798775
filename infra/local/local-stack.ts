import './polyfills';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Server } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import type { AnyFunctionName } from '@infra/functions';
import type { ClockState, SimulatedClock } from '@shared/domain/clock';
import { consoleRoutes, stampSimulatedSendTime, SweepRuns } from './console';
import { createTableFromTemplate, startDynamo, type LocalDynamo } from './dynamodb';
import { corsRulesFromTemplate, LOCAL_CREDENTIALS, LOCAL_FILES_BUCKET, startLocalFiles } from './files';
import { createGateway, type LocalRoute } from './gateway';
import { invokeLocal } from './lambdas';
import { LocalLambdaEndpoint } from './lambda-endpoint';
import { localSweep, startSweepTimer } from './local-sweep';
import { localRoutes } from './local-routes';
import { forgetMailbox, keepMailbox } from './mailbox';
import { freePort } from './net';
import { resolveStateMachineDefinition } from './state-machine-template';
import { LocalStallEvents } from './stall-events';
import { LocalStepFunctions, type ExecutionStatusChangeEvent } from './stepfunctions';
import { resourcesOfType, synthTemplate, type CfnTemplate } from './synth';
import { keptKey, LOCAL_LINK_KEY_ARN, localLinkKey, startLocalSecrets } from './secrets';
import { LocalTokens } from './tokens';
import { WEB_APP_PATH } from './web-app';

export const DEFAULT_CLOCK_START = '2023-09-01T09:00:00+08:00';
export const LOCAL_TABLE = 'funding-call';

type PortName = 'api' | 'email' | 'dynamodb' | 'stepfunctions' | 'files';

export interface LocalStackOptions {
  /** 0 picks a free port. Defaults: the ports of docs/design.md#local-mode, overridable by env. */
  ports?: Partial<Record<PortName, number>>;
  /** Where DynamoDB Local (and s3rver) keep their data; undefined keeps it in memory (a temporary folder). */
  dataDir?: string;
  clockStart?: Date;
  /** How often the deadline sweep runs, in ms (on AWS: every minute). */
  sweepEveryMs?: number;
  /**
   * How often resume-stalled gets the schedule's event (the reconciliation), in ms. On AWS every
   * RECONCILE_EVERY_MS; locally every minute by default, so that someone trying it sees it work.
   */
  reconcileEveryMs?: number;
  seedUnits?: boolean;
  log?: (message: string) => void;
  /** One line per API request (method, path, status, time, caller, request id); `npm start` prints them. */
  accessLog?: (line: string) => void;
  /** The built web app (buildWebApp()), served under /app/; without it /app/ is no route. */
  webRoot?: string;
}

export interface LocalStack {
  urls: { api: string; email: string; dynamodb: string; stepfunctions: string; files: string; web: string };
  stateMachineArn: string;
  tokens: LocalTokens;
  /** Moves the simulated clock and runs the sweep, unless `sweep: false` (a bench that times its own). */
  setClock(instant: Date, options?: { frozen?: boolean; sweep?: boolean }): Promise<void>;
  now(): Date;
  sweep(): Promise<unknown>;
  /** Executions started from now on wait to run until releaseRuns() (for `npm run bench`; see ExecutionRunner.hold). */
  holdRuns(): void;
  releaseRuns(): void;
  stop(): Promise<void>;
}

const listen = (server: Server, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });

/** The key local bearer tokens are signed with, kept like the link key. */
const tokenSecret = (dataDir: string | undefined) => Buffer.from(keptKey(dataDir, 'token-secret'), 'hex');

/**
 * Everything the product needs, on 127.0.0.1, with no AWS account: DynamoDB Local, aws-ses-v2-local,
 * s3rver with the report-files bucket, the synthesized state machine under aws-local-stepfunctions behind a Step Functions endpoint, and
 * a gateway in front of the same handlers. Environment variables are set here exactly as the CDK
 * grant helper sets them on AWS; the handlers are loaded only afterwards.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const ports = await choosePorts(options.ports);
  const stops: Stop[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error) => log(`stop: ${String(error)}`));
  };

  try {
    const services = await startServices(options, ports, log, stops);
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    setHandlerEnvironment({
      dynamodb: services.dynamo.endpoint,
      email: services.emailUrl,
      stepfunctions: services.sfn.url,
      secrets: services.secrets.url,
      files: services.files.url,
      lambda: services.lambdaUrl,
      stateMachineArn: services.sfn.stateMachineArn,
      api: apiUrl,
    });
    const { clock, showInstant } = await startClock(
      options.clockStart ?? new Date(DEFAULT_CLOCK_START),
      options.dataDir,
      stops,
    );
    if (options.seedUnits ?? true) await seedUnits();
    await resumeUnfinishedWorkflows(log);
    const front = await startFrontDoor(options, services, { apiUrl, port: ports.api, clock, showInstant }, log, stops);
    return localStackHandle(services, front, clock, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

type Services = Awaited<ReturnType<typeof startServices>>;

/** The stand-ins of the AWS services, each pushing its own stop. */
async function startServices(
  options: LocalStackOptions,
  ports: Record<PortName, number>,
  log: (message: string) => void,
  stops: Stop[],
) {
  const { template, functionByLogicalId } = synthTemplate();
  const dynamo = await startLocalDynamo(template, ports.dynamodb, options.dataDir, stops);
  const emailUrl = await startEmail(ports.email, options.dataDir, stops);
  const files = await startLocalFiles({
    port: ports.files,
    directory: options.dataDir ? path.join(options.dataDir, 's3') : undefined,
    bucket: LOCAL_FILES_BUCKET,
    corsRules: corsRulesFromTemplate(template),
  });
  stops.push(files.stop);
  // What EventBridge passes resume-stalled on AWS: the executions' ends, and a schedule.
  const stallEvents = new LocalStallEvents(log);
  const sfn = await startStepFunctions(
    template,
    functionByLogicalId,
    { port: ports.stepfunctions, dataDir: options.dataDir, log, onExecutionEnded: stallEvents.onExecutionEnded },
    stops,
  );
  stops.push(() => stallEvents.close()); // should the start fail from here on
  const secrets = await startLocalSecrets({ [LOCAL_LINK_KEY_ARN]: localLinkKey(options.dataDir) });
  stops.push(secrets.stop);
  // Lambda's Invoke API, for the sweep's fan-out to its workers (stopped before the services they use).
  const lambdas = new LocalLambdaEndpoint(log);
  const lambdaUrl = await lambdas.start();
  stops.push(() => lambdas.stop());
  return { dynamo, emailUrl, files, stallEvents, sfn, secrets, lambdas, lambdaUrl };
}

type Clock = Awaited<ReturnType<typeof startClock>>;

/** The console, the local endpoints and the gateway in front of the handlers; then the sweep's timer and the schedule. */
async function startFrontDoor(
  options: LocalStackOptions,
  { files, sfn, stallEvents, lambdas }: Services,
  { apiUrl, port, clock, showInstant }: { apiUrl: string; port: number } & Clock,
  log: (message: string) => void,
  stops: Stop[],
) {
  // The console shows the sweep's last runs (when, on the simulated clock, and what each did).
  const sweepRuns = new SweepRuns(20);
  const sweep = localSweep(lambdas, sweepRuns);
  const tokens = new LocalTokens(tokenSecret(options.dataDir));
  const adminConsole = consoleRoutes({
    stepFunctions: sfn.stepFunctions,
    stateMachineArn: sfn.stateMachineArn,
    api: { url: apiUrl, token: () => tokens.issue({ role: 'staff' }).token },
    clock,
    sweepRuns,
  });
  const routes = localRoutes({ console: adminConsole, tokens, clock, showInstant, sweep });
  const web = options.webRoot
    ? { root: options.webRoot, origins: { api: [], signIn: [], uploads: [files.url] } }
    : undefined;
  const apiPort = await startGateway(tokens, routes, port, stops, options.accessLog, web);
  stops.push(startSweepTimer(sweep, options.sweepEveryMs ?? 5000, log));
  stallEvents.startSchedule(options.reconcileEveryMs ?? 60_000);
  // Stopped first: no event or reconciliation reaches a stack that is stopping, and none is left half done.
  stops.push(() => stallEvents.close());
  return { apiPort, tokens, sweep };
}

/** What the caller holds of the running stack. */
function localStackHandle(
  { dynamo, emailUrl, files, sfn }: Services,
  { apiPort, tokens, sweep }: Awaited<ReturnType<typeof startFrontDoor>>,
  clock: Clock['clock'],
  stop: () => Promise<void>,
): LocalStack {
  return {
    urls: {
      api: `http://127.0.0.1:${apiPort}`,
      email: emailUrl,
      dynamodb: dynamo.endpoint,
      stepfunctions: sfn.url,
      files: files.url,
      web: `http://127.0.0.1:${apiPort}${WEB_APP_PATH}`,
    },
    stateMachineArn: sfn.stateMachineArn,
    tokens,
    holdRuns: () => sfn.stepFunctions.holdRuns(),
    releaseRuns: () => sfn.stepFunctions.releaseRuns(),
    setClock: async (instant: Date, clockOptions?: { frozen?: boolean; sweep?: boolean }) => {
      clock.set(instant, clockOptions);
      if (clockOptions?.sweep !== false) await sweep();
    },
    now: () => clock.now(),
    sweep,
    stop,
  };
}

/** Undoes one part of the stack; the parts are stopped in the reverse of their start. */
type Stop = () => Promise<unknown>;

/** 0 picks a free port; otherwise the given port or the default of docs/design.md#local-mode. */
async function choosePorts(requested: LocalStackOptions['ports']): Promise<Record<PortName, number>> {
  const pick = async (port: number | undefined, fallback: number) => (port === 0 ? freePort() : (port ?? fallback));
  return {
    api: await pick(requested?.api, 3000),
    email: await pick(requested?.email, 8005),
    dynamodb: await pick(requested?.dynamodb, 8000),
    stepfunctions: await pick(requested?.stepfunctions, 8083),
    files: await pick(requested?.files, 8006),
  };
}

/** DynamoDB Local with the stack's table. */
async function startLocalDynamo(
  template: CfnTemplate,
  port: number,
  dataDir: string | undefined,
  stops: Stop[],
): Promise<LocalDynamo> {
  const dynamo = await startDynamo(port, dataDir ? path.join(dataDir, 'dynamodb') : undefined);
  stops.push(() => dynamo.stop());
  await createTableFromTemplate(template, dynamo.endpoint, LOCAL_TABLE);
  return dynamo;
}

/** aws-ses-v2-local, its mailbox kept in the data directory if there is one; answers its URL. */
async function startEmail(port: number, dataDir: string | undefined, stops: Stop[]): Promise<string> {
  keepMailbox(dataDir, stampSimulatedSendTime); // each email also carries the simulated clock's instant (the console shows it)
  const ses = await sesServer({ host: '127.0.0.1', port });
  stops.push(() => new Promise((resolve) => ses.close(resolve)));
  stops.push(async () => forgetMailbox());
  return `http://127.0.0.1:${port}`;
}

/** The stack's state machine behind a local Step Functions endpoint. */
async function startStepFunctions(
  template: CfnTemplate,
  functionByLogicalId: Map<string, AnyFunctionName>,
  options: {
    port: number;
    dataDir: string | undefined;
    log: (message: string) => void;
    onExecutionEnded: (event: ExecutionStatusChangeEvent) => unknown;
  },
  stops: Stop[],
): Promise<{ stepFunctions: LocalStepFunctions; stateMachineArn: string; url: string }> {
  const [[machineLogicalId]] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
  const { definition, name: machineName } = resolveStateMachineDefinition(template, machineLogicalId);
  const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:${machineName}`;

  // Each function ARN in the definition names its CloudFormation resource (by logical id), which
  // leads back to the handler module it bundles.
  const stepFunctions = new LocalStepFunctions({
    stateMachines: [{ name: machineName, arn: stateMachineArn, definition }],
    // Executions survive a restart, like the table; running ones end with the process (ABORTED when read back).
    persistPath: options.dataDir ? path.join(options.dataDir, 'stepfunctions.json') : undefined,
    invokeFunction: async (functionName, payload) => {
      const logicalId = functionName.split(':').pop() ?? functionName;
      const name = functionByLogicalId.get(logicalId);
      if (!name)
        throw Object.assign(new Error(`No local handler for ${functionName}`), {
          name: 'Lambda.ResourceNotFoundException',
        });
      return invokeLocal(name, payload);
    },
    port: options.port,
    log: options.log,
    onExecutionEnded: options.onExecutionEnded,
  });
  const { url } = await stepFunctions.start();
  stops.push(() => stepFunctions.stop());
  return { stepFunctions, stateMachineArn, url };
}

/** The handlers' environment, exactly as the CDK grant helper sets it on AWS. */
function setHandlerEnvironment(urls: {
  dynamodb: string;
  email: string;
  stepfunctions: string;
  secrets: string;
  files: string;
  lambda: string;
  stateMachineArn: string;
  api: string;
}): void {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SES: urls.email,
    AWS_ENDPOINT_URL_SFN: urls.stepfunctions,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.secrets,
    AWS_ENDPOINT_URL_S3: urls.files,
    AWS_ENDPOINT_URL_LAMBDA: urls.lambda,
    SWEEP_SHARD_FUNCTION: 'sweep-shard',
    FILES_BUCKET: LOCAL_FILES_BUCKET,
    LINK_KEY_SECRET_ARN: LOCAL_LINK_KEY_ARN,
    TABLE_NAME: LOCAL_TABLE,
    STATE_MACHINE_ARN: urls.stateMachineArn,
    SENDER_EMAIL: 'noreply@gdast.local',
    // aws-ses-v2-local takes the configuration set's name and the tags, and publishes no events.
    SES_CONFIGURATION_SET: 'funding-call-local',
    // As a national funder's account would be raised to (ASSUMED_SES_RATE_PER_SECOND, shared/domain/sweep-plan.ts).
    SES_SEND_RATE: '600',
    PUBLIC_BASE_URL: `${urls.api}/`,
    // The web app is served by the same gateway, under /app/ (infra/local/web-app.ts).
    WEB_APP_URL: `${urls.api}${WEB_APP_PATH}`,
    POWERTOOLS_SERVICE_NAME: 'funding-call',
  });
}

/**
 * A simulated clock in place of the system's, from `start` — or, with a data directory, from where
 * it stood when the stack last stopped (kept in clock.json beside the data, so the records' times
 * never run backwards after a restart). Loads the domain: call after setHandlerEnvironment.
 */
async function startClock(
  start: Date,
  dataDir: string | undefined,
  stops: Stop[],
): Promise<{ clock: SimulatedClock; showInstant: (instant: Date) => string }> {
  // Handlers and the domain are loaded only now, after their environment exists.
  const clients = await import('@shared/adapters/aws-clients');
  clients.resetClients();
  const clockModule = await import('@shared/domain/clock');
  const saved = dataDir ? path.join(dataDir, 'clock.json') : undefined;
  const clock = new clockModule.SimulatedClock(start, (state) => saved && writeFileSync(saved, JSON.stringify(state)));
  if (saved && existsSync(saved)) clock.restore(JSON.parse(readFileSync(saved, 'utf8')) as ClockState);
  clockModule.useClock(clock);
  stops.push(async () => clockModule.useClock(clockModule.systemClock));
  return { clock, showInstant: clockModule.toBeijingIso };
}

/** The member units, seeded by the same custom-resource handler that seeds them on deploy. */
async function seedUnits(): Promise<void> {
  await invokeLocal('seed-units', { RequestType: 'Create', ResourceProperties: {} });
}

/** Later than any record's last change: the start looks at every unfinished application, however recent. */
const END_OF_TIME = new Date('9999-01-01T00:00:00Z');

/**
 * Executions end with the process; applications do not. The one rule for a stalled application,
 * applied to every unfinished one (through the status index): each whose execution is not running
 * (it ran when the process stopped, or died) resumes at the stage its record says, re-opening the
 * same tasks, so the links already emailed keep working. A failure is logged; the reconciliation
 * looks again later.
 */
async function resumeUnfinishedWorkflows(log: (message: string) => void): Promise<void> {
  const { reconcileStalled } = await import('@shared/use-cases/stalled-workflows');
  const counts = await reconcileStalled({ from: new Date(0), to: END_OF_TIME, cause: 'RESTARTED' });
  if (counts.resumed > 0) log(`resumed the workflows of ${counts.resumed} unfinished application(s)`);
  if (counts.failed > 0)
    log(`could not resume the workflows of ${counts.failed} application(s); the reconciliation tries again`);
}

/** The gateway in front of the handlers (and the local routes); answers the port it listens on. */
async function startGateway(
  tokens: LocalTokens,
  routes: LocalRoute,
  port: number,
  stops: Stop[],
  accessLog?: (line: string) => void,
  web?: Parameters<typeof createGateway>[3],
): Promise<number> {
  const gateway = createGateway(tokens, routes, accessLog, web);
  const apiPort = await listen(gateway, port);
  stops.push(
    () =>
      new Promise((resolve) => {
        gateway.closeAllConnections();
        gateway.close(resolve);
      }),
  );
  return apiPort;
}
