// Float64Arrays allocated inside one shared WebAssembly memory, so the wasm kernels read and write them in place.
// First-fit free list with coalescing; a block is returned to the list when its array is garbage-collected.
// NOTE: the memory is shared on purpose: growing a shared memory keeps every earlier view valid (a non-shared
// memory would detach them). A subarray of an allocated array does not keep its block alive: keep the array.

const ALIGN = 16;
/** n bytes rounded up to whole ALIGN units (a block's end, from its start at a multiple of ALIGN). */
const blockBytes = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
const PAGE = 65536;
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

export class WasmHeap {
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** Free blocks below `top`, sorted by offset, never adjacent (coalesced). */
  private readonly free: Block[] = [];
  private top = FIRST;
  private readonly registry = new FinalizationRegistry<Block>((b) => this.release(b));

  constructor(readonly memory: WasmMemory) {
    this.buffers.add(memory.buffer);
  }

  /** A zero-filled array of `length` float64s in the memory. */
  alloc(length: number): Float64Array {
    const bytes = Math.max(ALIGN, blockBytes(length * 8));
    const offset = this.take(bytes);
    const view = new Float64Array(this.memory.buffer, offset, length);
    view.fill(0);
    this.registry.register(view, { offset, bytes });
    return view;
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
    return this.buffers.has(arr.buffer) ? arr.byteOffset : -1;
  }

  /** Bytes in use (allocated and not yet released), for tests. */
  inUse(): number {
    return this.top - FIRST - this.free.reduce((s, b) => s + b.bytes, 0);
  }

  private take(bytes: number): number {
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
      this.memory.grow(Math.max(Math.ceil((this.top - have) / PAGE), Math.ceil(have / PAGE / 2)));
      this.buffers.add(this.memory.buffer);
    }
    return offset;
  }

  private release(block: Block): void {
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
