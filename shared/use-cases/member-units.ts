import * as z from '@shared/domain/zod';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, type FieldDetail } from '@shared/domain/errors';
import { fieldDetails } from '@shared/domain/field-details';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { getCall, listCalls, listSeedUnits } from '@shared/domain/catalogue';
import { standingFrom } from '@shared/domain/obligations';
import { putUnitProfile, seedUnit, setStanding } from '@shared/adapters/dynamodb/unit-items';
import { listUnitObligations } from '@shared/adapters/dynamodb/obligation-items';

const UNIT_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

const standingSchema = z.strictObject({
  barred: z.boolean(),
  reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
});

/**
 * Staff record whether a unit met last year's targets and filed its summary report (notice, rule 4).
 * A lift (barred false) records the breaches the previous calls' reports show at that moment: it
 * covers those, and a later one bars the unit again (standing.ts). Lifting a computed bar needs a
 * reason, so that an answer of 200 means the unit may apply.
 */
export async function updateStanding(unitId: string, caller: Caller, body: unknown) {
  const staff = requireStaff(caller);
  const details: FieldDetail[] = [];
  if (!UNIT_ID.test(unitId))
    details.push({ path: 'unitId', code: 'INVALID_VALUE', message: 'A unit id is 2–64 of a–z, 0–9 and -' });
  const parsed = standingSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    details.push(...fieldDetails(parsed.error.issues, [], 'a standing'));
  } else if (parsed.data.barred && !parsed.data.reason) {
    details.push({ path: 'reason', code: 'REQUIRED', message: 'Say why the unit is barred' });
  }
  if (details.length > 0) throw new DomainError('VALIDATION_FAILED', 'Invalid standing', details);
  const standing = parsed.data as z.infer<typeof standingSchema>;
  const at = now();
  if (standing.barred) return setStanding(unitId, standing, staff.subject, toBeijingIso(at));
  const lifted = await previousCallBreaches(unitId, at);
  if (lifted.length > 0 && !standing.reason) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid standing', [
      {
        path: 'reason',
        code: 'REQUIRED',
        message: `Say why the bar is lifted: ${lifted.map((b) => b.reason.en).join('; ')}`,
      },
    ]);
  }
  return setStanding(unitId, { ...standing, lifted }, staff.subject, toBeijingIso(at));
}

/**
 * What bars the unit from the obligations of every call that is another call's previous one, each
 * call's under that call's own assumptions.
 */
async function previousCallBreaches(unitId: string, at: Date) {
  const previousCalls = new Set(listCalls().flatMap((call) => (call.previousCallId ? [call.previousCallId] : [])));
  const obligations = await listUnitObligations(unitId);
  return [...previousCalls].flatMap(
    (callId) =>
      standingFrom(
        obligations.filter((o) => o.callId === callId),
        at,
        getCall(callId)?.standingAssumptions,
      ).breaches,
  );
}

const unitSchema = z.strictObject({
  name: z.strictObject({
    zh: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    en: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  }),
  email: z.email().check(z.maxLength(254)),
});

/**
 * Staff register a member society (团体会员) or update its name and registered address: only
 * registered units may apply, and every email to a unit goes to this address.
 */
export async function registerUnit(unitId: string, caller: Caller, body: unknown) {
  requireStaff(caller);
  const details: FieldDetail[] = [];
  if (!UNIT_ID.test(unitId))
    details.push({ path: 'unitId', code: 'INVALID_VALUE', message: 'A unit id is 2–64 of a–z, 0–9 and -' });
  const parsed = unitSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) details.push(...fieldDetails(parsed.error.issues, [], 'a unit'));
  if (details.length > 0 || !parsed.success) throw new DomainError('VALIDATION_FAILED', 'Invalid unit', details);
  return putUnitProfile(unitId, parsed.data, toBeijingIso(now()));
}

/**
 * Puts the seeded units and their standing into the table on deploy (and at local start), leaving
 * any standing staff have changed since untouched.
 */
export async function seedUnits(): Promise<{ seeded: number }> {
  const units = listSeedUnits();
  for (const unit of units) {
    await seedUnit({
      unitId: unit.unitId,
      name: unit.name,
      email: unit.email,
      barred: unit.standing.barred,
      barredReason: unit.standing.reason,
    });
  }
  return { seeded: units.length };
}
