/**
 * A binary min-heap of experts (local indices into `members`), ordered by (load + 1) / cap, then
 * by expertId rank; `pos` finds an expert in the heap, so a load change re-sorts it in O(log n).
 */
export class ExpertHeap {
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
