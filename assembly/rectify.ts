// relu and leaky_relu forward and backward for src/kernels/wasm.ts (AssemblyScript, exported by kernels.ts), two
// values per f64x2 vector, bit-identical to src/kernels/scalar.ts: the comparison z > 0 picks each lane's value with
// a mask (false for NaN, as in JavaScript), so no branch depends on the data. Nothing here allocates.

/** a = z > 0 ? z : +0 (relu), or z > 0 ? z : slope·z (leaky). */
export function rectify(z: usize, a: usize, n: i32, leaky: bool, slope: f64): void {
  const zero = f64x2.splat(0), s = f64x2.splat(slope);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const zi = v128.load(z + o);
    const pos = f64x2.gt(zi, zero);
    // AND with the mask leaves z or the bits of +0.
    v128.store(a + o, leaky ? v128.bitselect(zi, f64x2.mul(s, zi), pos) : v128.and(zi, pos));
  }
  if (i < n) {
    const o = <usize>i << 3;
    const zi = load<f64>(z + o);
    store<f64>(a + o, zi > 0 ? zi : leaky ? slope * zi : 0);
  }
}

/** dz = z > 0 ? da : +0 (relu), or z > 0 ? da : slope·da (leaky). */
export function rectifyBackward(z: usize, da: usize, dz: usize, n: i32, leaky: bool, slope: f64): void {
  const zero = f64x2.splat(0), s = f64x2.splat(slope);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const pos = f64x2.gt(v128.load(z + o), zero);
    const d = v128.load(da + o);
    v128.store(dz + o, leaky ? v128.bitselect(d, f64x2.mul(s, d), pos) : v128.and(d, pos));
  }
  if (i < n) {
    const o = <usize>i << 3;
    const d = load<f64>(da + o);
    store<f64>(dz + o, load<f64>(z + o) > 0 ? d : leaky ? slope * d : 0);
  }
}
