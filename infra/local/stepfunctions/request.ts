/** Reading an action's request fields and paging its answers, with the errors AWS gives for bad ones. */
import { CORAL_NS, invalidToken, SfnApiError, validationError } from './errors';
import type { JsonObject } from './types';
import { isObject } from './util';

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

function serializationError(field: string): SfnApiError {
  return new SfnApiError('SerializationException', `Expected a string for ${field}`, CORAL_NS);
}

export function requireString(request: JsonObject, field: string): string {
  const value = request[field];
  if (value === undefined || value === null) {
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (typeof value !== 'string') throw serializationError(field);
  return value;
}

export function optionalString(request: JsonObject, field: string): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serializationError(field);
  return value;
}

/** `JSON.parse(text)`, or the API error `toError` makes of the parser's message. */
export function parseJson(text: string, toError: (message: string) => SfnApiError): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw toError((e as Error).message);
  }
}

export function pageSize(request: JsonObject): number {
  const raw = request.maxResults;
  if (raw === undefined || raw === null || raw === 0) return DEFAULT_PAGE;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > MAX_PAGE) {
    throw validationError(
      `1 validation error detected: Value '${String(raw)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`,
    );
  }
  return raw;
}

export function encodeCursor(cursor: JsonObject): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64');
}

export function decodeCursor(token: string): JsonObject {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (isObject(value)) return value;
  } catch {
    // fall through: any unreadable token is an invalid one
  }
  throw invalidToken();
}

/**
 * One page of `all` (in listing order) after the item the request's nextToken names. The token also
 * carries `scope` (the listing's filters), so a token from another listing is an invalid one.
 */
export function pageAfterArn<T extends { arn: string }>(
  all: T[],
  request: JsonObject,
  limit: number,
  scope: JsonObject = {},
): { page: T[]; nextToken?: string } {
  let start = 0;
  const nextToken = optionalString(request, 'nextToken');
  if (nextToken !== undefined) {
    const cursor = decodeCursor(nextToken);
    const index = all.findIndex((item) => item.arn === cursor.after);
    if (index < 0 || Object.entries(scope).some(([key, value]) => cursor[key] !== value)) throw invalidToken();
    start = index + 1;
  }
  const page = all.slice(start, start + limit);
  if (start + limit < all.length && page.length > 0) {
    return { page, nextToken: encodeCursor({ after: page[page.length - 1].arn, ...scope }) };
  }
  return { page };
}
