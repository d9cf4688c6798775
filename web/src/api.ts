import { appConfig } from './config';
import { currentPerson, startSignIn } from './auth/session';

export interface FieldDetail {
  path: string;
  code: string;
  message: string;
}

/** A refusal in the API's error contract: `{error: {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldDetail[] = [],
  ) {
    super(message);
  }
}

interface Options {
  body?: unknown;
  headers?: Record<string, string>;
}

/** One call to the API as the signed-in person; a lost sign-in sends them to sign in again. */
export async function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  const { apiBase } = await appConfig();
  const person = currentPerson();
  const response = await fetch(`${apiBase}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(person ? { authorization: `Bearer ${person.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (response.ok) return parsed as T;
  if (response.status === 401) {
    await startSignIn(location.pathname + location.search);
  }
  const error = (parsed as { error?: { code?: string; message?: string; details?: FieldDetail[] } } | undefined)?.error;
  throw new ApiError(response.status, error?.code ?? 'HTTP_' + response.status, error?.message ?? response.statusText, [
    ...(error?.details ?? []),
  ]);
}
