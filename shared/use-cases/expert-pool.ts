import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, type FieldDetail } from '@shared/domain/errors';
import { ExpertSchema, listSeedExperts } from '@shared/domain/experts';
import { fieldDetails } from '@shared/domain/field-details';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { parsePageQuery } from '@shared/domain/page-query';
import { requireCall } from '@shared/domain/catalogue';
import { listExpertPage, putExpert, seedExpert, type StoredExpert } from '@shared/adapters/dynamodb/expert-items';
import { expertLoadsBetween } from '@shared/adapters/dynamodb/review-items';

const EXPERT_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_PAGE = 500;

/** `GET /experts` (staff): the pool, a page at a time (`?limit=&after=`), with `callId` each one's load in that call. */
export async function listExpertPool(caller: Caller, query: Record<string, string>) {
  requireStaff(caller);
  const { limit, after } = parsePageQuery(query, {
    max: MAX_PAGE,
    defaultLimit: 100,
    id: EXPERT_ID,
    idIs: 'an expert id',
  });
  const call = query.callId === undefined ? undefined : requireCall(query.callId);
  const page = await listExpertPage(limit, after);
  return call ? { ...page, experts: await withLoads(page.experts, call.callId) } : page;
}

/**
 * Each expert with their load in the call: the places they hold (`assigned`) against their cap
 * (`max`), read for this page's experts only, not the whole pool's.
 */
async function withLoads(experts: StoredExpert[], callId: string) {
  const first = experts[0]?.expertId;
  const last = experts.at(-1)?.expertId;
  const loads = first && last ? await expertLoadsBetween(callId, first, last) : new Map<string, number>();
  return experts.map((e) => ({ ...e, load: { assigned: loads.get(e.expertId) ?? 0, max: e.maxLoad } }));
}

/** `PUT /experts/{expertId}` (staff): adds an expert to the pool or replaces one; every bad field named. */
export async function upsertExpert(expertId: string, caller: Caller, body: unknown) {
  const staff = requireStaff(caller);
  const details: FieldDetail[] = [];
  if (!EXPERT_ID.test(expertId) || expertId.length > 100)
    details.push({ path: 'expertId', code: 'INVALID_VALUE', message: 'an expert id is kebab-case, e.g. exp-061' });
  const given =
    body && typeof body === 'object' && !Array.isArray(body)
      ? { ...(body as Record<string, unknown>), expertId }
      : body;
  const parsed = ExpertSchema.safeParse(given, { reportInput: true });
  if (!parsed.success) details.push(...fieldDetails(parsed.error.issues, [], 'an expert'));
  if (details.length || !parsed.success) throw new DomainError('VALIDATION_FAILED', 'Invalid expert', details);
  const expert = { ...parsed.data, updatedAt: toBeijingIso(now()), updatedBy: staff.subject };
  const { created } = await putExpert(expert);
  return { expert, created };
}

/** Puts the seeded pool into the table (on deploy, and at local start), keeping any expert staff have changed. */
export async function seedExpertPool(): Promise<{ seeded: number }> {
  let seeded = 0;
  for (const expert of listSeedExperts()) if (await seedExpert(expert)) seeded++;
  return { seeded };
}
