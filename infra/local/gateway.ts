import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { disallowedOriginStatement, FORBIDDEN_ORIGIN_BODY, matchesStatement, originsRegex } from '@infra/origin-rule';
import { routes, type Route } from '@infra/routes';
import { invokeLocal } from './lambdas';
import type { LocalTokens } from './tokens';
import { serveWebApp, WEB_APP_PATH } from './web-app';
import type { WebAppOrigins } from '@infra/web-headers';

/**
 * The largest body that reaches a handler on AWS. API Gateway itself takes up to 10 MB, but it hands
 * the request to Lambda synchronously, whose invocation payload (the whole proxy event) is capped at
 * 6 MB: a bigger body is refused by Lambda and API Gateway answers with a 5xx. Locally anything over
 * 6 MB gets 413 instead, so no client comes to rely on a size AWS cannot serve. The domain's own cap
 * is far lower: a form over 300,000 bytes of JSON is refused with 400 VALIDATION_FAILED (detail TOO_LARGE).
 */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export type LocalRoute = (request: {
  method: string;
  url: URL;
  body: string;
}) => Promise<{ status: number; body: unknown; contentType?: string; headers?: Record<string, string> } | undefined>;

interface Compiled {
  route: Route;
  pattern: RegExp;
  params: string[];
}

const compiled: Compiled[] = routes.map((route) => {
  const params: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), params };
});

/** Literal segments win over parameters, as in API Gateway (/units/me/... before /units/{unitId}/...). */
function match(method: string, pathname: string) {
  const candidates = compiled
    .map((entry) => ({ entry, found: entry.pattern.exec(pathname) }))
    .filter(({ found }) => found)
    .sort((a, b) => a.entry.params.length - b.entry.params.length);
  if (candidates.length === 0) return { kind: 'no-path' as const };
  const hit = candidates.find(({ entry }) => entry.route.method === method);
  if (!hit) return { kind: 'no-method' as const };
  const pathParameters = Object.fromEntries(
    hit.entry.params.map((name, i) => {
      const raw = hit.found![i + 1];
      try {
        return [name, decodeURIComponent(raw)];
      } catch {
        return [name, raw];
      }
    }),
  );
  return { kind: 'hit' as const, route: hit.entry.route, pathParameters };
}

const errorJson = (code: string, message: string) => JSON.stringify({ error: { code, message, details: [] } });

function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The web ACL's origin rule, as it stands in front of this gateway: the API's own origin is its
 * loopback address (its task links name 127.0.0.1), and `localhost` at the same port is the other
 * name a developer types. Built from the same statement the stack deploys (infra/origin-rule.ts).
 */
const originRuleFor = (port: number) =>
  disallowedOriginStatement(originsRegex(`http://127.0.0.1:${port}`, `http://localhost:${port}`));

/**
 * The local-only endpoints (a bearer token for anyone, the clock) answer only requests addressed to
 * this machine by a loopback name at this port: a page whose own host name resolves to 127.0.0.1 (DNS
 * rebinding) sends its own name as Host and is refused.
 */
const loopbackHost = (host: string | undefined, port: number) =>
  host === `127.0.0.1:${port}` || host === `localhost:${port}`;

/**
 * Plays API Gateway on this machine: the same route table as the CDK stack, requests turned into
 * REST API proxy events, bearer tokens verified and their claims handed over as the Cognito
 * authorizer would. `extra` serves the local-only endpoints (/_local/...).
 */
export function createGateway(
  tokens: LocalTokens,
  extra: LocalRoute,
  accessLog: (line: string) => void = () => undefined,
  /** the built web app, served under /app/ (on AWS CloudFront serves it) */
  web?: { root: string; origins: WebAppOrigins },
): Server {
  const gateway: Gateway = { tokens, extra, accessLog, web, originRules: new Map() };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void handleRequest(gateway, req, res);
  });
}

/** What the gateway was made with, and the origin rule of each port it has answered on. */
interface Gateway {
  tokens: LocalTokens;
  extra: LocalRoute;
  accessLog: (line: string) => void;
  web?: { root: string; origins: WebAppOrigins };
  originRules: Map<number, ReturnType<typeof originRuleFor>>;
}

type Send = (status: number, body: string | Buffer, headers?: Record<string, string>) => void;

/** The request as the parts after the firewall read it. */
interface Request {
  req: IncomingMessage;
  method: string;
  url: URL;
  port: number;
  body: string;
  requestId: string;
}

async function handleRequest(gateway: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const answer = answering(req, res, gateway.accessLog);
  const { send, requestId } = answer;
  try {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const port = req.socket.localPort ?? 0;
    // The web ACL's rules come before anything else, as on AWS: nothing refused reaches a handler.
    if (refusedByOriginRule(gateway.originRules, port, req)) return send(403, FORBIDDEN_ORIGIN_BODY);
    const body = await readBody(req);
    if (body === 'too-large') return send(413, errorJson('PAYLOAD_TOO_LARGE', 'The request body exceeds 6 MB'));
    const request: Request = { req, method, url, port, body, requestId };

    if (gateway.web && servedWebApp(gateway.web, request, send)) return;
    if (url.pathname.startsWith('/_local/') && (await servedLocalEndpoint(gateway.extra, request, send))) return;
    const routed = routeAndAuthorize(gateway.tokens, request, send);
    if (!routed) return;
    answer.setCaller(routed.caller);
    await invokeAndAnswer(routed.route, proxyEvent(request, routed), requestId, send);
  } catch (error) {
    // What API Gateway answers when the integration itself fails.
    console.error('local gateway: handler failed', error);
    send(502, errorJson('BAD_GATEWAY', 'The handler failed'));
  }
}

