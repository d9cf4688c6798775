/**
 * The AWS JSON 1.0 protocol: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>` and a JSON
 * body, answered with JSON or with an error body `{__type: "<namespace>#<type>", message}`.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { CORAL_NS, SfnApiError, validationError } from './errors';
import { parseJson } from './request';
import type { JsonObject, Log } from './types';
import { isObject } from './util';

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';

export type ActionHandler = (action: string, request: JsonObject) => Promise<JsonObject>;

/** Listens on host:port (0 picks a free port) and answers every request through `handle`. */
export async function listenJsonApi(
  handle: ActionHandler,
  host: string,
  port: number,
  log: Log,
): Promise<{ server: http.Server; port: number; url: string }> {
  const server = http.createServer((req, res) => void onRequest(req, res, handle, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return { server, port: boundPort, url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}` };
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    // SDK clients keep connections alive; without this close() waits for them to time out.
    server.closeAllConnections();
  });
}

async function onRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handle: ActionHandler,
  log: Log,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const { action, request } = await readAction(req);
    send(res, requestId, 200, await handle(action, request));
  } catch (e) {
    if (e instanceof SfnApiError) {
      send(res, requestId, e.statusCode, { __type: `${e.namespace}#${e.type}`, message: e.message });
    } else {
      log(`[sfn] internal error: ${(e as Error)?.stack ?? String(e)}`);
      send(res, requestId, 500, { __type: `${CORAL_NS}#InternalFailure`, message: (e as Error)?.message ?? String(e) });
    }
  }
}

/** The action the request's target names and its JSON request object. */
async function readAction(req: http.IncomingMessage): Promise<{ action: string; request: JsonObject }> {
  if (req.method !== 'POST') {
    throw new SfnApiError(
      'UnknownOperationException',
      `${req.method ?? ''} is not supported; POST an X-Amz-Target action`,
      CORAL_NS,
      404,
    );
  }
  const target = req.headers['x-amz-target'];
  const action =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const body = await readBody(req);
  if (!action) throw new SfnApiError('UnknownOperationException', `Unknown target ${String(target)}`, CORAL_NS);
  const request =
    body.length > 0
      ? parseJson(body, () => new SfnApiError('SerializationException', 'Request body is not valid JSON', CORAL_NS))
      : {};
  if (!isObject(request))
    throw new SfnApiError('SerializationException', 'Request body must be a JSON object', CORAL_NS);
  return { action, request };
}

function send(res: http.ServerResponse, requestId: string, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
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
