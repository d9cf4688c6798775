import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '@infra/local/local-stack';

/** Starts the whole local stack on free 127.0.0.1 ports, in memory; the caller stops it in afterAll. */
export function startTestStack(options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  return startLocalStack({
    ports: { api: 0, email: 0, dynamodb: 0, stepfunctions: 0 },
    // Tests drive the sweep through the clock endpoint; the timer only backs them up.
    sweepEveryMs: 60_000,
    ...options,
  });
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A client of the HTTP API, as an applicant or staff member would use it. */
export class Api {
  constructor(readonly base: string) {}

  async request<T = any>(method: string, route: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.base}${route}`, {
      method,
      headers: {
        ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  async unitToken(unitId: string): Promise<string> {
    return (await this.request('POST', '/_local/token', { body: { unitId } })).body.token;
  }

  async staffToken(): Promise<string> {
    return (await this.request('POST', '/_local/token', { body: { role: 'staff' } })).body.token;
  }

  /** Waits until the application (read as `token`) reaches `status`, and returns it. */
  async waitForStatus(token: string, applicationId: string, status: string, timeoutMs = 20_000): Promise<any> {
    return eventually(async () => {
      const answer = await this.request('GET', `/applications/${applicationId}`, { token });
      return answer.body.status === status ? answer.body : undefined;
    }, timeoutMs, `status ${status}`);
  }

  async setClock(instant: string, frozen = false): Promise<void> {
    const answer = await this.request('POST', '/_local/clock', { body: { now: instant, frozen } });
    if (answer.status !== 200) throw new Error(`clock: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

export function example(typeId: string): Record<string, any> {
  return JSON.parse(readFileSync(path.resolve(__dirname, '../../seeds/examples', `${typeId}.json`), 'utf8'));
}

/** A Lingnan forum that misses three of the notice's requirements and leaves its cost targets empty. */
export function shortForum(): Record<string, any> {
  const body = example('lingnan-forum');
  body.details.offlineAttendance = 150;
  body.details.days = 4;
  body.details.venueCity = '香港';
  body.performanceTargets.output.cost = [];
  return body;
}

export interface StoredEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export async function sentEmails(emailUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${emailUrl}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