/** One access log line per request, as API Gateway's access log writes it: what, who, how it went. */
function answering(req: IncomingMessage, res: ServerResponse, accessLog: (line: string) => void) {
  const began = performance.now();
  const requestId = randomUUID();
  let caller = '-';
  const send: Send = (status, body, headers = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': requestId,
      ...headers,
    });
    res.end(body);
    const ms = (performance.now() - began).toFixed(1);
    accessLog(
      `${req.method ?? 'GET'} ${(req.url ?? '/').replace(/([?&]sig=)[^&]+/, '$1…')} ${status} ${ms}ms caller=${caller} request=${requestId}`,
    );
  };
  return {
    requestId,
    send,
    setCaller: (who: string) => {
      caller = who;
    },
  };
}

function refusedByOriginRule(originRules: Gateway['originRules'], port: number, req: IncomingMessage): boolean {
  if (!originRules.has(port)) originRules.set(port, originRuleFor(port));
  return matchesStatement(originRules.get(port)!, req.headers as Record<string, string | undefined>);
}

/** The web app's files under /app/ (and / sent there); true when answered. */
function servedWebApp(web: NonNullable<Gateway['web']>, { method, url }: Request, send: Send): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (url.pathname === '/' || url.pathname === WEB_APP_PATH.slice(0, -1)) {
    send(302, '', { location: WEB_APP_PATH });
    return true;
  }
  if (!url.pathname.startsWith(WEB_APP_PATH)) return false;
  const answer = serveWebApp(web.root, url.pathname, web.origins);
  send(answer.status, method === 'HEAD' ? '' : answer.body, answer.headers);
  return true;
}

/** A local-only endpoint, for loopback names only; true when answered (an unknown one falls through to the routes). */
async function servedLocalEndpoint(
  extra: LocalRoute,
  { req, method, url, body, port }: Request,
  send: Send,
): Promise<boolean> {
  if (!loopbackHost(req.headers.host, port)) {
    send(
      403,
      errorJson('FORBIDDEN', `The local endpoints answer only http://127.0.0.1:${port} and http://localhost:${port}`),
    );
    return true;
  }
  const answer = await extra({ method, url, body });
  if (!answer) return false;
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  send(answer.status, text, {
    ...(answer.contentType ? { 'content-type': answer.contentType } : {}),
    ...answer.headers,
  });
  return true;
}

interface Routed {
  route: Route;
  pathParameters: Record<string, string>;
  claims?: Record<string, unknown>;
  caller: string;
}

/** The route and, for a user's route, the verified token's claims; undefined when already answered (404, 401). */
function routeAndAuthorize(tokens: LocalTokens, { req, method, url }: Request, send: Send): Routed | undefined {
  const found = match(method, url.pathname);
  if (found.kind === 'no-path') {
    send(404, errorJson('NOT_FOUND', `No route for ${url.pathname}`));
    return undefined;
  }
  // API Gateway answers a method a resource lacks as it answers an unknown path (the stack's
  // MISSING_AUTHENTICATION_TOKEN response, 404); so does this stand-in.
  if (found.kind === 'no-method') {
    send(404, errorJson('NOT_FOUND', `No route for ${method} ${url.pathname}`));
    return undefined;
  }
  const { route, pathParameters } = found;
  if (route.auth !== 'user') return { route, pathParameters, caller: '-' };
  const header = req.headers.authorization ?? '';
  const token = header.replace(/^Bearer\s+/i, '');
  const verified = token ? tokens.verify(token) : undefined;
  if (!verified) {
    send(401, errorJson('UNAUTHENTICATED', 'A valid bearer token is required'));
    return undefined;
  }
  const claims = {
    ...verified,
    // The Cognito authorizer of a REST API flattens groups into one string.
    ...(verified['cognito:groups'] ? { 'cognito:groups': verified['cognito:groups'].join(',') } : {}),
  };
  return { route, pathParameters, claims, caller: verified.sub };
}

/** The REST API proxy event API Gateway would hand the route's function. */
function proxyEvent({ req, method, url, body, requestId }: Request, routed: Routed): APIGatewayProxyEvent {
  const { route, pathParameters, claims } = routed;
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : (value ?? '')]),
  );
  const query = Object.fromEntries(url.searchParams.entries());
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      stage: 'local',
      requestId,
      httpMethod: method,
      path: url.pathname,
      resourcePath: route.path,
      requestTimeEpoch: Date.now(),
      protocol: 'HTTP/1.1',
      authorizer: claims ? { claims } : null,
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
    },
  } as unknown as APIGatewayProxyEvent;
}

async function invokeAndAnswer(route: Route, event: APIGatewayProxyEvent, requestId: string, send: Send) {
  const result = (await invokeLocal(route.fn, event, requestId)) as APIGatewayProxyResult;
  send(
    result.statusCode,
    result.body,
    Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
  );
}
