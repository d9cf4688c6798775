import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AnyFunctionName } from '@infra/functions';
import { invokeLocal, localFunctionNames } from './lambdas';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * Lambda's Invoke API in front of the in-process handlers, for code that invokes a function through
 * the SDK as it does on AWS (the sweep's fan-out: shared/adapters/sweep-workers.ts). An asynchronous
 * invocation (`X-Amz-Invocation-Type: Event`) is answered 202 at once and runs in the background, as
 * Lambda queues it; `settle()` waits for all of them, so a local sweep ends when its workers have.
 */
export class LocalLambdaEndpoint {
  private server: Server | undefined;
  private readonly running = new Set<Promise<void>>();
  private results: unknown[] = [];

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  /** Listens on a free port of 127.0.0.1; answers the endpoint's URL (AWS_ENDPOINT_URL_LAMBDA). */
  async start(): Promise<string> {
    const server = createServer((request, response) => void this.answer(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  /** Waits for every asynchronous invocation started so far (and those they start); answers their results. */
  async settle(): Promise<unknown[]> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    const results = this.results;
    this.results = [];
    return results;
  }

  /** Lets the invocations in flight end, then stops listening. */
  async stop(): Promise<void> {
    await this.settle();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const name = decodeURIComponent(INVOKE_PATH.exec(request.url ?? '')?.[1] ?? '');
    let event: unknown;
    try {
      event = JSON.parse((await readBody(request)) || 'null');
    } catch {
      send(response, 400, { message: 'The payload is not JSON' }, 'InvalidRequestContentException');
      return;
    }
    if (request.method !== 'POST' || !localFunctionNames.includes(name as AnyFunctionName)) {
      send(response, 404, { Type: 'User', message: `Function not found: ${name}` }, 'ResourceNotFoundException');
      return;
    }
    if (request.headers['x-amz-invocation-type'] === 'Event') {
      this.runInBackground(name as AnyFunctionName, event);
      send(response, 202);
      return;
    }
    try {
      send(response, 200, await invokeLocal(name as AnyFunctionName, event));
    } catch (error) {
      const { name: errorType = 'Error', message = String(error) } = error as Error;
      send(response, 200, { errorType, errorMessage: message }, undefined, 'Unhandled');
    }
  }

  /** As Lambda runs a queued event: its failure is logged (and alarmed on AWS), never the caller's. */
  private runInBackground(name: AnyFunctionName, event: unknown): void {
    const run = invokeLocal(name, event).then(
      (result) => void this.results.push(result),
      (error: unknown) => this.log(`${name} failed on an asynchronous invocation: ${String(error)}`),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body?: unknown, errorType?: string, functionError?: string) {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json');
  if (errorType) response.setHeader('x-amzn-ErrorType', errorType);
  if (functionError) response.setHeader('X-Amz-Function-Error', functionError);
  response.end(body === undefined ? '' : JSON.stringify(body));
}
