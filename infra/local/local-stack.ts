import './polyfills';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Server } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import { consoleRoutes } from './console';
import { createTableFromTemplate, startDynamo, type LocalDynamo } from './dynamodb';
import { createGateway, type LocalRoute } from './gateway';
import { invokeLocal } from './lambdas';
import { freePort } from './net';
import { resolveStateMachineDefinition } from './state-machine-template';
import { LocalStepFunctions } from './stepfunctions-server';
import { resourcesOfType, synthTemplate } from './synth';
import { LocalTokens } from './tokens';

export const DEFAULT_CLOCK_START = '2023-09-01T09:00:00+08:00';
export const LOCAL_TABLE = 'funding-call';

export interface LocalStackOptions {
  /** 0 picks a free port. Defaults: the DESIGN.md ports, overridable by env. */
  ports?: Partial<Record<'api' | 'email' | 'dynamodb' | 'stepfunctions', number>>;
  /** Where DynamoDB Local keeps its data; undefined keeps it in memory. */
  dataDir?: string;
  clockStart?: Date;
  /** How often the deadline sweep runs, in ms (on AWS: every minute). */
  sweepEveryMs?: number;
  seedUnits?: boolean;
  log?: (message: string) => void;
}

export interface LocalStack {
  urls: { api: string; email: string; dynamodb: string; stepfunctions: string };
  stateMachineArn: string;
  tokens: LocalTokens;
  setClock(instant: Date, options?: { frozen?: boolean }): Promise<void>;
  now(): Date;
  sweep(): Promise<unknown>;
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

function tokenSecret(dataDir: string | undefined): Buffer {
  if (!dataDir) return randomBytes(32);
  const file = path.join(dataDir, 'token-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/**
 * Everything the product needs, on 127.0.0.1, with no AWS account: DynamoDB Local, aws-ses-v2-local,
 * the synthesized state machine under aws-local-stepfunctions behind a Step Functions endpoint, and
 * a gateway in front of the same handlers. Environment variables are set here exactly as the CDK
 * grant helper sets them on AWS; the handlers are loaded only afterwards.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const pick = async (port: number | undefined, fallback: number) => (port === 0 ? freePort() : (port ?? fallback));
  const ports = {
    api: await pick(options.ports?.api, 3000),
    email: await pick(options.ports?.email, 8005),
    dynamodb: await pick(options.ports?.dynamodb, 8000),
    stepfunctions: await pick(options.ports?.stepfunctions, 8083),
  };
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error) => log(`stop: ${String(error)}`));
  };

  try {
    const { template, functionByLogicalId: byLogicalId } = synthTemplate();

    const dynamo: LocalDynamo = await startDynamo(ports.dynamodb, options.dataDir ? path.join(options.dataDir, 'dynamodb') : undefined);
    stops.push(() => dynamo.stop());
    await createTableFromTemplate(template, dynamo.endpoint, LOCAL_TABLE);

    const ses = await sesServer({ host: '127.0.0.1', port: ports.email });
    stops.push(() => new Promise((resolve) => ses.close(resolve)));
    const emailUrl = `http://127.0.0.1:${ports.email}`;

    const [[machineLogicalId]] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    const { definition, name: machineName } = resolveStateMachineDefinition(template, machineLogicalId);
    const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:${machineName}`;

    // Each function ARN in the definition names its CloudFormation resource (by logical id), which
    // leads back to the handler module it bundles.
    const stepFunctions = new LocalStepFunctions({
      stateMachines: [{ name: machineName, arn: stateMachineArn, definition }],
      // Finished executions survive a restart, like the table; running ones end with the process.
      persistPath: options.dataDir ? path.join(options.dataDir, 'stepfunctions.json') : undefined,
      invokeFunction: async (functionName, payload) => {
        const logicalId = functionName.split(':').pop() ?? functionName;
        const name = byLogicalId.get(logicalId);
        if (!name) throw Object.assign(new Error(`No local handler for ${functionName}`), { name: 'Lambda.ResourceNotFoundException' });
        return invokeLocal(name, payload);
      },
      port: ports.stepfunctions,
      log,
    });
    const sfn = await stepFunctions.start();
    stops.push(() => stepFunctions.stop());

    const apiUrl = `http://127.0.0.1:${ports.api}`;
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SES: emailUrl,
      AWS_ENDPOINT_URL_SFN: sfn.url,
      TABLE_NAME: LOCAL_TABLE,
      STATE_MACHINE_ARN: stateMachineArn,
      SENDER_EMAIL: 'noreply@gdast.local',
      PUBLIC_BASE_URL: `${apiUrl}/`,
      POWERTOOLS_SERVICE_NAME: 'funding-call',
    });
    // Handlers and the domain are loaded only now, after their environment exists.
    const clients = await import('@shared/adapters/aws-clients');
    clients.resetClients();
    const clockModule = await import('@shared/domain/clock');
    const clock = new clockModule.SimulatedClock(options.clockStart ?? new Date(DEFAULT_CLOCK_START));
    clockModule.useClock(clock);
    stops.push(async () => clockModule.useClock(clockModule.systemClock));

    if (options.seedUnits ?? true) {
      // The same custom-resource handler that seeds the units on deploy.
      await invokeLocal('seed-units', { RequestType: 'Create', ResourceProperties: {} });
    }

    const sweep = () => invokeLocal('sweep-deadlines', {});
    const tokens = new LocalTokens(tokenSecret(options.dataDir));
    const adminConsole = consoleRoutes({ stepFunctions, stateMachineArn, api: { url: apiUrl, token: () => tokens.issue({ role: 'staff' }).token } });
    const localRoutes: LocalRoute = async ({ method, url, body }) => {
      const page = await adminConsole({ method, url, body });
      if (page) return page;
      const parse = () => {
        try {
          return body ? (JSON.parse(body) as Record<string, unknown>) : {};
        } catch {
          return undefined;
        }
      };
      if (url.pathname === '/_local/token' && method === 'POST') {
        const input = parse();
        const unitId = input?.unitId;
        const role = input?.role;
        if (typeof unitId === 'string' && /^[a-z0-9][a-z0-9-]{1,63}$/.test(unitId)) return { status: 200, body: tokens.issue({ unitId }) };
        if (role === 'staff' || role === 'admin') return { status: 200, body: tokens.issue({ role }) };
        return {
          status: 400,
          body: { error: { code: 'VALIDATION_FAILED', message: 'Send {"unitId": "<unit id>"} or {"role": "staff"|"admin"}', details: [{ path: 'unitId', code: 'REQUIRED', message: 'a unit id (a–z, 0–9, -) or a role' }] } },
        };
      }
      if (url.pathname === '/_local/clock') {
        if (method === 'POST') {
          const input = parse();
          const instant = typeof input?.now === 'string' ? new Date(input.now) : undefined;
          if (!instant || Number.isNaN(instant.getTime()) || !/[zZ]|[+-]\d\d:\d\d$/.test(String(input?.now))) {
            return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'Send {"now": "<ISO-8601 instant with offset>"}', details: [{ path: 'now', code: 'INVALID_DATE', message: 'e.g. 2023-09-25T23:59:59+08:00' }] } } };
          }
          clock.set(instant, { frozen: input?.frozen === true });
          await sweep();
        }
        return { status: 200, body: { now: clockModule.toBeijingIso(clock.now()), utc: clock.now().toISOString(), frozen: clock.frozen } };
      }
      return undefined;
    };
    const gateway = createGateway(tokens, localRoutes);
    const apiPort = await listen(gateway, ports.api);
    stops.push(() => new Promise((resolve) => { gateway.closeAllConnections(); gateway.close(resolve); }));

    const sweepTimer = setInterval(() => void sweep().catch((error) => log(`sweep failed: ${String(error)}`)), options.sweepEveryMs ?? 5000);
    sweepTimer.unref();
    stops.push(async () => clearInterval(sweepTimer));

    return {
      urls: { api: `http://127.0.0.1:${apiPort}`, email: emailUrl, dynamodb: dynamo.endpoint, stepfunctions: sfn.url },
      stateMachineArn,
      tokens,
      setClock: async (instant: Date, clockOptions?: { frozen?: boolean }) => {
        clock.set(instant, clockOptions);
        await sweep();
      },
      now: () => clock.now(),
      sweep,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
