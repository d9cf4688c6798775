import type { Bilingual, ProjectType } from './catalogue';
import { priorityCheck, PRIORITY_CHECKS, type PriorityCheck } from './award-priorities';
import type { RankCandidate, TieBreakBy, TypeRanking } from './award-ranking-types';
import { instantMs } from './iso-instant';
import { MIN_EXPERT_SCORES, scoreInto } from './scoring';

/** A type may name at most this many priority criteria (they are kept as the bits of one integer). */
const MAX_PRIORITIES = 30;
/** Spreads are compared at this resolution (a whole number of millionths), so the order is a total order. */
const SPREAD_RESOLUTION = 1e6;

/** One combination of the type's priority criteria met, built once per type and combination. */
export interface MetSet {
  /** shared by the entries meeting this combination, frozen */
  ids: string[];
  count: number;
  zh: string;
  en: string;
  /** the text comparing this combination (the upper application's) with another (the lower's) */
  versus: Map<MetSet, Bilingual>;
}

/**
 * The ranking keys of a type's candidates, in flat arrays (index = position in the candidates
 * array): one pass computes them, one sort over indices orders them.
 */
export interface Keys {
  candidates: RankCandidate[];
  score: Float64Array;
  spread: Float64Array;
  /** the spread in whole millionths, so that spreads compare as a total order */
  spreadKey: Float64Array;
  submittedMs: Float64Array;
  metCount: Int32Array;
  met: MetSet[];
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order among tied scores: more priorities met, smaller spread, earlier submission, then the application id. */
export function compareTied(k: Keys, a: number, b: number): number {
  return (
    k.metCount[b] - k.metCount[a] ||
    k.spreadKey[a] - k.spreadKey[b] ||
    k.submittedMs[a] - k.submittedMs[b] ||
    compareIds(k.candidates[a].applicationId, k.candidates[b].applicationId)
  );
}

/** The criterion that orders two tied applications, the upper one first. */
export function decidingCriterion(k: Keys, upper: number, lower: number): TieBreakBy {
  if (k.metCount[upper] !== k.metCount[lower]) return 'priority';
  if (k.spreadKey[upper] !== k.spreadKey[lower]) return 'spread';
  return 'submission';
}

/** The keys of every scored candidate, the indices of the scored ones, and those not scored (by application id). */
export function keysOf(
  type: ProjectType,
  candidates: RankCandidate[],
): { keys: Keys; order: number[]; notScored: TypeRanking['notScored'] } {
  const checks = countedChecks(type);
  const metSets: MetSet[] = [];
  const keys = emptyKeys(candidates);
  const order: number[] = [];
  const notScored: TypeRanking['notScored'] = [];
  const out = { score: 0, spread: 0 };
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c.projectTypeId !== type.typeId)
      throw new RangeError(`rankType(${type.typeId}): ${c.applicationId} is of type ${c.projectTypeId}`);
    if (scoreInto(c.totals, out) === 0) {
      notScored.push({
        applicationId: c.applicationId,
        reason: `${c.totals.length} expert score(s); at least ${MIN_EXPERT_SCORES} are needed`,
      });
      continue;
    }
    const submittedMs = submittedMsOf(type, c);
    const mask = metMask(type, checks, c);
    const set = metSets[mask] ?? (metSets[mask] = metSetOf(type, mask));
    keys.score[i] = out.score;
    keys.spread[i] = out.spread;
    keys.spreadKey[i] = Math.round(out.spread * SPREAD_RESOLUTION);
    keys.submittedMs[i] = submittedMs;
    keys.metCount[i] = set.count;
    keys.met[i] = set;
    order.push(i);
  }
  notScored.sort((a, b) => compareIds(a.applicationId, b.applicationId));
  return { keys, order, notScored };
}

/**
 * The check of each of the type's priorities, undefined for one not counted: a priority the call
 * data marks not applied is never counted, even where the code could check it.
 */
function countedChecks(type: ProjectType): (PriorityCheck | undefined)[] {
  const checks = type.priorities.map((p) => (p.applied ? priorityCheck(p.id) : undefined));
  if (checks.length > MAX_PRIORITIES)
    throw new RangeError(`rankType(${type.typeId}): more than ${MAX_PRIORITIES} priority criteria`);
  return checks;
}

function emptyKeys(candidates: RankCandidate[]): Keys {
  const n = candidates.length;
  return {
    candidates,
    score: new Float64Array(n),
    spread: new Float64Array(n),
    spreadKey: new Float64Array(n),
    submittedMs: new Float64Array(n),
    metCount: new Int32Array(n),
    met: new Array<MetSet>(n),
  };
}

function submittedMsOf(type: ProjectType, c: RankCandidate): number {
  const submittedMs = instantMs(c.submittedAt);
  if (Number.isNaN(submittedMs)) {
    throw new RangeError(
      `rankType(${type.typeId}): ${c.applicationId} has a submittedAt that is not an ISO instant with an offset`,
    );
  }
  return submittedMs;
}

/**
 * The counted priorities the candidate meets, as bits by the type's priority order: read from what
 * was kept when it was scored, or else from its form.
 */
function metMask(type: ProjectType, checks: (PriorityCheck | undefined)[], c: RankCandidate): number {
  let mask = 0;
  for (let p = 0; p < checks.length; p++) {
    const check = checks[p];
    const met = c.prioritiesMet
      ? c.prioritiesMet.includes(type.priorities[p].id)
      : c.form !== undefined && check?.met(c.form);
    if (check !== undefined && met) mask |= 1 << p;
  }
  return mask;
}

function metSetOf(type: ProjectType, mask: number): MetSet {
  const met = type.priorities.filter((_, i) => (mask & (1 << i)) !== 0);
  return {
    ids: Object.freeze(met.map((p) => p.id)) as string[],
    count: met.length,
    zh: met.length ? `（${met.map((p) => PRIORITY_CHECKS[p.id].zh).join('、')}）` : '',
    en: met.length ? ` (${met.map((p) => p.id).join(', ')})` : '',
    versus: new Map(),
  };
}
