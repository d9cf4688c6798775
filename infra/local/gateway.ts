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
}) => Promise<{ status: number; body: unknown; contentType?: string } | undefined>;

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
  const originRules = new Map<number, ReturnType<typeof originRuleFor>>();
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const began = performance.now();
      const requestId = randomUUID();
      let caller = '-';
      // One access log line per request, as API Gateway's access log writes it: what, who, how it went.
      const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
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
      try {
        const method = (req.method ?? 'GET').toUpperCase();
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const port = req.socket.localPort ?? 0;
        if (!originRules.has(port)) originRules.set(port, originRuleFor(port));
        // The web ACL's rules come before anything else, as on AWS: nothing refused reaches a handler.
        if (matchesStatement(originRules.get(port)!, req.headers as Record<string, string | undefined>))
          return send(403, FORBIDDEN_ORIGIN_BODY);
        const body = await readBody(req);
        if (body === 'too-large') return send(413, errorJson('PAYLOAD_TOO_LARGE', 'The request body exceeds 6 MB'));

        if (web && (method === 'GET' || method === 'HEAD')) {
          if (url.pathname === '/' || url.pathname === WEB_APP_PATH.slice(0, -1))
            return send(302, '', { location: WEB_APP_PATH });
          if (url.pathname.startsWith(WEB_APP_PATH)) {
            const answer = serveWebApp(web.root, url.pathname, web.origins);
            return send(answer.status, method === 'HEAD' ? '' : answer.body, answer.headers);
          }
        }

        if (url.pathname.startsWith('/_local/')) {
          if (!loopbackHost(req.headers.host, port))
            return send(
              403,
              errorJson(
                'FORBIDDEN',
                `The local endpoints answer only http://127.0.0.1:${port} and http://localhost:${port}`,
              ),
            );
          const answer = await extra({ method, url, body });
          if (answer) {
            const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
            return send(answer.status, text, answer.contentType ? { 'content-type': answer.contentType } : {});
          }
        }

        const found = match(method, url.pathname);
        if (found.kind === 'no-path') return send(404, errorJson('NOT_FOUND', `No route for ${url.pathname}`));
        // API Gateway answers a method a resource lacks as it answers an unknown path (the stack's
        // MISSING_AUTHENTICATION_TOKEN response, 404); so does this stand-in.
        if (found.kind === 'no-method')
          return send(404, errorJson('NOT_FOUND', `No route for ${method} ${url.pathname}`));

        let claims: Record<string, unknown> | undefined;
        if (found.route.auth === 'user') {
          const header = req.headers.authorization ?? '';
          const token = header.replace(/^Bearer\s+/i, '');
          const verified = token ? tokens.verify(token) : undefined;
          if (!verified) return send(401, errorJson('UNAUTHENTICATED', 'A valid bearer token is required'));
          caller = verified.sub;
          claims = {
            ...verified,
            // The Cognito authorizer of a REST API flattens groups into one string.
            ...(verified['cognito:groups'] ? { 'cognito:groups': verified['cognito:groups'].join(',') } : {}),
          };
        }

        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join(',') : (value ?? ''),
          ]),
        );
        const query = Object.fromEntries(url.searchParams.entries());
        const event = {
          resource: found.route.path,
          path: url.pathname,
          httpMethod: method,
          headers,
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
          queryStringParameters: Object.keys(query).length ? query : null,
          multiValueQueryStringParameters: null,
          pathParameters: Object.keys(found.pathParameters).length ? found.pathParameters : null,
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
            resourcePath: found.route.path,
            requestTimeEpoch: Date.now(),
            protocol: 'HTTP/1.1',
            authorizer: claims ? { claims } : null,
            identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
          },
        } as unknown as APIGatewayProxyEvent;
        const result = (await invokeLocal(found.route.fn, event, requestId)) as APIGatewayProxyResult;
        send(
          result.statusCode,
          result.body,
          Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
        );
      } catch (error) {
        // What API Gateway answers when the integration itself fails.
        console.error('local gateway: handler failed', error);
        send(502, errorJson('BAD_GATEWAY', 'The handler failed'));
      }
    })();
  });
}
