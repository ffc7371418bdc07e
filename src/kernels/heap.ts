// Float64Arrays allocated inside one shared WebAssembly memory, so the wasm kernels read and write them in place.
// First-fit free list with coalescing; a block is returned to the list when its array is garbage-collected, or at
// once when the allocations a piece of work made are released (trackAllocations: a run's arena). The memory grows
// up to MAX_HEAP_BYTES, never past it; what fits there is estimated up front (runner/memory.ts), not found out here.
// NOTE: the memory is shared on purpose: growing a shared memory keeps every earlier view valid (a non-shared
// memory would detach them). A subarray of an allocated array does not keep its block alive: keep the array.
// NOTE: V8 sees only the small view objects, not the blocks behind them, so nothing urges it to collect them: a
// sweep's runs, each leaving its arrays to the collector, grew the memory run after run (digits, 40 runs in one
// process: 5 -> 39 MiB). Hence the explicit release.

const ALIGN = 16;
/** n bytes rounded up to whole ALIGN units (a block's end, from its start at a multiple of ALIGN). */
const blockBytes = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
const PAGE = 65536;
/** The maximum the wasm kernels' memory is declared with (wasm.ts): 32768 pages of 64 KiB, 2 GiB, whatever the
 *  machine has. */
export const MAX_HEAP_PAGES = 32768;
export const MAX_HEAP_BYTES = MAX_HEAP_PAGES * PAGE;
/** Offsets below this are never handed out: offset 0 means "no array" to the kernels, and the module's static
 *  data (constant tables) lies below it. */
export const FIRST = 1024;

/** The part of a WebAssembly.Memory the heap uses (the lib settings here do not declare WebAssembly's classes). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

interface Block {
  offset: number;
  bytes: number;
}

/** The blocks allocated while trackAllocations runs its work (the innermost call's list), with their heaps. */
const recording: { heap: WasmHeap; block: Block }[][] = [];

/** What trackAllocations returns: the work's value, and release() to give its arrays' blocks back. */
export interface Tracked<T> {
  value: T;
  /** Returns every block the work allocated (Kernels.alloc) to its heap's free list, at once; again: nothing.
   *  Afterwards none of those arrays may be used: their bytes belong to the next allocation. */
  release(): void;
}

/**
 * Runs work() (synchronously) and records the arrays every WasmHeap allocates meanwhile for the caller, so that
 * they can be released as soon as the caller knows they are no longer used. Arrays the kernels keep for
 * themselves (scratch blocks, a thread pool's block) are allocated with `kept` and never recorded. If work
 * throws, its arrays are released and the error passes on. Nested calls record into the innermost one.
 */
export function trackAllocations<T>(work: () => T): Tracked<T> {
  const list: { heap: WasmHeap; block: Block }[] = [];
  const release = () => {
    for (const { heap, block } of list.splice(0)) heap.giveBack(block);
  };
  recording.push(list);
  try {
    return { value: work(), release };
  } catch (e) {
    release();
    throw e;
  } finally {
    recording.pop();
  }
}

/** Runs work() and gives back at once every array it allocated (trackAllocations): for work whose value holds none of
 *  them (a one-off evaluation: its network and workspace). */
export function givenBack<T>(work: () => T): T {
  const t = trackAllocations(work);
  t.release();
  return t.value;
}

/** The arrays of one piece of work made in several synchronous parts (a run: prepared, started, finished),
 *  released together when it ends. */
export class Arena {
  private readonly parts: (() => void)[] = [];

  /** Runs work(), recording what it allocates for this arena (trackAllocations). */
  track<T>(work: () => T): T {
    const t = trackAllocations(work);
    this.parts.push(t.release);
    return t.value;
  }

  /** Releases every part's arrays (again: nothing). */
  release(): void {
    for (const r of this.parts.splice(0)) r();
  }
}

export class WasmHeap {
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** The buffer of the memory's latest growth: most arrays a kernel is given are on it (offsetOf looks here first). */
  private latest: ArrayBufferLike;
  /** Free blocks below `top`, sorted by offset, never adjacent (coalesced). */
  private readonly free: Block[] = [];
  private top = FIRST;
  /** Bytes in use now (inUse, counted as blocks come and go), and the most since resetPeak. */
  private used = 0;
  private highest = 0;
  private readonly registry = new FinalizationRegistry<Block>((b) => this.release(b));
  /** Arrays whose memory wasm keeps using by offset alone (pin): held here, so never collected and given back. */
  private readonly pinned: Float64Array[] = [];

  /** `limit`: the memory's maximum in bytes (it is never grown past it). */
  constructor(readonly memory: WasmMemory, readonly limit = MAX_HEAP_BYTES) {
    this.latest = memory.buffer;
    this.buffers.add(this.latest);
  }

