/**
 * The award ranking: within each project type, the scored applications ranked by score, ties
 * broken by the notice's 同等条件下优先 criteria for that type that the form can show (the call data
 * marks each `applied`; the others are left to staff, and said so), then, as the department's
 * assumptions (the notice names none), by the smaller spread of the experts' totals, then by the
 * earlier submission; the type's quota awarded from the top, each at
 * no more than it asked for (awardAmount). Every tie-break is recorded with its reason, in Chinese
 * and English.
 *
 * Pure and deterministic: the same candidates, in any order, give the same ranking. The keys
 * (score, spread, priority criteria met, submission instant) are computed once per candidate into
 * flat arrays (award-ranking-keys.ts), then one sort per type orders the indices (O(n log n), no
 * pairwise passes): 300,000 applications, nearly all tied with another on score, rank in about
 * 0.7 s (test/bench/ranking.ts).
 */
import type { Bilingual, Call, ProjectType } from './catalogue';
import { compareTied, decidingCriterion, keysOf, type Keys } from './award-ranking-keys';
import type { RankCandidate, RankedEntry, TieBreak, TypeRanking } from './award-ranking-types';
import { tieReason } from './award-tie-reasons';

// The ranking's whole vocabulary stays importable from here; the modules above hold its parts.
export type { RankCandidate, RankedEntry, TieBreak, TieBreakBy, TypeRanking } from './award-ranking-types';
export {
  FURTHER_TIE_BREAKS,
  prioritiesByRanking,
  prioritiesMetOn,
  priorityMet,
  RANKED_PRIORITIES,
} from './award-priorities';
export { instantMs } from './iso-instant';

/** Scores this close are equal (floating-point noise of means taken over different totals). */
export const SCORE_TIE_TOLERANCE = 1e-9;

/**
 * The product's reading of the notice, 二(一) 原则上按核定的项目预算进行开支: an award never exceeds
 * the budget the application asks for. A fixed type's amount (额度) is a ceiling a unit may ask
 * below, so it is awarded min(amount, request); a range type (type 4, 5–10万元) is awarded its
 * request, which the form keeps inside the range (kept inside here too, should a stored request
 * not be).
 */
export const AWARD_AMOUNT_RULE: Bilingual = {
  zh: '立项金额不超过申请预算：定额类型按“定额与申请额中的较小者”资助，区间类型按申请额资助（本系统对通知二(一)“原则上按核定的项目预算进行开支”的理解）。',
  en: "An award never exceeds the budget asked for: a fixed-amount type awards the smaller of its amount and the request, a range type the request (this product's reading of the notice, 2(1): spending follows the approved project budget in principle).",
};

/** The funding an awarded application receives (AWARD_AMOUNT_RULE). */
export function awardAmount(type: ProjectType, requestedCny: number): number {
  const f = type.funding;
  return f.kind === 'fixed'
    ? Math.min(f.amountCny, requestedCny)
    : Math.min(f.maxCny, Math.max(f.minCny, requestedCny));
}

/**
 * Ranks the candidates of one project type. Candidates with fewer than 3 expert totals are listed
 * in notScored. The rest are ranked by score (descending); a score within 1e-9 of the top score of
 * its group is tied with it, and a tie is broken by the number of the type's priority criteria met
 * (more first), then the smaller spread (compared to a millionth), then the earlier submission
 * (identical instants, never seen in practice, fall back to the application id). A tie-break is a
 * decision between two neighbours in the final order; each tied entry records the one with the
 * entry directly above it (the first of a tied group: with the entry directly below it, sharing
 * that decision's reason), its criterion and its reason. The quota goes to the top entries, each
 * funded by awardAmount: never more than it asked for.
 *
 * Throws a RangeError on input that is not data of this type: a candidate of another type, the
 * same application twice (as neighbours: the same record read twice), a total that is not a finite
 * number, a submission time that is not an ISO instant with an offset.
 */
export function rankType(type: ProjectType, candidates: RankCandidate[]): TypeRanking {
  const { keys, order, notScored } = keysOf(type, candidates);
  const groupEnd = sortRanked(keys, order);
  const entries = entriesOf(type, keys, order, groupEnd);
  const awarded = Math.min(type.quota, entries.length);
  return { typeId: type.typeId, quota: type.quota, awarded, unfilled: type.quota - awarded, entries, notScored };
}

