// The rows of a batch gathered for src/kernels/wasm.ts (AssemblyScript, exported by kernels.ts): out(k, ·) =
// src(idx[k], ·), whole rows copied two values per vector. Nothing here allocates; nothing is computed, so the
// bits are the source's.

/** out(k, ·) = src(idx[k], ·) for k < count, idx: count i32.  src: (·, cols)  out: (count, cols) */
export function gather(src: usize, cols: i32, idx: usize, count: i32, out: usize): void {
  const row = <usize>cols << 3;
  for (let k = 0; k < count; k++) {
    const from = src + <usize>load<i32>(idx + (<usize>k << 2)) * row;
    const to = out + <usize>k * row;
    let c: usize = 0;
    for (; c + 16 <= row; c += 16) v128.store(to + c, v128.load(from + c));
    if (c < row) store<f64>(to + c, load<f64>(from + c));
  }
}
