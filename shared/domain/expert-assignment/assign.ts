/**
 * Conflict-free, capped assignment of expert reviewers to applications (issue 8).
 *
 * Rules that are never broken:
 *   - no conflict (`conflictOf`): an expert never reviews an application of a unit they belong to,
 *     one that names them, or one whose unit asked to avoid them;
 *   - no expert above its `maxLoad`, counting the load it already carries (`options.load`);
 *   - no expert twice on one application;
 *   - every application gets exactly `perApplication` experts (already-assigned ones count).
 * Preferences: the application's discipline where possible, then the least-loaded expert relative
 * to its cap ((load + 1) / maxLoad), ties broken by expertId. Same input, same output.
 *
 * When the pool cannot serve every application, nothing is assigned and every application that
 * cannot be served is listed with the reason.
 *
 * How it scales (300,000 applications × 5 from 100,000 experts): experts are indexed by
 * discipline in binary heaps ordered by relative load, plus one heap over the whole pool. Each
 * application pops the few best experts of its discipline(s), checks its (sparse) conflicts only
 * for those, and falls back to the pool's least-loaded experts. Applications are served most
 * constrained first (most conflicted experts). If one is still short, augmenting paths
 * (an expert moves from another application that can take someone else) fill it whenever that is
 * possible at all, so "infeasible" is only ever answered when no assignment exists.
 */
import type { Expert } from '../experts';
import { buildState, type AssignmentState } from './assignment-state';
import { Augmenter } from './augmenter';
import { indexCandidates } from './candidate-index';
import { fillGreedily, mostConstrainedFirst } from './greedy';
import { indexExperts } from './expert-index';
import type { AssignmentOptions, AssignmentResult, ReviewCandidate } from './types';

/**
 * Assigns `options.perApplication` experts to every candidate, or answers which candidates cannot
 * be served and why (then nothing is assigned). `assignments` lists, per applicationId in the
 * candidates' order, the kept experts first, then the new ones. Inputs are not modified.
 * Throws a RangeError on malformed input (perApplication not a positive integer, a repeated
 * expertId or applicationId, a load that is not a non-negative integer).
 */
export function assignExperts(
  candidates: ReviewCandidate[],
  experts: Expert[],
  options: AssignmentOptions,
): AssignmentResult {
  const k = options.perApplication;
  if (!Number.isSafeInteger(k) || k < 1)
    throw new RangeError(`assignExperts: perApplication must be a positive integer (given ${k})`);
  const pool = indexExperts(experts, options);
  const state = buildState(pool, indexCandidates(pool, candidates, experts, k));
  const order = mostConstrainedFirst(state, candidates);
  fillGreedily(state, order);
  repairShortPanels(state, order);
  if (state.unserved.size > 0) {
    return {
      ok: false,
      unserved: [...state.unserved.entries()]
        .sort(([a], [b]) => a - b)
        .map(([c, reason]) => ({ applicationId: candidates[c].applicationId, reason })),
    };
  }
  return answer(state, candidates, experts);
}

/**
 * The candidates the greedy pass left short: filled by augmenting paths when the pool has the
 * places at all, and each one still short is given the reason.
 */
function repairShortPanels(s: AssignmentState, order: number[]): void {
  const { k, filled, kept } = s;
  const short = order.filter((c) => filled[c] < k);
  if (short.length === 0) return;
  const missing = short.reduce((sum, c) => sum + k - filled[c], 0);
  let left = 0;
  for (let e = 0; e < s.m; e++) if (s.load[e] < s.cap[e]) left += s.cap[e] - s.load[e];
  if (left < missing) {
    const needed = order.reduce((sum, c) => sum + k - kept[c], 0);
    for (const c of short) {
      s.unserved.set(
        c,
        `the pool has ${s.capacityLeft} review places left but the applications need ${needed}: ` +
          `only ${filled[c] - kept[c]} of the ${k - kept[c]} places still open for this application could be filled`,
      );
    }
    return;
  }
  new Augmenter(s).fill(short);
  for (const c of short) {
    if (filled[c] < k) {
      s.unserved.set(
        c,
        `only ${filled[c] - kept[c]} of its ${k - kept[c]} places could be filled: the eligible experts' capacity is needed by other applications that cannot use anyone else`,
      );
    }
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Every panel, by applicationId in the candidates' order, and the summary of the assignment. */
function answer(s: AssignmentState, candidates: ReviewCandidate[], experts: Expert[]): AssignmentResult {
  const assignments = new Map<string, string[]>();
  const used = new Uint8Array(s.m);
  let places = 0;
  let matched = 0;
  for (let c = 0; c < s.n; c++) {
    const ids: string[] = [];
    for (let i = c * s.k, end = i + s.filled[c]; i < end; i++) {
      const e = s.slots[i];
      ids.push(experts[e].expertId);
      used[e] = 1;
      places++;
      if (inDiscipline(s, e, c)) matched++;
    }
    assignments.set(candidates[c].applicationId, ids);
  }
  return {
    ok: true,
    assignments,
    summary: {
      applications: s.n,
      ...loadOfUsed(s, used),
      disciplineMatchRate: places ? round(matched / places, 4) : 1,
    },
  };
}

function inDiscipline(s: AssignmentState, e: number, c: number): boolean {
  const a = s.candDiscA[c];
  const b = s.candDiscB[c];
  for (let i = s.discOffset[e]; i < s.discOffset[e + 1]; i++) if (s.discs[i] === a || s.discs[i] === b) return true;
  return false;
}

function loadOfUsed(s: AssignmentState, used: Uint8Array) {
  let expertsUsed = 0;
  let min = Infinity;
  let max = 0;
  let total = 0;
  for (let e = 0; e < s.m; e++) {
    if (!used[e]) continue;
    expertsUsed++;
    min = Math.min(min, s.load[e]);
    max = Math.max(max, s.load[e]);
    total += s.load[e];
  }
  return {
    expertsUsed,
    load: { min: expertsUsed ? min : 0, max, mean: expertsUsed ? round(total / expertsUsed, 2) : 0 },
  };
}