  /**
   * A zero-filled array of `length` float64s in the memory. Recorded by the innermost trackAllocations under way,
   * unless `kept` (the kernels' own scratch, which outlives any run). NOTE: every block goes back to the free list
   * when its array is collected, kept or not: hold the array as long as its memory is used; an offset handed to
   * wasm alone does not hold it (pin).
   */
  alloc(length: number, kept = false): Float64Array {
    const bytes = Math.max(ALIGN, blockBytes(length * 8));
    const block = { offset: this.take(bytes), bytes };
    const view = new Float64Array(this.memory.buffer, block.offset, length);
    view.fill(0);
    this.registry.register(view, block, block);
    if (!kept) recording[recording.length - 1]?.push({ heap: this, block });
    return view;
  }

  /** Holds `arr` (from alloc) for the heap's life: for memory wasm uses by its offset alone. Returns arr. */
  pin(arr: Float64Array): Float64Array {
    this.pinned.push(arr);
    return arr;
  }

  /** Returns block to the free list now (trackAllocations' release), never again when its array is collected. */
  giveBack(block: Block): void {
    if (this.registry.unregister(block)) this.release(block);
  }

  /**
   * One view over `arrays` (each from alloc, length > 0) when each starts where the block of the one before ends,
   * else null. The padding between them (at most ALIGN − 8 bytes each) is zeroed: nobody else owns it.
   */
  span(arrays: readonly Float64Array[]): Float64Array | null {
    let first = -1, end = -1;
    for (const a of arrays) {
      const at = this.offsetOf(a);
      if (at < 0 || a.length === 0 || (end >= 0 && at !== blockBytes(end))) return null;
      if (first < 0) first = at;
      end = at + a.byteLength;
    }
    if (first < 0) return null;
    const view = new Float64Array(this.memory.buffer, first, (end - first) / 8);
    for (const a of arrays) view.fill(0, (a.byteOffset + a.byteLength - first) / 8, (blockBytes(a.byteOffset + a.byteLength) - first) / 8);
    return view;
  }

  /** The byte offset of arr in the memory, or -1 when arr lives elsewhere. */
  offsetOf(arr: Float64Array): number {
    const buffer = arr.buffer;
    return buffer === this.latest || this.buffers.has(buffer) ? arr.byteOffset : -1;
  }

  /** Bytes in use (allocated and not yet released), for tests. */
  inUse(): number {
    return this.top - FIRST - this.free.reduce((s, b) => s + b.bytes, 0);
  }

  /** The most bytes in use at once since the last resetPeak() (for tests of the memory estimate, and the bench). */
  peak(): number {
    return this.highest;
  }

  resetPeak(): void {
    this.highest = this.used;
  }

  private take(bytes: number): number {
    const offset = this.place(bytes);
    this.used += bytes;
    this.highest = Math.max(this.highest, this.used);
    return offset;
  }

  private place(bytes: number): number {
    for (let k = 0; k < this.free.length; k++) {
      const b = this.free[k];
      if (b.bytes < bytes) continue;
      const offset = b.offset;
      if (b.bytes === bytes) this.free.splice(k, 1);
      else this.free[k] = { offset: b.offset + bytes, bytes: b.bytes - bytes };
      return offset;
    }
    const offset = this.top;
    this.top += bytes;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      const need = Math.ceil((this.top - have) / PAGE);
      if (this.top > this.limit) {
        this.top = offset;
        throw new RangeError(`the wasm kernels' memory cannot hold ${bytes} more bytes: ${offset} of its ${this.limit} bytes are taken`);
      }
      // Half as much again as it has (fewer, larger growths), but never past the limit.
      this.memory.grow(Math.max(need, Math.min(Math.ceil(have / PAGE / 2), Math.floor((this.limit - have) / PAGE))));
      this.latest = this.memory.buffer;
      this.buffers.add(this.latest);
    }
    return offset;
  }

  private release(block: Block): void {
    this.used -= block.bytes;
    let k = 0;
    while (k < this.free.length && this.free[k].offset < block.offset) k++;
    this.free.splice(k, 0, { ...block });
    // Merge with the next and the previous free block where they touch.
    const merge = (i: number) => {
      const a = this.free[i];
      const b = this.free[i + 1];
      if (a && b && a.offset + a.bytes === b.offset) this.free.splice(i, 2, { offset: a.offset, bytes: a.bytes + b.bytes });
    };
    merge(k);
    if (k > 0) merge(k - 1);
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.bytes === this.top) {
      this.top = last.offset;
      this.free.pop();
    }
  }
}
