/**
 * The one state every phase of the assignment works on: the pool's and the candidates' indexes,
 * the heaps of experts by relative load, and the counts of experts with capacity left; with the
 * few operations the hot loops share (is e eligible for c, is anyone free for c, e takes a place).
 */
import type { CandidateIndex } from './candidate-index';
import { ExpertHeap } from './expert-heap';
import type { ExpertIndex } from './expert-index';

export interface AssignmentState extends ExpertIndex, CandidateIndex {
  /** one heap per discipline key, over the experts with that key */
  heaps: ExpertHeap[];
  /** each expert's local index in its discipline heaps, in the order of discs[] */
  localIn: Int32Array;
  /** one heap over the whole pool (local index = e) */
  pool: ExpertHeap;
  /**
   * Experts with capacity left, in all and per unit: whether a candidate has any eligible one is
   * then a count over its sparse conflicts, not a scan of the pool (a unit may hold thousands).
   */
  freeNow: number;
  unitFreeNow: Int32Array;
}

export function buildState(experts: ExpertIndex, candidates: CandidateIndex): AssignmentState {
  const { heaps, localIn, pool } = buildHeaps(experts);
  return {
    ...experts,
    ...candidates,
    heaps,
    localIn,
    pool,
    freeNow: experts.freeAtStart,
    unitFreeNow: experts.unitMembersFree.slice(),
  };
}

function buildHeaps(x: ExpertIndex): { heaps: ExpertHeap[]; localIn: Int32Array; pool: ExpertHeap } {
  const { m, discs, discOffset, load, cap, rank } = x;
  const discMembers: number[][] = Array.from({ length: x.disciplineIds.size }, () => []);
  for (let e = 0; e < m; e++) for (let i = discOffset[e]; i < discOffset[e + 1]; i++) discMembers[discs[i]].push(e);
  const heaps = discMembers.map((members) => new ExpertHeap(Int32Array.from(members), load, cap, rank));
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
  return { heaps, localIn, pool };
}

// The hot loops below read the arrays of the state itself rather than share expert-index's helpers,
// whose call sites would then see two shapes of object (a measurable cost over 1.5 million places).

/** Whether expert e may take a (new) place on candidate c: no conflict, not already on it. */
export function eligibleFor(s: AssignmentState, e: number, c: number): boolean {
  const { slots, conflicts } = s;
  for (let i = c * s.k, end = i + s.filled[c]; i < end; i++) if (slots[i] === e) return false;
  const u = s.candUnit[c];
  if (u >= 0) for (let i = s.unitOffset[e], end = s.unitOffset[e + 1]; i < end; i++) if (s.units[i] === u) return false;
  for (let i = s.conflictOffset[c], end = s.conflictOffset[c + 1]; i < end; i++) if (conflicts[i] === e) return false;
  return true;
}

/** Whether some expert with capacity left may still take a place on c (counted, not searched). */
export function anyFreeFor(s: AssignmentState, c: number): boolean {
  const { slots, conflicts, load, cap } = s;
  let blocked = s.candUnit[c] >= 0 ? s.unitFreeNow[s.candUnit[c]] : 0;
  for (let i = s.conflictOffset[c], end = s.conflictOffset[c + 1]; i < end; i++)
    if (load[conflicts[i]] < cap[conflicts[i]]) blocked++;
  for (let i = c * s.k, end = i + s.filled[c]; i < end; i++) if (load[slots[i]] < cap[slots[i]]) blocked++;
  return s.freeNow > blocked;
}

/** Expert e takes the next open place of c. */
export function take(s: AssignmentState, e: number, c: number): void {
  s.slots[c * s.k + s.filled[c]++] = e;
  loaded(s, e);
}

/** Adds one to the load of an expert that took a place: the counts, and its place in the heaps. */
export function loaded(s: AssignmentState, e: number): void {
  s.load[e]++;
  if (s.load[e] === s.cap[e]) {
    s.freeNow--;
    for (let i = s.unitOffset[e]; i < s.unitOffset[e + 1]; i++) s.unitFreeNow[s.units[i]]--;
  }
  reheap(s, e);
}

/** Re-sorts expert e in every heap that holds it, after its load changed (a full expert leaves them). */
function reheap(s: AssignmentState, e: number): void {
  const full = s.load[e] >= s.cap[e];
  for (let i = s.discOffset[e]; i < s.discOffset[e + 1]; i++) {
    const heap = s.heaps[s.discs[i]];
    const local = s.localIn[i];
    if (heap.pos[local] < 0) continue;
    if (full) heap.remove(local);
    else heap.siftDown(heap.pos[local]);
  }
  const { pool } = s;
  if (pool.pos[e] >= 0) {
    if (full) pool.remove(e);
    else pool.siftDown(pool.pos[e]);
  }
}
