// The wasm heap: arrays in one shared WebAssembly memory that stay valid when it grows, zero-filled on reuse,
// returned to the free list when garbage-collected or at once when tracked work releases them, and a memory that
// grows up to its limit, never past it.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { trackAllocations, WasmHeap, type WasmMemory } from '../../src/kernels/heap.js';

const WA = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => WasmMemory } }).WebAssembly;
const memory = () => new WA.Memory({ initial: 1, maximum: 1024, shared: true });

describe('WasmHeap', () => {
  it('hands out zeroed, non-overlapping arrays that stay valid when the memory grows', () => {
    const heap = new WasmHeap(memory());
    const a = heap.alloc(3);
    a.set([1, -0, NaN]);
    const big = heap.alloc(200_000); // 1.6 MB: more than the first 64 KiB page, so the memory grows
    expect(heap.memory.buffer.byteLength).toBeGreaterThanOrEqual(1_600_000);
    expect(Array.from(a)).toEqual([1, -0, NaN]); // the view made before the growth still reads the memory
    a[0] = 7;
    expect(new Float64Array(heap.memory.buffer, heap.offsetOf(a), 3)[0]).toBe(7); // and aliases the new buffer
    expect(big.every((v) => v === 0)).toBe(true);
    expect(heap.offsetOf(big)).toBeGreaterThanOrEqual(heap.offsetOf(a) + 3 * 8);
    expect(heap.offsetOf(new Float64Array(3))).toBe(-1);
    expect(heap.offsetOf(a) % 16).toBe(0);
  });

  it('spans arrays allocated one after another with one view, zeroing the padding between them', () => {
    const heap = new WasmHeap(memory());
    const [a, b, c] = [heap.alloc(3), heap.alloc(2), heap.alloc(5)]; // 3 values: 8 bytes of padding after a
    a.set([1, 2, 3]);
    b.set([4, 5]);
    c.set([6, 7, 8, 9, 10]);
    new Float64Array(heap.memory.buffer, heap.offsetOf(a) + 24, 1)[0] = NaN; // junk in a's padding
    const all = heap.span([a, b, c])!;
    expect(heap.offsetOf(all)).toBe(heap.offsetOf(a));
    expect(Array.from(all)).toEqual([1, 2, 3, 0, 4, 5, 6, 7, 8, 9, 10]); // c's padding lies after the span's end
    all[4] = 40;
    expect(b[0]).toBe(40); // a view of the same memory
    expect(heap.span([a, c])).toBeNull(); // b lies between
    expect(heap.span([b, a])).toBeNull(); // out of order
    expect(heap.span([a, new Float64Array(2)])).toBeNull(); // not in the memory
    expect(heap.span([a, heap.alloc(0)])).toBeNull(); // empty arrays are not spanned
  });

  it('returns the blocks of collected arrays, so repeated allocations do not grow the heap', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = new WasmHeap(memory());
    const keep = heap.alloc(10);
    const before = heap.inUse();
    (() => {
      for (let i = 0; i < 50; i++) heap.alloc(1000)[999] = i;
    })();
    expect(heap.inUse()).toBe(before + 50 * 8000);
    for (let t = 0; t < 50 && heap.inUse() > before; t++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(heap.inUse()).toBe(before);
    expect(heap.alloc(1000).every((v) => v === 0)).toBe(true); // a reused block is zero-filled again
    expect(keep.length).toBe(10);
  });

  it('gives back at once what tracked work allocated, nested work its own, kept arrays never', () => {
    const heap = new WasmHeap(memory());
    const before = heap.inUse();
    let kept: Float64Array | undefined;
    const outer = trackAllocations(() => {
      heap.alloc(100);
      kept = heap.alloc(50, true);
      const inner = trackAllocations(() => heap.alloc(1000));
      expect(heap.inUse()).toBe(before + 800 + 400 + 8000);
      inner.release();
      inner.release(); // again: nothing
      expect(heap.inUse()).toBe(before + 800 + 400);
      return 7;
    });
    expect(outer.value).toBe(7);
    outer.release();
    expect(heap.inUse()).toBe(before + 400); // the kept one
    expect(kept!.length).toBe(50);
    expect(heap.alloc(100).every((v) => v === 0)).toBe(true); // a block given back is zero-filled again
  });

  it('releases what work allocated before it threw', () => {
    const heap = new WasmHeap(memory());
    const before = heap.inUse();
    expect(() => trackAllocations(() => {
      heap.alloc(500);
      throw new Error('boom');
    })).toThrow('boom');
    expect(heap.inUse()).toBe(before);
    trackAllocations(() => heap.alloc(10)); // not released: stays in use until collected
    expect(heap.inUse()).toBe(before + 80);
  });

  it('grows the memory up to its limit, not past it (growing by half again would have overshot)', () => {
    const PAGE = 65536;
    const heap = new WasmHeap(memory(), 1024 * PAGE); // the memory's maximum
    heap.alloc((700 * PAGE) / 8); // 700 pages: the next growth by half would ask for 1050
    heap.alloc((300 * PAGE) / 8 - 1024);
    expect(heap.memory.buffer.byteLength).toBeLessThanOrEqual(1024 * PAGE);
    const used = heap.inUse();
    expect(() => heap.alloc((30 * PAGE) / 8)).toThrow(/cannot hold .* more bytes/);
    expect(heap.inUse()).toBe(used); // nothing taken by the refused allocation
    expect(heap.alloc(100).length).toBe(100); // what still fits is still handed out
  });
});
