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
import type { ApplicationForm } from './application-form';
import type { Expert } from './experts';

export interface ReviewCandidate {
  applicationId: string;
  unitId: string;
  discipline: string;
  /** people the application names: lead, contact, speakers, main-forum experts */
  namedPeople: string[];
  /** the unit asked to avoid these (names, at most 3) */
  expertsToAvoid: string[];
  /** experts already assigned (kept) */
  assigned?: string[];
}

export interface AssignmentOptions {
  perApplication: number;
  /** the load each expert already carries, by expertId (including any `assigned` experts); absent = 0 */
  load?: Map<string, number>;
}

export interface AssignmentSummary {
  applications: number;
  /** distinct experts on at least one application */
  expertsUsed: number;
  /** over the experts used: their load after this assignment, counting `options.load` */
  load: { min: number; max: number; mean: number };
  /** the share of review places whose expert works in the application's discipline (1 when there are none) */
  disciplineMatchRate: number;
}

export interface UnservedApplication {
  applicationId: string;
  reason: string;
}

export type AssignmentResult =
  | { ok: true; assignments: Map<string, string[]>; summary: AssignmentSummary }
  | { ok: false; unserved: UnservedApplication[] };

// ---------------------------------------------------------------------------------------------
// Names and disciplines

/** Printable ASCII and CJK unified ideographs: text that NFKC leaves as it is. */
const NFKC_STABLE_RE = /^[ -~\u4e00-\u9fff]*$/;

/** A person's name, an email or an id as compared: NFKC, no whitespace at all, lower case. */
export function personKey(value: string): string {
  // ASCII and CJK unified ideographs are unchanged by NFKC: skip it (the common case, and costly).
  const normalized = NFKC_STABLE_RE.test(value) ? value : value.normalize('NFKC');
  return normalized.replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '').toLowerCase();
}

/**
 * The keys a discipline is matched by: the field itself, and its base without a bracketed
 * qualifier ("物理学（量子科技）" is matched by experts of 物理学 and of 物理学（量子科技）).
 */
export function disciplineKeys(field: string): string[] {
  const full = personKey(field);
  if (!full) return [];
  const base = full.replace(/\([^()]*\)$/, '');
  return base && base !== full ? [full, base] : [full];
}

/** Whether the expert works in the candidate's discipline. */
export function disciplineMatches(expert: Expert, discipline: string): boolean {
  const wanted = new Set(disciplineKeys(discipline));
  return expert.disciplines.some((d) => disciplineKeys(d).some((k) => wanted.has(k)));
}

function addName(into: string[], value: unknown): void {
  if (typeof value === 'string' && value.trim()) into.push(value.trim());
}

function namesOf(list: unknown): string[] {
  const names: string[] = [];
  if (Array.isArray(list))
    for (const item of list)
      if (item !== null && typeof item === 'object') addName(names, (item as { name?: unknown }).name);
  return names;
}

/**
 * The review candidate of a stored application: its unit, discipline, the people it names (the
 * lead's and the contact's names and emails, the speakers and the main-forum experts), and the
 * experts its unit asked to avoid.
 */