/**
 * Orders the indices: one sort by exact score and the tie-break keys; then scores within the
 * tolerance of the top of their group (close, not equal, so not yet ordered by the tie-break) are
 * ordered again. Returns, for the first index of each group of tied scores, where the group ends.
 */
function sortRanked(keys: Keys, order: number[]): Int32Array {
  const score = keys.score;
  order.sort((a, b) => score[b] - score[a] || compareTied(keys, a, b));
  const n = order.length;
  const groupEnd = new Int32Array(n);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && score[order[i]] - score[order[j]] <= SCORE_TIE_TOLERANCE) j++;
    if (j - i > 1 && score[order[i]] !== score[order[j - 1]]) {
      const group = order.slice(i, j).sort((a, b) => compareTied(keys, a, b));
      for (let g = 0; g < group.length; g++) order[i + g] = group[g];
    }
    groupEnd[i] = j;
    i = j;
  }
  return groupEnd;
}

/** The ranked entries: ranks, the quota from the top, the funding, and each tied entry's tie-break. */
function entriesOf(type: ProjectType, keys: Keys, order: number[], groupEnd: Int32Array): RankedEntry[] {
  const n = order.length;
  const entries: RankedEntry[] = new Array(n);
  let start = 0;
  let end = 0;
  let first: TieBreak | undefined;
  for (let i = 0; i < n; i++) {
    if (i === end) {
      start = i;
      end = groupEnd[i];
    }
    let tieBreak: TieBreak | undefined;
    if (end - start > 1 && i === start + 1 && first !== undefined) {
      // the decision between the first two of a group is recorded by both, with one reason
      tieBreak = { with: [entries[start].applicationId], by: first.by, reason: first.reason };
    } else if (end - start > 1) {
      tieBreak = neighbourTieBreak(type, keys, order, i, start);
      if (i === start) first = tieBreak;
    }
    entries[i] = rankedEntry(type, keys, order[i], i, tieBreak);
  }
  return entries;
}

/** The tie-break of the tied entry at i with its neighbour: the one above, or for a group's first the one below. */
function neighbourTieBreak(type: ProjectType, keys: Keys, order: number[], i: number, start: number): TieBreak {
  const { candidates } = keys;
  const ci = order[i];
  const upper = i === start ? ci : order[i - 1];
  const lower = i === start ? order[i + 1] : ci;
  const by = decidingCriterion(keys, upper, lower);
  // the same record twice has the same keys throughout: neighbours only a submission tie-break separates
  if (by === 'submission' && candidates[upper].applicationId === candidates[lower].applicationId) {
    throw new RangeError(`rankType(${type.typeId}): ${candidates[ci].applicationId} appears twice`);
  }
  return {
    with: [candidates[i === start ? lower : upper].applicationId],
    by,
    reason: tieReason(keys, upper, lower, by),
  };
}

/** The entry of the candidate at index ci, ranked at position i (0-based). */
function rankedEntry(type: ProjectType, keys: Keys, ci: number, i: number, tieBreak?: TieBreak): RankedEntry {
  const c = keys.candidates[ci];
  const awarded = i < type.quota;
  const entry: RankedEntry = {
    applicationId: c.applicationId,
    unitId: c.unitId,
    title: c.title,
    rank: i + 1,
    score: keys.score[ci],
    spread: keys.spread[ci],
    awarded,
    requestedCny: c.requestedCny,
    amountCny: awarded ? awardAmount(type, c.requestedCny) : 0,
    priorityMet: keys.met[ci].ids,
  };
  if (tieBreak) entry.tieBreak = tieBreak;
  return entry;
}

/**
 * Ranks every project type of the call, in the call's order (a type without candidates has an
 * empty ranking and its whole quota unfilled). Throws a RangeError for a candidate whose type is
 * not in the call.
 */
export function rankCall(call: Call, candidates: RankCandidate[]): TypeRanking[] {
  const byType = new Map<string, RankCandidate[]>();
  for (const t of call.projectTypes) byType.set(t.typeId, []);
  for (const c of candidates) {
    const list = byType.get(c.projectTypeId);
    if (!list)
      throw new RangeError(
        `rankCall(${call.callId}): ${c.applicationId} is of type ${c.projectTypeId}, not in the call`,
      );
    list.push(c);
  }
  return call.projectTypes.map((t) => rankType(t, byType.get(t.typeId) ?? []));
}
