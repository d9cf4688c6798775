/**
 * The greedy pass, most constrained candidates first: each takes its discipline's least-loaded
 * experts, then the pool's; with the operations on the state it runs 1.5 million times at the
 * bench's size. They live in this module because a call into another one goes through its exports
 * object under the per-file CommonJS the bench and tsx run (10% of this pass, measured).
 */
import type { AssignmentState } from './assignment-state';
import type { ExpertHeap } from './expert-heap';
import type { ReviewCandidate } from './types';

/** The candidates still to fill, most conflicted experts first (they have the fewest to choose from). */
export function mostConstrainedFirst(s: AssignmentState, candidates: ReviewCandidate[]): number[] {
  const { conflicted } = s;
  return [...candidates.keys()]
    .filter((c) => !s.unserved.has(c) && s.filled[c] < s.k)
    .sort(
      (a, b) => conflicted[b] - conflicted[a] || (candidates[a].applicationId < candidates[b].applicationId ? -1 : 1),
    );
}

/** Greedy, in `order`: each candidate takes its discipline's least-loaded experts, then the pool's. */
export function fillGreedily(s: AssignmentState, order: number[]): void {
  const aside: Aside = { heaps: [], locals: [] };
  for (const c of order) {
    const a = s.candDiscA[c] >= 0 ? s.heaps[s.candDiscA[c]] : undefined;
    const b = s.candDiscB[c] >= 0 ? s.heaps[s.candDiscB[c]] : undefined;
    if (a || b) fillFrom(s, c, a, b, aside);
    if (s.filled[c] < s.k) fillFrom(s, c, s.pool, undefined, aside);
  }
}

/** The experts popped but not taken (in conflict with c), put back once c is done. */
interface Aside {
  heaps: ExpertHeap[];
  locals: number[];
}

/** Fills c from the better top of two heaps while anyone eligible with capacity is left. */
function fillFrom(
  s: AssignmentState,
  c: number,
  first: ExpertHeap | undefined,
  second: ExpertHeap | undefined,
  aside: Aside,
): void {
  aside.heaps.length = 0;
  aside.locals.length = 0;
  while (s.filled[c] < s.k && anyFreeFor(s, c)) {
    const a = first && first.size > 0 ? first : undefined;
    const b = second && second.size > 0 ? second : undefined;
    const heap = a && b ? (b.before(b.top(), a.top()) ? b : a) : (a ?? b);
    if (!heap) break;
    const local = heap.pop();
    aside.heaps.push(heap);
    aside.locals.push(local);
    const e = heap.members[local];
    if (eligibleFor(s, e, c)) take(s, e, c);
  }
  for (let i = aside.locals.length - 1; i >= 0; i--) {
    const heap = aside.heaps[i];
    const local = aside.locals[i];
    if (heap.pos[local] < 0 && s.load[heap.members[local]] < s.cap[heap.members[local]]) heap.push(local);
  }
}

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
function take(s: AssignmentState, e: number, c: number): void {
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
