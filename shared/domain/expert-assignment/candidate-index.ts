/**
 * The candidates as typed arrays, indexed by their position `c` in the input: unit, discipline
 * keys, the experts their names point at (their sparse conflicts, besides the unit's members),
 * the panel slots with the kept experts first, and the candidates that cannot be served at all.
 */
import type { Expert } from '../experts';
import { conflictOf } from './conflicts';
import type { ExpertIndex } from './expert-index';
import * as names from './names';
import type { ReviewCandidate } from './types';

// Read once: under the per-file CommonJS the bench and tsx run, an imported function is read through
// a getter of the exports object at every call, and these run for every name of every candidate.
const { disciplineKeys, personKey } = names;

export interface CandidateIndex {
  n: number;
  /** experts per application */
  k: number;
  /** the applying unit, or -1 when no expert belongs to it */
  candUnit: Int32Array;
  /** the discipline keys (the field, and its base), or -1 when no expert has them */
  candDiscA: Int32Array;
  candDiscB: Int32Array;
  /** the experts named by or to be avoided by c: `conflicts[conflictOffset[c] .. conflictOffset[c + 1])` */
  conflictOffset: Int32Array;
  conflicts: Int32Array;
  /** c's panel: `slots[c * k .. c * k + filled[c])`, of which the first kept[c] were given */
  slots: Int32Array;
  filled: Int32Array;
  kept: Int32Array;
  /** how many experts are in conflict with c: the most constrained are served first */
  conflicted: Int32Array;
  /** the candidates that cannot be served, with the reason */
  unserved: Map<number, string>;
}

// Defined here, beside their only callers, and not imported, for the same reason.
const hasCapacity = (x: ExpertIndex, e: number): boolean => x.load[e] < x.cap[e];

function inUnit(x: ExpertIndex, e: number, u: number): boolean {
  const { units, unitOffset } = x;
  for (let i = unitOffset[e], end = unitOffset[e + 1]; i < end; i++) if (units[i] === u) return true;
  return false;
}

/** Indexes the candidates; throws a RangeError on a repeated applicationId. */
export function indexCandidates(
  x: ExpertIndex,
  candidates: ReviewCandidate[],
  experts: Expert[],
  k: number,
): CandidateIndex {
  const scan = new CandidateScan(x, candidates.length, k);
  const seenApplications = new Set<string>();
  candidates.forEach((candidate, c) => {
    if (seenApplications.has(candidate.applicationId))
      throw new RangeError(`assignExperts: applicationId ${candidate.applicationId} appears twice`);
    seenApplications.add(candidate.applicationId);
    scan.read(candidate, c, experts);
  });
  return scan.index();
}

class CandidateScan {
  private readonly candUnit: Int32Array;
  private readonly candDiscA: Int32Array;
  private readonly candDiscB: Int32Array;
  private readonly conflictOffset: Int32Array;
  private readonly conflictList: number[] = [];
  private readonly slots: Int32Array;
  private readonly filled: Int32Array;
  private readonly kept: Int32Array;
  private readonly conflicted: Int32Array;
  private readonly unserved = new Map<number, string>();
  /** stamp[e] === c: e is already among c's conflicts (listed once, however often named) */
  private readonly stamp: Int32Array;

  constructor(
    private readonly x: ExpertIndex,
    private readonly n: number,
    private readonly k: number,
  ) {
    this.candUnit = new Int32Array(n);
    this.candDiscA = new Int32Array(n).fill(-1);
    this.candDiscB = new Int32Array(n).fill(-1);
    this.conflictOffset = new Int32Array(n + 1);
    this.slots = new Int32Array(n * k).fill(-1);
    this.filled = new Int32Array(n);
    this.kept = new Int32Array(n);
    this.conflicted = new Int32Array(n);
    this.stamp = new Int32Array(x.m).fill(-1);
  }

