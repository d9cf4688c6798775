import { getCall, listCalls } from '@shared/domain/catalogue';
import { now } from '@shared/domain/clock';
import { notFound } from '@shared/domain/errors';
import { requireStaff, type Caller } from '@shared/domain/identity';
import { parsePageQuery } from '@shared/domain/page-query';
import { callStanding } from '@shared/domain/standing';
import { listUnitObligations } from '@shared/adapters/dynamodb/obligation-items';
import { getUnit, listUnitPage, type UnitProfile } from '@shared/adapters/dynamodb/unit-items';

/** Staff's reading of the member units: the list, and one unit with its standing and why. */

const UNIT_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;
const MAX_PAGE = 200;

/** `GET /units` (staff): every member unit's profile, by id, a page at a time (`?limit=&after=`). */
export async function listUnits(caller: Caller, query: Record<string, string>) {
  requireStaff(caller);
  const { limit, after } = parsePageQuery(query, { max: MAX_PAGE, defaultLimit: 100, id: UNIT_ID, idIs: 'a unit id' });
  return listUnitPage(limit, after);
}

/**
 * `GET /units/{unitId}` (staff): the profile as `PUT /units/{unitId}` answers it, its standing log,
 * and its standing now: a bar staff set (which bars every call), and for each call that follows
 * another, what the previous call's reports compute and what a lift still covers, as a submission
 * would find it (submission.ts).
 */
export async function readUnit(unitId: string, caller: Caller) {
  requireStaff(caller);
  const profile = UNIT_ID.test(unitId) ? await getUnit(unitId) : undefined;
  if (!profile) throw notFound(`Unit ${unitId}`);
  const calls = await standingByCall(profile, now());
  return {
    ...profile,
    standingLog: profile.standingLog ?? [],
    standing: {
      barred: profile.barred || calls.some((c) => c.barred),
      staffBar: profile.barred
        ? { reason: profile.barredReason, by: profile.standingUpdatedBy, at: profile.standingUpdatedAt }
        : undefined,
      calls,
    },
  };
}

async function standingByCall(profile: UnitProfile, at: Date) {
  const obligations = await listUnitObligations(profile.unitId);
  return listCalls().flatMap((call) =>
    call.previousCallId
      ? [
          callStanding(
            { callId: call.callId, previousCallId: call.previousCallId },
            obligations.filter((o) => o.callId === call.previousCallId),
            at,
            profile.standingLog?.at(-1),
            getCall(call.previousCallId)?.standingAssumptions,
          ),
        ]
      : [],
  );
}
