import type { AssignmentState } from './assignment-state';
import { anyFreeFor, eligibleFor, loaded } from './greedy';

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
export class Augmenter {
  /** the applications holding each expert's movable (non-kept) places */
  private readonly holders: number[][];
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly linked: Uint8Array;
  private readonly visited: Int32Array;
  private readonly dead: Uint8Array;
  private readonly deadExpert: Uint8Array;
  private pass = 0;

  constructor(private readonly s: AssignmentState) {
    const { n, m, k, slots, filled, kept } = s;
    this.holders = Array.from({ length: m }, () => []);
    for (let c = 0; c < n; c++)
      for (let i = c * k + kept[c], end = c * k + filled[c]; i < end; i++) this.holders[slots[i]].push(c);
    this.next = new Int32Array(m + 1);
    this.prev = new Int32Array(m + 1);
    this.linked = new Uint8Array(m);
    this.visited = new Int32Array(n);
    this.dead = new Uint8Array(n);
    this.deadExpert = new Uint8Array(m);
  }

  /** Fills as many open places of `roots` as any assignment can; `filled` tells which remain short. */
  fill(roots: number[]): void {
    const { s } = this;
    for (;;) {
      this.pass++;
      this.relinkAll();
      let progressed = false;
      for (const root of roots) {
        while (s.filled[root] < s.k && !this.dead[root]) {
          const e = this.search(root, !progressed);
          if (e < 0) break;
          loaded(s, e);
          progressed = true;
        }
      }
      if (!progressed) return;
    }
  }

  /** The list of passable experts, afresh for a pass: full, holding movable places, not dead. */
  private relinkAll(): void {
    const { next, prev, linked } = this;
    const { m, load, cap } = this.s;
    let last = m;
    for (let e = 0; e < m; e++) {
      linked[e] = load[e] >= cap[e] && this.holders[e].length > 0 && !this.deadExpert[e] ? 1 : 0;
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
    const { s } = this;
    if (!anyFreeFor(s, c)) return -1;
    const { heap, size } = s.pool;
    for (let i = 0; i < size; i++) {
      const e = heap[i];
      if (s.load[e] < s.cap[e] && eligibleFor(s, e, c)) return e;
    }
    return -1;
  }

  /**
   * The first passable expert after `from` (the list head, or an expert unlinked since: its
   * `next` still leads on to every expert after it) that c may take, unlinked; or -1.
   */
  private nextFull(c: number, from: number, removed: number[]): number {
    const { next, prev, linked } = this;
    const { m } = this.s;
    for (let e = next[from]; e !== m; e = next[e]) {
      if (!linked[e] || !eligibleFor(this.s, e, c)) continue;
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
    const path = new SearchPath(root, this.s.m);
    const seen: number[] = [root];
    const removed: number[] = [];
    this.visited[root] = pass;
    let found = this.free(root);
    while (found < 0 && path.apps.length > 0) {
      const t = path.apps.length - 1;
      const e = path.via[t];
      if (e >= 0 && path.holderAt[t] < this.holders[e].length) {
        const c = this.holders[e][path.holderAt[t]++];
        if (this.visited[c] === pass || this.dead[c]) continue;
        this.visited[c] = pass;
        seen.push(c);
        path.push(c, e);
        found = this.free(c);
        continue;
      }
      const chosen = this.nextFull(path.apps[t], path.cursor[t], removed);
      if (chosen < 0) path.pop();
      else path.tryVia(t, chosen);
    }
    if (found >= 0) this.apply(path, found);
    else if (conclusive) {
      for (const c of seen) this.dead[c] = 1;
      for (const e of removed) this.deadExpert[e] = 1;
    }
    return found;
  }

  /** Moves the experts along the path: the last application takes `found`; each earlier one takes what the next gives up. */
  private apply(path: SearchPath, found: number): void {
    const { k, slots, filled, kept } = this.s;
    const { apps, via, drops } = path;
    for (let t = apps.length - 1; t >= 0; t--) {
      const c = apps[t];
      const taken = t === apps.length - 1 ? found : via[t];
      const dropped = drops[t];
      const base = c * k;
      if (dropped < 0) slots[base + filled[c]++] = taken;
      else {
        for (let i = base + kept[c]; i < base + filled[c]; i++) if (slots[i] === dropped) slots[i] = taken;
        const list = this.holders[dropped];
        list.splice(list.indexOf(c), 1);
      }
      this.holders[taken].push(c);
    }
  }
}

/** The depth-first stack of one search: one entry per application on the path. */
class SearchPath {
  readonly apps: number[];
  /** the expert each application gives up (-1: the root gives up none) */
  readonly drops: number[] = [-1];
  /** the full expert each application is trying to take */
  readonly via: number[] = [-1];
  /** where its scan of the list of passable experts resumes */
  readonly cursor: number[];
  /** which of its `via` expert's holders it tries next */
  readonly holderAt: number[] = [0];

  constructor(
    root: number,
    private readonly head: number,
  ) {
    this.apps = [root];
    this.cursor = [head];
  }

  push(c: number, drops: number): void {
    this.apps.push(c);
    this.drops.push(drops);
    this.via.push(-1);
    this.cursor.push(this.head);
    this.holderAt.push(0);
  }

  pop(): void {
    this.apps.pop();
    this.drops.pop();
    this.via.pop();
    this.cursor.pop();
    this.holderAt.pop();
  }

  tryVia(t: number, e: number): void {
    this.via[t] = e;
    this.cursor[t] = e;
    this.holderAt[t] = 0;
  }
}