  read(candidate: ReviewCandidate, c: number, experts: Expert[]): void {
    const { x, conflictList } = this;
    const u = x.unitIds.get(candidate.unitId) ?? -1;
    this.candUnit[c] = u;
    const keys = disciplineKeys(candidate.discipline);
    if (keys[0] !== undefined) this.candDiscA[c] = x.disciplineIds.get(keys[0]) ?? -1;
    if (keys[1] !== undefined) this.candDiscB[c] = x.disciplineIds.get(keys[1]) ?? -1;
    const start = conflictList.length;
    this.listNamed(candidate.namedPeople, c, u, false);
    this.listNamed(candidate.expertsToAvoid, c, u, true);
    this.conflictOffset[c + 1] = conflictList.length;
    this.conflicted[c] = (u >= 0 ? x.unitMembers[u] : 0) + conflictList.length - start;
    const problems = this.keepAssigned(candidate, c, u, experts);
    if (problems.length > 0) this.unserved.set(c, problems.join('; '));
    else {
      const reason = this.shortOfExperts(candidate, c, u, start);
      if (reason) this.unserved.set(c, reason);
    }
  }

  index(): CandidateIndex {
    const { n, k, candUnit, candDiscA, candDiscB, conflictOffset, slots, filled, kept, conflicted, unserved } = this;
    const conflicts = Int32Array.from(this.conflictList);
    return {
      n,
      k,
      candUnit,
      candDiscA,
      candDiscB,
      conflictOffset,
      conflicts,
      slots,
      filled,
      kept,
      conflicted,
      unserved,
    };
  }

  /** Lists the experts the people point at (members of the unit are in conflict already). */
  private listNamed(people: string[], c: number, u: number, withIds: boolean): void {
    const { x, stamp } = this;
    for (const person of people) {
      const key = personKey(person);
      if (!key) continue;
      const found = x.byPerson.get(key) ?? [];
      const byExpertId = withIds ? x.byId.get(key) : undefined;
      for (const e of byExpertId === undefined ? found : [...found, byExpertId]) {
        if (stamp[e] === c || inUnit(x, e, u)) continue;
        stamp[e] = c;
        this.conflictList.push(e);
      }
    }
  }

  /** Puts the kept experts in c's first slots; answers why they cannot be kept (none: they are). */
  private keepAssigned(candidate: ReviewCandidate, c: number, u: number, experts: Expert[]): string[] {
    const { x, k, slots, filled } = this;
    const keptIds = [...new Set(candidate.assigned ?? [])];
    const problems: string[] = [];
    if (keptIds.length > k) problems.push(`it already has ${keptIds.length} experts, more than ${k}`);
    for (const id of keptIds) {
      const e = x.index.get(id);
      if (e === undefined) problems.push(`its assigned expert ${id} is not in the pool`);
      else {
        // Only an expert the indexes put in conflict is asked why (the full test is costly).
        const why = inUnit(x, e, u) || this.stamp[e] === c ? conflictOf(experts[e], candidate) : undefined;
        if (why) problems.push(`its assigned expert ${id} has a conflict: ${why}`);
        else if (filled[c] < k) slots[c * k + filled[c]++] = e;
      }
    }
    this.kept[c] = filled[c];
    return problems;
  }

  /** Why the pool cannot fill c's open places even if nobody else needed it, counted from the indexes. */
  private shortOfExperts(candidate: ReviewCandidate, c: number, u: number, start: number): string | undefined {
    const { x, k, kept, conflictList } = this;
    const need = k - kept[c];
    if (need === 0) return undefined;
    let namedFree = 0;
    for (let i = start; i < conflictList.length; i++) if (hasCapacity(x, conflictList[i])) namedFree++;
    let keptFree = 0;
    for (let s = 0; s < kept[c]; s++) if (hasCapacity(x, this.slots[c * k + s])) keptFree++;
    const eligible = x.m - this.conflicted[c] - kept[c];
    const eligibleFree = x.freeAtStart - (u >= 0 ? x.unitMembersFree[u] : 0) - namedFree - keptFree;
    if (eligible < need) {
      const members = u >= 0 ? x.unitMembers[u] : 0;
      return (
        `only ${eligible} experts in the pool are free of conflict for ${need} places (${members} belong to ${candidate.unitId}, ` +
        `${conflictList.length - start} are named in the application or to be avoided${kept[c] > 0 ? `, ${kept[c]} are already assigned` : ''})`
      );
    }
    if (eligibleFree < need) return `only ${eligibleFree} eligible experts with capacity left for ${need} places`;
    return undefined;
  }
}
