import { startLocalStack, type LocalStack, type LocalStackOptions } from '@infra/local/local-stack';
import { freePort } from '@infra/local/net';
import seededUnits from '@seeds/units.json';

const SEEDED_UNITS: ReadonlySet<string> = new Set(seededUnits.map((unit) => unit.unitId));

/**
 * Starts the whole local stack on free 127.0.0.1 ports, in memory; the caller stops it in afterAll.
 * A free port is picked before the server that takes it binds, so another test file running in
 * parallel can take it in between: on EADDRINUSE the stack is started again on other free ports
 * (given ports are replaced in `options.ports`, so a later restart finds the same ones).
 */
/** A free loopback port for each local service (one that is taken before the stack binds it is picked again by startTestStack). */
export async function freePorts(): Promise<Required<NonNullable<LocalStackOptions['ports']>>> {
  return {
    api: await freePort(),
    email: await freePort(),
    dynamodb: await freePort(),
    stepfunctions: await freePort(),
    files: await freePort(),
  };
}

export async function startTestStack(options: Partial<LocalStackOptions> = {}, attempts = 4): Promise<LocalStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLocalStack({
        ports: { api: 0, email: 0, dynamodb: 0, stepfunctions: 0, files: 0 },
        // Tests drive the sweep through the clock endpoint; the timer only backs them up.
        sweepEveryMs: 60_000,
        ...options,
      });
    } catch (error) {
      if (attempt >= attempts || !/EADDRINUSE|address already in use/i.test(String((error as Error)?.message ?? error)))
        throw error;
      if (options.ports) options.ports = await freePorts();
    }
  }
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A client of the HTTP API, as an applicant or staff member would use it. */
export class Api {
  /** `base` may be given as a function, for a client made before its server has a port. */
  constructor(private readonly baseUrl: string | (() => string)) {}

  get base(): string {
    return typeof this.baseUrl === 'function' ? this.baseUrl() : this.baseUrl;
  }

  async request<T = any>(
    method: string,
    route: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer<T>> {
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

  /** Submits an application to the 2024 call as the unit of `token`. */
  submit<T = any>(token: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    return this.request<T>('POST', '/calls/gdast-2024/applications', { token, body, headers });
  }

  /**
   * A token for a member unit. Only member units may apply: one that is not among the seeded units
   * is registered first by staff (PUT /units/{unitId}), as the association registers its members.
   */
  async unitToken(unitId: string): Promise<string> {
    if (!SEEDED_UNITS.has(unitId)) {
      const registered = await this.request('PUT', `/units/${unitId}`, {
        token: await this.staffToken(),
        body: { name: { zh: `${unitId}学会`, en: unitId }, email: `office@${unitId}.example.org` },
      });
      if (registered.status !== 200)
        throw new Error(`registering ${unitId}: ${registered.status} ${JSON.stringify(registered.body)}`);
    }
    return this.tokenFor(unitId);
  }

  /** A unit's token, registered or not (a society that is not a member gets 403 NOT_A_MEMBER). */
  async tokenFor(unitId: string): Promise<string> {
    return (await this.request('POST', '/_local/token', { body: { unitId } })).body.token;
  }

  /** A staff token; with an email, the staff member the task emails go to (GET /staff/tasks). */
  async staffToken(email?: string): Promise<string> {
    return (await this.request('POST', '/_local/token', { body: { role: 'staff', ...(email ? { email } : {}) } })).body
      .token;
  }

  /** Waits until the application (read as `token`) reaches `status`, and returns it. */
  async waitForStatus(token: string, applicationId: string, status: string, timeoutMs = 20_000): Promise<any> {
    return eventually(
      async () => {
        const answer = await this.request('GET', `/applications/${applicationId}`, { token });
        return answer.body.status === status ? answer.body : undefined;
      },
      timeoutMs,
      `status ${status}`,
    );
  }

  async setClock(instant: string, frozen = false): Promise<void> {
    const answer = await this.request('POST', '/_local/clock', { body: { now: instant, frozen } });
    if (answer.status !== 200) throw new Error(`clock: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

export interface StoredEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
  messageId: string;
}

export async function sentEmails(emailUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${emailUrl}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
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
