import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DomainError, type ErrorCode, type FieldDetail } from '@shared/domain/errors';
import { callerFromClaims, type Caller } from '@shared/domain/identity';
import { logger } from '@shared/adapters/logger';
import { typedAwsError } from '@shared/adapters/aws-errors';
import { countMetric, publishMetrics } from '@shared/adapters/metrics';
import { traceHandler } from '@shared/adapters/tracer';

/** The API's whole error contract: every typed error has exactly one status. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNIT_BARRED: 403,
  NOT_FOUND: 404,
  UNIT_LIMIT_REACHED: 409,
  TYPE_LIMIT_REACHED: 409,
  ALREADY_DONE: 409,
  NOT_AMENDABLE: 409,
  CALL_NOT_OPEN: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  DEADLINE_PASSED: 410,
  LINK_EXPIRED: 410,
  LINK_INVALID: 403,
  NOT_A_MEMBER: 403,
  STAGE_NOT_READY: 409,
  POOL_INSUFFICIENT: 409,
  NO_ELIGIBLE_EXPERT: 409,
  AWARD_CONFIRMED: 409,
  DRAFT_CHANGED: 409,
  BUSY: 503,
};

/** The status of a typed error (for answers that carry several, one per item). */
export const statusOf = (code: ErrorCode) => STATUS[code];

export interface HttpRequest {
  method: string;
  caller: Caller;
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
}

export interface HttpResult {
  statusCode?: number;
  /** JSON to answer; or */
  body?: unknown;
  /** a whole HTML page (the task pages staff open from their email) */
  html?: string;
  /** a CSV download: its text (with a byte order mark) and file name */
  csv?: { text: string; filename: string };
  headers?: Record<string, string>;
}

export interface HttpOptions {
  /** Renders a refusal as a page, for callers who asked for HTML (a browser following a link). */
  errorPage?: (code: string, message: string, details: readonly FieldDetail[]) => string;
}

/** A client that asked for CSV (a spreadsheet download) with `Accept: text/csv`. */
export const wantsCsv = (headers: Record<string, string>) => /text\/csv/i.test(headers.accept ?? '');

/** A browser (a person following an emailed link) rather than a program: it gets pages, not JSON. */
export const wantsHtml = (headers: Record<string, string>) =>
  !/application\/json/i.test(headers.accept ?? '') && !/application\/json/i.test(headers['content-type'] ?? '');

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

const html = (statusCode: number, page: string, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode,
  // Pages carry signed links: never cached by a shared proxy, never framed by another site, their
  // address never sent to another site. `same-origin` rather than `no-referrer`: under no-referrer a
  // browser posts the page's own form with `Origin: null`, which the web ACL refuses (infra/origin-rule.ts).
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    ...headers,
  },
  body: page,
});

const errorBody = (code: string, message: string, details: readonly FieldDetail[] = []) => ({
  error: { code, message, details },
});

function parseBody(event: APIGatewayProxyEvent, contentType: string | undefined): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  // A task page's form posts form-encoded fields.
  if (/^application\/x-www-form-urlencoded/i.test(contentType ?? ''))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('MALFORMED_JSON', 'The request body is not valid JSON', [
      { path: '', code: 'MALFORMED_JSON', message: 'Send a JSON object with content-type application/json' },
    ]);
  }
}

const lowerKeys = (record: Record<string, string | undefined> | null) =>
  Object.fromEntries(
    Object.entries(record ?? {}).flatMap(([key, value]) => (value === undefined ? [] : [[key.toLowerCase(), value]])),
  );

/**
 * CORS headers for an answer to a request from `origin`. The browser origins the API answers are
 * the stack's AllowedOrigins parameter, set on every API function as ALLOWED_ORIGINS
 * (comma-separated; infra/api-protection.ts, which answers the preflights and API Gateway's own
 * refusals from the same list). Read from process.env, not readEnv, because it is optional: without
 * it (local mode, where the API and its pages share one origin) no CORS header is added. An Origin
 * in the list is echoed; every answer then varies by Origin.
 */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  const allowed = (process.env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (allowed.length === 0) return {};
  if (!origin || !allowed.includes(origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'Retry-After, Content-Disposition, Location',
    vary: 'Origin',
  };
}

/** Adds the CORS headers to every answer of an API handler, a refusal included. */
const cors = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  after: (request) => {
    if (!request.response) return;
    const origin = Object.entries(request.event.headers ?? {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];
    request.response.headers = { ...request.response.headers, ...corsHeaders(origin) };
  },
});

/**
 * Wraps an API handler: parses the event into a plain request (identity from the authorizer's
 * claims), runs the domain call, and maps typed errors to the contract's statuses in this one place
 * (each refusal counted by its code: the Refusals metric).
 * Anything untyped is a bug: logged with its stack and answered 500 without internals.
 */
export function httpHandler(run: (request: HttpRequest) => Promise<HttpResult>, options: HttpOptions = {}) {
  return middy(async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    const headers = lowerKeys(event.headers);
    const refuse = (
      status: number,
      code: string,
      message: string,
      details: readonly FieldDetail[] = [],
      extra: Record<string, string> = {},
    ) =>
      options.errorPage && wantsHtml(headers)
        ? html(status, options.errorPage(code, message, details), extra)
        : json(status, errorBody(code, message, details), extra);
    try {
      const request: HttpRequest = {
        method: (event.httpMethod ?? 'GET').toUpperCase(),
        caller: callerFromClaims(event.requestContext?.authorizer?.claims),
        path: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        headers,
        body: parseBody(event, headers['content-type']),
      };
      const result = await run(request);
      if (result.html !== undefined) return html(result.statusCode ?? 200, result.html, result.headers);
      if (result.csv !== undefined) {
        return {
          statusCode: result.statusCode ?? 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${result.csv.filename}"`,
            ...result.headers,
          },
          body: result.csv.text,
        };
      }
      return json(result.statusCode ?? 200, result.body, result.headers);
    } catch (error) {
      const typed = error instanceof DomainError ? error : typedAwsError(error);
      if (typed) {
        logger.info('request refused', {
          code: typed.code,
          details: typed.details.length,
          cause: typed === error ? undefined : (error as Error).name,
        });
        countMetric('Refusals', 1, { Code: typed.code });
        // A busy dependency is a moment, not a bug: the client may retry (with the same Idempotency-Key).
        const headers: Record<string, string> = typed.code === 'BUSY' ? { 'retry-after': '2' } : {};
        return refuse(STATUS[typed.code], typed.code, typed.message, typed.details, headers);
      }
      logger.error('unhandled error', error as Error);
      return refuse(500, 'INTERNAL', 'Internal error');
    }
  })
    .use(cors())
    .use(traceHandler())
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}