export function candidateFromForm(
  applicationId: string,
  unitId: string,
  form: ApplicationForm & { expertsToAvoid?: string[] },
): ReviewCandidate {
  const named: string[] = [];
  addName(named, form.lead?.name);
  addName(named, form.contact?.name);
  addName(named, form.lead?.email);
  addName(named, form.contact?.email);
  const details = (form.details ?? {}) as Record<string, unknown>;
  named.push(...namesOf(details.speakers), ...namesOf(details.mainForumExperts));
  const seen = new Set<string>();
  const namedPeople = named.filter((name) => {
    const key = personKey(name);
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const expertsToAvoid: string[] = [];
  for (const name of form.expertsToAvoid ?? []) addName(expertsToAvoid, name);
  return { applicationId, unitId, discipline: form.discipline?.field ?? '', namedPeople, expertsToAvoid };
}

// ---------------------------------------------------------------------------------------------
// Conflicts

/** A reusable conflict test for one candidate (its names normalised once). */
function conflictTest(candidate: ReviewCandidate): (expert: Expert) => string | undefined {
  const named = new Map<string, string>();
  for (const person of candidate.namedPeople) {
    const key = personKey(person);
    if (key && !named.has(key)) named.set(key, person.trim());
  }
  const avoid = new Map<string, string>();
  for (const person of candidate.expertsToAvoid) {
    const key = personKey(person);
    if (key && !avoid.has(key)) avoid.set(key, person.trim());
  }
  return (expert) => {
    if (expert.unitIds.includes(candidate.unitId)) return `member of the applying unit ${candidate.unitId}`;
    const name = personKey(expert.name);
    const email = personKey(expert.email);
    const asNamed = named.get(name) ?? named.get(email);
    if (asNamed !== undefined) return `named in the application (${asNamed})`;
    const asAvoided = avoid.get(name) ?? avoid.get(email) ?? avoid.get(personKey(expert.expertId));
    if (asAvoided !== undefined) return `the applying unit asked to avoid them (${asAvoided})`;
    return undefined;
  };
}

/**
 * Why `expert` may not review `candidate`, or undefined: a member of the applying unit, a person
 * the application names (by name, or by email), or one the unit asked to avoid (by name, email or
 * expertId). Names are compared trimmed and whitespace-insensitive.
 */
export function conflictOf(expert: Expert, candidate: ReviewCandidate): string | undefined {
  return conflictTest(candidate)(expert);
}

/**
 * The next-best eligible expert for one application, when an assigned one declines or declares a
 * conflict: no conflict, not in `exclude` nor already assigned to it, below its cap under `load`;
 * the discipline preferred, then the least relative load, then the smallest expertId.
 */
export function nextExpert(
  candidate: ReviewCandidate,
  experts: Expert[],
  load: Map<string, number>,
  exclude: Set<string>,
): Expert | undefined {
  const conflict = conflictTest(candidate);
  const assigned = new Set(candidate.assigned ?? []);
  const wanted = new Set(disciplineKeys(candidate.discipline));
  let best: Expert | undefined;
  let bestMatch = false;
  let bestLoad = 0;
  for (const expert of experts) {
    if (exclude.has(expert.expertId) || assigned.has(expert.expertId)) continue;
    const current = load.get(expert.expertId) ?? 0;
    if (current >= expert.maxLoad || conflict(expert) !== undefined) continue;
    const match = expert.disciplines.some((d) => disciplineKeys(d).some((k) => wanted.has(k)));
    if (best) {
      if (match !== bestMatch) {
        if (!match) continue;
      } else {
        const x = (current + 1) * best.maxLoad;
        const y = (bestLoad + 1) * expert.maxLoad;
        if (x > y || (x === y && expert.expertId >= best.expertId)) continue;
      }
    }
    best = expert;
    bestMatch = match;
    bestLoad = current;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// The pool, as typed arrays

/**
 * A binary min-heap of experts (local indices into `members`), ordered by (load + 1) / cap, then
 * by expertId rank; `pos` finds an expert in the heap, so a load change re-sorts it in O(log n).
 */
class ExpertHeap {
  readonly heap: Int32Array;
  readonly pos: Int32Array;
  size = 0;

  constructor(
    readonly members: Int32Array,
    private readonly load: Int32Array,
    private readonly cap: Int32Array,
    private readonly rank: Int32Array,
  ) {
    this.heap = new Int32Array(members.length);
    this.pos = new Int32Array(members.length).fill(-1);
  }

  /** Fills the heap with the members that still have capacity, in O(n). */
  build(): void {
    for (let local = 0; local < this.members.length; local++) {
      const e = this.members[local];
      if (this.load[e] < this.cap[e]) {
        this.heap[this.size] = local;
        this.pos[local] = this.size++;
      }
    }
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  before(la: number, lb: number): boolean {
    const a = this.members[la];
    const b = this.members[lb];
    const x = (this.load[a] + 1) * this.cap[b];
    const y = (this.load[b] + 1) * this.cap[a];
    return x < y || (x === y && this.rank[a] < this.rank[b]);
  }

  top(): number {
    return this.size > 0 ? this.heap[0] : -1;
  }

  push(local: number): void {
    this.heap[this.size] = local;
    this.pos[local] = this.size;
    this.siftUp(this.size++);
  }

  pop(): number {
    const local = this.heap[0];
    this.removeAt(0);
    return local;
  }

  remove(local: number): void {
    const at = this.pos[local];
    if (at >= 0) this.removeAt(at);
  }

  private removeAt(at: number): void {
    const removed = this.heap[at];
    this.pos[removed] = -1;
    const last = this.heap[--this.size];
    if (at === this.size) return;
    this.heap[at] = last;
    this.pos[last] = at;
    this.siftDown(at);
    this.siftUp(this.pos[last]);
  }

  siftDown(at: number): void {
    const { heap, pos, size } = this;
    const local = heap[at];
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && this.before(heap[right], heap[left]) ? right : left;
      if (!this.before(heap[child], local)) break;
      heap[at] = heap[child];
      pos[heap[at]] = at;
      at = child;
    }
    heap[at] = local;
    pos[local] = at;
  }

  private siftUp(at: number): void {
    const { heap, pos } = this;
    const local = heap[at];
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(local, heap[parent])) break;
      heap[at] = heap[parent];
      pos[heap[at]] = at;
      at = parent;
    }
    heap[at] = local;
    pos[local] = at;
  }
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

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// Assignment

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

  // --- The experts: ids, caps, loads, units, disciplines, and who is known by which name.
  const m = experts.length;
  const index = new Map<string, number>();
  experts.forEach((expert, i) => {
    if (index.has(expert.expertId)) throw new RangeError(`assignExperts: expertId ${expert.expertId} appears twice`);
    index.set(expert.expertId, i);
  });
  const rank = new Int32Array(m);
  [...experts.keys()]
    .sort((a, b) => (experts[a].expertId < experts[b].expertId ? -1 : 1))
    .forEach((e, r) => (rank[e] = r));
  const cap = new Int32Array(m);
  const load = new Int32Array(m);
  const unitIds = new Map<string, number>();
  const disciplineIds = new Map<string, number>();
  const unitOffset = new Int32Array(m + 1);
  const unitList: number[] = [];
  const discOffset = new Int32Array(m + 1);
  const discList: number[] = [];
  const byPerson = new Map<string, number[]>(); // name or email → experts
  const byId = new Map<string, number>(); // expertId key → expert
  for (let e = 0; e < m; e++) {
    const expert = experts[e];
    cap[e] = Math.max(0, Math.min(expert.maxLoad | 0, 2 ** 20));
    const given = options.load?.get(expert.expertId) ?? 0;
    if (!Number.isSafeInteger(given) || given < 0)
      throw new RangeError(
        `assignExperts: the load of ${expert.expertId} must be a non-negative integer (given ${given})`,
      );
    load[e] = Math.min(given, 2 ** 20);
    for (const u of new Set(expert.unitIds)) unitList.push(intern(unitIds, u));
    unitOffset[e + 1] = unitList.length;
    const keys = new Set<string>();
    for (const d of expert.disciplines) for (const key of disciplineKeys(d)) keys.add(key);
    for (const key of keys) discList.push(intern(disciplineIds, key));
    discOffset[e + 1] = discList.length;
    const name = personKey(expert.name);
    const email = personKey(expert.email);
    if (name) pushTo(byPerson, name, e);
    if (email && email !== name) pushTo(byPerson, email, e);
    byId.set(personKey(expert.expertId), e);
  }
  const units = Int32Array.from(unitList);
  const discs = Int32Array.from(discList);
  const inUnit = (e: number, u: number): boolean => {
    for (let i = unitOffset[e], end = unitOffset[e + 1]; i < end; i++) if (units[i] === u) return true;
    return false;
  };
  const hasCapacity = (e: number) => load[e] < cap[e];

  // Members per unit, and those with capacity left, for the reasons and the order.
  const unitMembers = new Int32Array(unitIds.size);
  const unitMembersFree = new Int32Array(unitIds.size);
  let freeAtStart = 0;
  let capacityLeft = 0;
  for (let e = 0; e < m; e++) {
    const free = hasCapacity(e);
    if (free) {
      freeAtStart++;
      capacityLeft += cap[e] - load[e];
    }
    for (let i = unitOffset[e]; i < unitOffset[e + 1]; i++) {
      unitMembers[units[i]]++;
      if (free) unitMembersFree[units[i]]++;
    }
  }

  // --- The candidates: unit, discipline, the experts their names point at, the kept experts.
  const n = candidates.length;
  const seenApplications = new Set<string>();
  const candUnit = new Int32Array(n);
  const candDiscA = new Int32Array(n).fill(-1);
  const candDiscB = new Int32Array(n).fill(-1);
  const conflictOffset = new Int32Array(n + 1);
  const conflictList: number[] = [];
  const slots = new Int32Array(n * k).fill(-1);
  const filled = new Int32Array(n);
  const kept = new Int32Array(n);
  const conflicted = new Int32Array(n); // experts in conflict with the candidate
  const unserved = new Map<number, string>();
  const stamp = new Int32Array(m).fill(-1);
  const namesOf = (people: string[], into: number[], candidate: number, u: number, withIds: boolean) => {
    for (const person of people) {
      const key = personKey(person);
      if (!key) continue;
      const found = byPerson.get(key) ?? [];
      const byExpertId = withIds ? byId.get(key) : undefined;
      for (const e of byExpertId === undefined ? found : [...found, byExpertId]) {
        if (stamp[e] === candidate || inUnit(e, u)) continue;
        stamp[e] = candidate;
        into.push(e);
      }
    }
  };
  for (let c = 0; c < n; c++) {
    const candidate = candidates[c];
    if (seenApplications.has(candidate.applicationId))
      throw new RangeError(`assignExperts: applicationId ${candidate.applicationId} appears twice`);
    seenApplications.add(candidate.applicationId);
    const u = unitIds.get(candidate.unitId) ?? -1;
    candUnit[c] = u;
    const keys = disciplineKeys(candidate.discipline);
    if (keys[0] !== undefined) candDiscA[c] = disciplineIds.get(keys[0]) ?? -1;
    if (keys[1] !== undefined) candDiscB[c] = disciplineIds.get(keys[1]) ?? -1;
    const start = conflictList.length;
    namesOf(candidate.namedPeople, conflictList, c, u, false);
    namesOf(candidate.expertsToAvoid, conflictList, c, u, true);
    conflictOffset[c + 1] = conflictList.length;
    conflicted[c] = (u >= 0 ? unitMembers[u] : 0) + conflictList.length - start;

    // Kept experts: in the pool, free of conflict, and no more than perApplication.
    const keptIds = [...new Set(candidate.assigned ?? [])];
    const problems: string[] = [];
    if (keptIds.length > k) problems.push(`it already has ${keptIds.length} experts, more than ${k}`);
    for (const id of keptIds) {
      const e = index.get(id);
      if (e === undefined) problems.push(`its assigned expert ${id} is not in the pool`);
      else {
        const why = inUnit(e, u) || stamp[e] === c ? conflictOf(experts[e], candidate) : undefined;
        if (why) problems.push(`its assigned expert ${id} has a conflict: ${why}`);
        else if (filled[c] < k) slots[c * k + filled[c]++] = e;
      }
    }
    kept[c] = filled[c];
    if (problems.length > 0) {
      unserved.set(c, problems.join('; '));
      continue;
    }

    // Enough experts at all? (counted from the indexes, without looking at the whole pool)
    const need = k - kept[c];
    if (need === 0) continue;
    let namedFree = 0;
    for (let i = start; i < conflictList.length; i++) if (hasCapacity(conflictList[i])) namedFree++;
    let keptFree = 0;
    for (let s = 0; s < kept[c]; s++) if (hasCapacity(slots[c * k + s])) keptFree++;
    const eligible = m - conflicted[c] - kept[c];
    const eligibleFree = freeAtStart - (u >= 0 ? unitMembersFree[u] : 0) - namedFree - keptFree;
    if (eligible < need) {
      const members = u >= 0 ? unitMembers[u] : 0;
      unserved.set(
        c,
        `only ${eligible} experts in the pool are free of conflict for ${need} places (${members} belong to ${candidate.unitId}, ` +
          `${conflictList.length - start} are named in the application or to be avoided${kept[c] > 0 ? `, ${kept[c]} are already assigned` : ''})`,
      );
    } else if (eligibleFree < need) {
      unserved.set(c, `only ${eligibleFree} eligible experts with capacity left for ${need} places`);
    }
  }
  const conflicts = Int32Array.from(conflictList);

  /** Whether expert e may take a (new) place on candidate c: no conflict, not already on it. */
  const eligibleFor = (e: number, c: number): boolean => {
    for (let s = c * k, end = s + filled[c]; s < end; s++) if (slots[s] === e) return false;
    const u = candUnit[c];
    if (u >= 0 && inUnit(e, u)) return false;
    for (let i = conflictOffset[c], end = conflictOffset[c + 1]; i < end; i++) if (conflicts[i] === e) return false;
    return true;
  };

  // --- The heaps: one per discipline key, and one over the whole pool.
  const discMembers: number[][] = Array.from({ length: disciplineIds.size }, () => []);
  for (let e = 0; e < m; e++) for (let i = discOffset[e]; i < discOffset[e + 1]; i++) discMembers[discs[i]].push(e);
  const heaps = discMembers.map((members) => new ExpertHeap(Int32Array.from(members), load, cap, rank));
  // Each expert's place in its discipline heaps: the local index, in the order of discs[].
  const localIn = new Int32Array(discs.length);
  heaps.forEach((heap, d) =>
    heap.members.forEach(
      (e, local) => (localIn[discOffset[e] + discs.subarray(discOffset[e], discOffset[e + 1]).indexOf(d)] = local),
    ),
  );
  const identity = new Int32Array(m);
  for (let e = 0; e < m; e++) identity[e] = e;
  const pool = new ExpertHeap(identity, load, cap, rank);
  for (const heap of heaps) heap.build();
  pool.build();

  /** Re-sorts expert e in every heap that holds it, after its load changed. */
  const reheap = (e: number) => {
    const full = !hasCapacity(e);
    for (let i = discOffset[e]; i < discOffset[e + 1]; i++) {
      const heap = heaps[discs[i]];
      const local = localIn[i];
      if (heap.pos[local] < 0) continue;
      if (full) heap.remove(local);
      else heap.siftDown(heap.pos[local]);
    }
    if (pool.pos[e] >= 0) {
      if (full) pool.remove(e);
      else pool.siftDown(pool.pos[e]);
    }
  };

  // Experts with capacity left, in all and per unit: whether a candidate has any eligible one is
  // then a count over its sparse conflicts, not a scan of the pool (a unit may hold thousands).
  let freeNow = freeAtStart;
  const unitFreeNow = unitMembersFree.slice();
  const loaded = (e: number) => {
    load[e]++;
    if (load[e] === cap[e]) {
      freeNow--;
      for (let i = unitOffset[e]; i < unitOffset[e + 1]; i++) unitFreeNow[units[i]]--;
    }
    reheap(e);
  };
  const anyFreeFor = (c: number): boolean => {
    let blocked = candUnit[c] >= 0 ? unitFreeNow[candUnit[c]] : 0;
    for (let i = conflictOffset[c], end = conflictOffset[c + 1]; i < end; i++) if (hasCapacity(conflicts[i])) blocked++;
    for (let s = c * k, end = s + filled[c]; s < end; s++) if (hasCapacity(slots[s])) blocked++;
    return freeNow > blocked;
  };

  const take = (e: number, c: number) => {
    slots[c * k + filled[c]++] = e;
    loaded(e);
  };

  // --- Greedy, most constrained first: the discipline's least-loaded experts, then the pool's.
  const order = [...candidates.keys()]
    .filter((c) => !unserved.has(c) && filled[c] < k)
    .sort(
      (a, b) => conflicted[b] - conflicted[a] || (candidates[a].applicationId < candidates[b].applicationId ? -1 : 1),
    );
  const asideHeap: ExpertHeap[] = [];
  const asideLocal: number[] = [];
  const fillFrom = (c: number, first: ExpertHeap | undefined, second: ExpertHeap | undefined) => {
    asideHeap.length = 0;
    asideLocal.length = 0;
    while (filled[c] < k && anyFreeFor(c)) {
      const a = first && first.size > 0 ? first : undefined;
      const b = second && second.size > 0 ? second : undefined;
      const heap = a && b ? (b.before(b.top(), a.top()) ? b : a) : (a ?? b);
      if (!heap) break;
      const local = heap.pop();
      asideHeap.push(heap);
      asideLocal.push(local);
      const e = heap.members[local];
      if (eligibleFor(e, c)) take(e, c);
    }
    for (let i = asideLocal.length - 1; i >= 0; i--) {
      const heap = asideHeap[i];
      const local = asideLocal[i];
      if (heap.pos[local] < 0 && hasCapacity(heap.members[local])) heap.push(local);
    }
  };
  for (const c of order) {
    const a = candDiscA[c] >= 0 ? heaps[candDiscA[c]] : undefined;
    const b = candDiscB[c] >= 0 ? heaps[candDiscB[c]] : undefined;
    if (a || b) fillFrom(c, a, b);
    if (filled[c] < k) fillFrom(c, pool, undefined);
  }

  // --- Repair: applications still short, by augmenting paths (only if the capacity is there).
  const short = order.filter((c) => filled[c] < k);
  if (short.length > 0) {
    const missing = short.reduce((sum, c) => sum + k - filled[c], 0);
    let left = 0;
    for (let e = 0; e < m; e++) if (hasCapacity(e)) left += cap[e] - load[e];
    if (left < missing) {
      const needed = order.reduce((sum, c) => sum + k - kept[c], 0);
      for (const c of short) {
        unserved.set(
          c,
          `the pool has ${capacityLeft} review places left but the applications need ${needed}: ` +
            `only ${filled[c] - kept[c]} of the ${k - kept[c]} places still open for this application could be filled`,
        );
      }
    } else {
      new Augmenter(n, m, k, slots, filled, kept, load, cap, pool, eligibleFor, anyFreeFor, loaded).fill(short);
      for (const c of short) {
        if (filled[c] < k) {
          const need = k - kept[c];
          unserved.set(
            c,
            `only ${filled[c] - kept[c]} of its ${need} places could be filled: the eligible experts' capacity is needed by other applications that cannot use anyone else`,
          );
        }
      }
    }
  }

  if (unserved.size > 0) {
    return {
      ok: false,
      unserved: [...unserved.entries()]
        .sort(([a], [b]) => a - b)
        .map(([c, reason]) => ({ applicationId: candidates[c].applicationId, reason })),
    };
  }

  // --- The answer.
  const assignments = new Map<string, string[]>();
  const used = new Uint8Array(m);
  let places = 0;
  let matched = 0;
  for (let c = 0; c < n; c++) {
    const ids: string[] = [];
    const a = candDiscA[c];
    const b = candDiscB[c];
    for (let s = c * k, end = s + filled[c]; s < end; s++) {
      const e = slots[s];
      ids.push(experts[e].expertId);
      used[e] = 1;
      places++;
      for (let i = discOffset[e]; i < discOffset[e + 1]; i++) {
        if (discs[i] === a || discs[i] === b) {
          matched++;
          break;
        }
      }
    }
    assignments.set(candidates[c].applicationId, ids);
  }
  let expertsUsed = 0;
  let min = Infinity;
  let max = 0;
  let total = 0;
  for (let e = 0; e < m; e++) {
    if (!used[e]) continue;
    expertsUsed++;
    min = Math.min(min, load[e]);
    max = Math.max(max, load[e]);
    total += load[e];
  }
  return {
    ok: true,
    assignments,
    summary: {
      applications: n,
      expertsUsed,
      load: { min: expertsUsed ? min : 0, max, mean: expertsUsed ? round(total / expertsUsed, 2) : 0 },
      disciplineMatchRate: places ? round(matched / places, 4) : 1,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Augmenting paths

/**
 * Fills the places the greedy pass left open by moving experts along alternating paths: a short
 * application takes expert e1 (eligible, but full), which leaves an application B1 that takes e2
 * instead, … until some application takes an expert with capacity left. This is Kuhn's
 * augmenting-path algorithm for the b-matching (applications × experts, capacities = places and
 * caps), searched depth first in passes: within a pass the visited marks are shared by all
 * searches (each application and expert is explored at most once per pass, so a pass costs
 * O(pool + places)), and passes repeat while one of them fills a place. When a pass fills
 * nothing, no assignment can fill more (the maximum flow is reached). A search that fails before
 * anything succeeded in its pass marks all it visited dead for good: no later path can pass
 * there (its experts are full and every application it reaches is stuck), so hopeless
 * applications cost little.
 *
 * Only full experts holding movable (non-kept) places can be passed through; they are kept in a
 * linked list, unlinked when visited, so an application's scan resumes where it stopped.
 */
class Augmenter {
  /** the applications holding each expert's movable (non-kept) places */
  private readonly holders: number[][];
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly linked: Uint8Array;
  private readonly visited: Int32Array;
  private readonly dead: Uint8Array;
  private readonly deadExpert: Uint8Array;
  private pass = 0;

  constructor(
    n: number,
    private readonly m: number,
    private readonly k: number,
    private readonly slots: Int32Array,
    private readonly filled: Int32Array,
    private readonly kept: Int32Array,
    private readonly load: Int32Array,
    private readonly cap: Int32Array,
    private readonly pool: ExpertHeap,
    private readonly eligibleFor: (e: number, c: number) => boolean,
    private readonly anyFreeFor: (c: number) => boolean,
    /** adds one to the load of an expert that took a place (and re-sorts the heaps) */
    private readonly loaded: (e: number) => void,
  ) {
    this.holders = Array.from({ length: m }, () => []);
    for (let c = 0; c < n; c++)
      for (let s = c * k + kept[c], end = c * k + filled[c]; s < end; s++) this.holders[slots[s]].push(c);
    this.next = new Int32Array(m + 1);
    this.prev = new Int32Array(m + 1);
    this.linked = new Uint8Array(m);
    this.visited = new Int32Array(n);
    this.dead = new Uint8Array(n);
    this.deadExpert = new Uint8Array(m);
  }

  /** Fills as many open places of `roots` as any assignment can; `filled` tells which remain short. */
  fill(roots: number[]): void {
    for (;;) {
      this.pass++;
      this.relinkAll();
      let progressed = false;
      for (const root of roots) {
        while (this.filled[root] < this.k && !this.dead[root]) {
          const e = this.search(root, !progressed);
          if (e < 0) break;
          this.loaded(e);
          progressed = true;
        }
      }
      if (!progressed) return;
    }
  }

  /** The list of passable experts, afresh for a pass: full, holding movable places, not dead. */
  private relinkAll(): void {
    const { m, next, prev, linked } = this;
    let last = m;
    for (let e = 0; e < m; e++) {
      linked[e] = this.load[e] >= this.cap[e] && this.holders[e].length > 0 && !this.deadExpert[e] ? 1 : 0;
      if (!linked[e]) continue;
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = m;
    prev[m] = last;
  }

  /** An expert with capacity left that c may take, or -1. */
  private free(c: number): number {
    if (!this.anyFreeFor(c)) return -1;
    const { heap, size } = this.pool;
    for (let i = 0; i < size; i++) {
      const e = heap[i];
      if (this.load[e] < this.cap[e] && this.eligibleFor(e, c)) return e;
    }
    return -1;
  }

  /**
   * The first passable expert after `from` (the list head, or an expert unlinked since: its
   * `next` still leads on to every expert after it) that c may take, unlinked; or -1.
   */
  private nextFull(c: number, from: number, removed: number[]): number {
    const { m, next, prev, linked } = this;
    for (let e = next[from]; e !== m; e = next[e]) {
      if (!linked[e] || !this.eligibleFor(e, c)) continue;
      next[prev[e]] = next[e];
      prev[next[e]] = prev[e];
      linked[e] = 0;
      removed.push(e);
      return e;
    }
    return -1;
  }

  /** One augmenting path from root: answers the expert with capacity left that took a place, or -1. */
  private search(root: number, conclusive: boolean): number {
    const pass = this.pass;
    const apps: number[] = [root];
    const drops: number[] = [-1]; // the expert each application gives up (-1: the root gives up none)
    const via: number[] = [-1]; // the full expert each application is trying to take
    const cursor: number[] = [this.m]; // where its scan of the list resumes
    const holderAt: number[] = [0];
    const seen: number[] = [root];
    const removed: number[] = [];
    this.visited[root] = pass;
    let found = this.free(root);
    while (found < 0 && apps.length > 0) {
      const t = apps.length - 1;
      const e = via[t];
      if (e >= 0 && holderAt[t] < this.holders[e].length) {
        const c = this.holders[e][holderAt[t]++];
        if (this.visited[c] === pass || this.dead[c]) continue;
        this.visited[c] = pass;
        seen.push(c);
        apps.push(c);
        drops.push(e);
        via.push(-1);
        cursor.push(this.m);
        holderAt.push(0);
        found = this.free(c);
        continue;
      }
      const chosen = this.nextFull(apps[t], cursor[t], removed);
      if (chosen < 0) {
        apps.pop();
        drops.pop();
        via.pop();
        cursor.pop();
        holderAt.pop();
      } else {
        via[t] = chosen;
        cursor[t] = chosen;
        holderAt[t] = 0;
      }
    }
    if (found < 0) {
      if (conclusive) {
        for (const c of seen) this.dead[c] = 1;
        for (const e of removed) this.deadExpert[e] = 1;
      }
      return -1;
    }
    // Apply the path: the last application takes `found`; each earlier one takes what the next gives up.
    for (let t = apps.length - 1; t >= 0; t--) {
      const c = apps[t];
      const taken = t === apps.length - 1 ? found : via[t];
      const dropped = drops[t];
      const base = c * this.k;
      if (dropped < 0) this.slots[base + this.filled[c]++] = taken;
      else {
        for (let s = base + this.kept[c]; s < base + this.filled[c]; s++)
          if (this.slots[s] === dropped) this.slots[s] = taken;
        const list = this.holders[dropped];
        list.splice(list.indexOf(c), 1);
      }
      this.holders[taken].push(c);
    }
    return found;
  }
}
