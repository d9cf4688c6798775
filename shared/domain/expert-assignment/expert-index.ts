/**
 * The pool as typed arrays, indexed by the expert's position `e` in the input: caps, loads, units
 * and discipline keys (in CSR form: `units[unitOffset[e] .. unitOffset[e + 1])`), and who is known
 * by which name. Typed arrays, not objects per expert: 100,000 experts are walked millions of times.
 */
import type { Expert } from '../experts';
import * as names from './names';
import type { AssignmentOptions } from './types';

// Read once, as in candidate-index.ts (an imported function is read through a getter at every call).
const { disciplineKeys, personKey } = names;

/** Loads and caps are clamped here so that (load + 1) * cap stays an exact integer in the heaps. */
const MAX_COUNT = 2 ** 20;

export interface ExpertIndex {
  m: number;
  /** expertId → e */
  index: Map<string, number>;
  /** each expert's place in expertId order: the tie-break everywhere */
  rank: Int32Array;
  cap: Int32Array;
  load: Int32Array;
  unitIds: Map<string, number>;
  disciplineIds: Map<string, number>;
  unitOffset: Int32Array;
  units: Int32Array;
  discOffset: Int32Array;
  discs: Int32Array;
  /** a person key (name or email) → the experts known by it */
  byPerson: Map<string, number[]>;
  /** an expertId key → the expert */
  byId: Map<string, number>;
  /** members per unit, and those with capacity left, for the reasons and the order */
  unitMembers: Int32Array;
  unitMembersFree: Int32Array;
  /** experts with capacity left, and the review places they have left in all */
  freeAtStart: number;
  capacityLeft: number;
}

/** Indexes the pool; throws a RangeError on a repeated expertId or a load that is not a count. */
export function indexExperts(experts: Expert[], options: AssignmentOptions): ExpertIndex {
  const m = experts.length;
  const index = indexById(experts);
  const rank = rankById(experts);
  const cap = new Int32Array(m);
  const load = new Int32Array(m);
  const byPerson = new Map<string, number[]>();
  const byId = new Map<string, number>();
  for (let e = 0; e < m; e++) {
    const expert = experts[e];
    cap[e] = Math.max(0, Math.min(expert.maxLoad | 0, MAX_COUNT));
    load[e] = Math.min(givenLoad(expert, options), MAX_COUNT);
    indexNames(expert, e, byPerson, byId);
  }
  const memberships = indexMemberships(experts);
  const { unitOffset, units, unitIds } = memberships;
  const counts = countFree(m, cap, load, unitOffset, units, unitIds.size);
  return { m, index, rank, cap, load, byPerson, byId, ...memberships, ...counts };
}

/** Each expert's units and discipline keys, as small integers, listed once each. */
function indexMemberships(experts: Expert[]) {
  const m = experts.length;
  const unitIds = new Map<string, number>();
  const disciplineIds = new Map<string, number>();
  const unitOffset = new Int32Array(m + 1);
  const unitList: number[] = [];
  const discOffset = new Int32Array(m + 1);
  const discList: number[] = [];
  for (let e = 0; e < m; e++) {
    const expert = experts[e];
    for (const u of new Set(expert.unitIds)) unitList.push(intern(unitIds, u));
    unitOffset[e + 1] = unitList.length;
    const keys = new Set<string>();
    for (const d of expert.disciplines) for (const key of disciplineKeys(d)) keys.add(key);
    for (const key of keys) discList.push(intern(disciplineIds, key));
    discOffset[e + 1] = discList.length;
  }
  return {
    unitIds,
    disciplineIds,
    unitOffset,
    units: Int32Array.from(unitList),
    discOffset,
    discs: Int32Array.from(discList),
  };
}

function indexById(experts: Expert[]): Map<string, number> {
  const index = new Map<string, number>();
  experts.forEach((expert, i) => {
    if (index.has(expert.expertId)) throw new RangeError(`assignExperts: expertId ${expert.expertId} appears twice`);
    index.set(expert.expertId, i);
  });
  return index;
}

function rankById(experts: Expert[]): Int32Array {
  const rank = new Int32Array(experts.length);
  [...experts.keys()]
    .sort((a, b) => (experts[a].expertId < experts[b].expertId ? -1 : 1))
    .forEach((e, r) => (rank[e] = r));
  return rank;
}

function givenLoad(expert: Expert, options: AssignmentOptions): number {
  const given = options.load?.get(expert.expertId) ?? 0;
  if (!Number.isSafeInteger(given) || given < 0)
    throw new RangeError(
      `assignExperts: the load of ${expert.expertId} must be a non-negative integer (given ${given})`,
    );
  return given;
}

function indexNames(expert: Expert, e: number, byPerson: Map<string, number[]>, byId: Map<string, number>): void {
  const name = personKey(expert.name);
  const email = personKey(expert.email);
  if (name) pushTo(byPerson, name, e);
  if (email && email !== name) pushTo(byPerson, email, e);
  byId.set(personKey(expert.expertId), e);
}

function countFree(
  m: number,
  cap: Int32Array,
  load: Int32Array,
  unitOffset: Int32Array,
  units: Int32Array,
  unitCount: number,
) {
  const unitMembers = new Int32Array(unitCount);
  const unitMembersFree = new Int32Array(unitCount);
  let freeAtStart = 0;
  let capacityLeft = 0;
  for (let e = 0; e < m; e++) {
    const free = load[e] < cap[e];
    if (free) {
      freeAtStart++;
      capacityLeft += cap[e] - load[e];
    }
    for (let i = unitOffset[e]; i < unitOffset[e + 1]; i++) {
      unitMembers[units[i]]++;
      if (free) unitMembersFree[units[i]]++;
    }
  }
  return { unitMembers, unitMembersFree, freeAtStart, capacityLeft };
}

function intern(map: Map<string, number>, key: string): number {
  let id = map.get(key);
  if (id === undefined) {
    id = map.size;
    map.set(key, id);
  }
  return id;
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
