/**
 * The routes local mode adds to the API port, before the product's own: the administrators'
 * console, `POST /_local/token` (a bearer token for a unit or a role, in place of Cognito) and
 * `/_local/clock` (read the simulated clock; POST moves it and runs the deadline sweep), and
 * `GET /_local/identities` (whom the local sign-in page offers: the seeded societies and the staff
 * the calls name).
 */
import type { SimulatedClock } from '@shared/domain/clock';
import { listCalls, listSeedUnits } from '@shared/domain/catalogue';
import type { LocalRoute } from './gateway';
import type { LocalTokens } from './tokens';

export interface LocalRoutesDeps {
  /** Tried first (the console's pages); answers undefined for any other path. */
  console: LocalRoute;
  tokens: LocalTokens;
  clock: SimulatedClock;
  /** An instant as the product shows it (Beijing time). */
  showInstant: (instant: Date) => string;
  sweep: () => Promise<unknown>;
}

type Answer = { status: number; body: unknown };

export function localRoutes(deps: LocalRoutesDeps): LocalRoute {
  return async ({ method, url, body }) => {
    const page = await deps.console({ method, url, body });
    if (page) return page;
    if (url.pathname === '/_local/token' && method === 'POST') return tokenRoute(deps.tokens, body);
    if (url.pathname === '/_local/clock') return clockRoute(deps, method, body);
    if (url.pathname === '/_local/identities' && method === 'GET') return { status: 200, body: localIdentities() };
    return undefined;
  };
}

/** The request's JSON object, `{}` for no body, undefined when it is not JSON. */
function parse(body: string): Record<string, unknown> | undefined {
  try {
    return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/** A 400 in the API's error contract, with one detail. */
function validationFailed(message: string, detail: { path: string; code: string; message: string }): Answer {
  return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message, details: [detail] } } };
}

function tokenRoute(tokens: LocalTokens, body: string): Answer {
  const input = parse(body);
  const unitId = input?.unitId;
  const role = input?.role;
  if (typeof unitId === 'string' && /^[a-z0-9][a-z0-9-]{1,63}$/.test(unitId))
    return { status: 200, body: tokens.issue({ unitId }) };
  const email = typeof input?.email === 'string' && /^[^@\s]+@[^@\s]+$/.test(input.email) ? input.email : undefined;
  if (role === 'staff' || role === 'admin')
    return { status: 200, body: tokens.issue({ role, ...(email ? { email } : {}) }) };
  return validationFailed(
    'Send {"unitId": "<unit id>"} or {"role": "staff"|"admin", "email": "<staff email, optional>"}',
    {
      path: 'unitId',
      code: 'REQUIRED',
      message: 'a unit id (a–z, 0–9, -) or a role',
    },
  );
}

async function clockRoute(deps: LocalRoutesDeps, method: string, body: string): Promise<Answer> {
  const { clock } = deps;
  if (method === 'POST') {
    const input = parse(body);
    const instant = typeof input?.now === 'string' ? new Date(input.now) : undefined;
    if (!instant || Number.isNaN(instant.getTime()) || !/[zZ]|[+-]\d\d:\d\d$/.test(String(input?.now))) {
      return validationFailed('Send {"now": "<ISO-8601 instant with offset>"}', {
        path: 'now',
        code: 'INVALID_DATE',
        message: 'e.g. 2023-09-25T23:59:59+08:00',
      });
    }
    clock.set(instant, { frozen: input?.frozen === true });
    await deps.sweep();
  }
  return {
    status: 200,
    body: { now: deps.showInstant(clock.now()), utc: clock.now().toISOString(), frozen: clock.frozen },
  };
}

/** The societies seeded locally, and every staff member a call names (the department head, each type's contact). */
function localIdentities() {
  const staff = new Map<string, string>();
  for (const call of listCalls()) {
    staff.set(call.staffReview.departmentHead.email, call.staffReview.departmentHead.name);
    for (const type of call.projectTypes) staff.set(type.contact.email, type.contact.name);
  }
  return {
    units: listSeedUnits().map((unit) => ({ unitId: unit.unitId, name: unit.name })),
    staff: [...staff].map(([email, name]) => ({ email, name })),
  };
}
