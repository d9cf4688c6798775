/**
 * A unit's standing once staff have had their say (PUT /units/{unitId}/standing). Staff may bar a
 * unit themselves, or lift a bar the previous call's reports compute (obligations.ts,
 * `standingFrom`) with a reason. A lift covers the breaches that barred the unit when it was
 * given, recorded with it, and nothing else: the unit may still owe reports then (a forum awarded
 * in 2024 owes some due in October and November, after the 2025 call's window opens), and one of
 * them missed or failed later bars the unit again, until staff lift that too. Pure.
 */
import type { Bilingual } from './catalogue';
import {
  standingFrom,
  type ObligationRecord,
  type StandingAssumptions,
  type StandingBreach,
  type StandingRule,
  type StandingVerdict,
} from './obligations';

/** One entry of a unit's `standingLog`: what staff set, who and when, and for a lift what it covered. */
export interface StandingLogEntry {
  barred: boolean;
  reason?: string;
  by: string;
  at: string;
  /** a lift: the breaches barring the unit at that moment (absent on lifts logged before lifts recorded them) */
  lifted?: StandingBreach[];
}

const breachKey = (b: Pick<StandingBreach, 'applicationId' | 'obligationId' | 'rule'>) =>
  `${b.applicationId}/${b.obligationId}/${b.rule}`;

/**
 * The rules a lift's recorded rule covers. Lifts logged before the notice's reasons were told apart
 * from the department's recorded `summary-late` for a summary late or missing, and
 * `summary-not-accepted` for one returned: what they lifted stays lifted.
 */
const COVERS: Partial<Record<StandingRule, StandingRule[]>> = {
  'summary-late': ['summary-late', 'summary-missing'],
  'summary-not-accepted': ['summary-not-accepted', 'summary-returned'],
};
const coveredKeys = (b: StandingBreach) => (COVERS[b.rule] ?? [b.rule]).map((rule) => breachKey({ ...b, rule }));

/**
 * The verdict left once staff's last word is taken into account: the breaches a lift did not
 * cover. Only a lift with a reason that is still the last word covers anything; a bar set after
 * it lets the computed breaches stand again.
 */
export function standingAfterLift(
  verdict: StandingVerdict,
  previous: readonly ObligationRecord[],
  lastWord: StandingLogEntry | undefined,
  assumptions: StandingAssumptions = {},
): StandingVerdict {
  if (!verdict.barred || !lastWord || lastWord.barred || !lastWord.reason) return verdict;
  // A lift logged before lifts recorded their breaches: those its moment shows, from the reports as they are now.
  const covered = new Set(
    (lastWord.lifted ?? standingFrom(previous, new Date(lastWord.at), assumptions).breaches).flatMap(coveredKeys),
  );
  const breaches = verdict.breaches.filter((b) => !covered.has(breachKey(b)));
  return { barred: breaches.length > 0, reasons: breaches.map((b) => b.reason), breaches };
}

/** A unit's standing for one call, as staff read it: what the previous call's reports compute, after staff's last word. */
export interface CallStanding {
  callId: string;
  previousCallId: string;
  /** barred from this call by what the reports compute (a bar staff set bars every call besides) */
  barred: boolean;
  reasons: Bilingual[];
  breaches: StandingBreach[];
  /** breaches the reports show that staff's last lift covers */
  lifted: StandingBreach[];
}

/**
 * The standing for `callId` from the unit's obligations in `previousCallId`, as a submission would
 * find it at `at`: the computed breaches, and those a lift still covers set apart, so staff see why
 * the unit is barred or why it is not despite them.
 */
export function callStanding(
  call: { callId: string; previousCallId: string },
  previous: readonly ObligationRecord[],
  at: Date,
  lastWord: StandingLogEntry | undefined,
  assumptions: StandingAssumptions = {},
): CallStanding {
  const computed = standingFrom(previous, at, assumptions);
  const verdict = standingAfterLift(computed, previous, lastWord, assumptions);
  const standing = new Set(verdict.breaches.map(breachKey));
  return {
    ...call,
    barred: verdict.barred,
    reasons: verdict.reasons,
    breaches: verdict.breaches,
    lifted: computed.breaches.filter((b) => !standing.has(breachKey(b))),
  };
}
