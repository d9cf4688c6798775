/**
 * The one state every phase of the assignment works on: the pool's and the candidates' indexes,
 * the heaps of experts by relative load, and the counts of experts with capacity left.
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
