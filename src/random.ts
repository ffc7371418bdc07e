// Seeded randomness: every random number in mlplab comes from an Rng made here, never Math.random.
// Algorithm: xoshiro128** 1.1 (Blackman & Vigna, 2018) on four 32-bit words, its state filled by
// SplitMix32 from (seed, stream). Each stream (init, shuffle, split, data) is independent of the others,
// so changing how data are shuffled leaves the initial weights unchanged.

/** The independent streams drawn from one experiment seed. */
export const STREAMS = { init: 1, shuffle: 2, split: 3, data: 4, gradcheck: 5, validation: 6, dropout: 7, sweep: 8, folds: 9 } as const;
export type StreamName = keyof typeof STREAMS;

/**
 * a % n for whole numbers 0 ≤ a ≤ 2^32 and 1 ≤ n ≤ 2^32, the same value. NOTE: `%` on numbers beyond int32 is a
 * floating-point remainder (fmod), ≈50 ns here: it made shuffling 20,000 rows 10% of a regression training's main
 * thread. The quotient a / n rounded down is off by at most one; a − q·n is exact (below 2^53), then corrected.
 */
export function remainder(a: number, n: number): number {
  const r = a - Math.floor(a / n) * n;
  return r < 0 ? r + n : r >= n ? r - n : r;
}

/** SplitMix32: a 32-bit mixer used only to spread a seed over xoshiro's state. */
function splitmix32(state: number): () => number {
  let a = state | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** An Rng's state (Rng.saveState): xoshiro128**'s four 32-bit words and the normal value kept for the next call. */
export interface RngState {
  words: number[];
  spareNormal: number | null;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /** seed: any safe integer (negative allowed); stream: a small integer naming the stream. */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const mix = splitmix32(lo ^ splitmix32(hi ^ Math.imul(stream + 1, 0x85ebca6b))());
    this.s0 = mix() | 0;
    this.s1 = mix() | 0;
    this.s2 = mix() | 0;
    this.s3 = mix() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** The generator's whole state (a checkpoint): its four words and the spare normal value, if one is kept. */
  saveState(): RngState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spareNormal };
  }

  /** Puts back a state saveState gave: the draws that follow are the ones that followed it. */
  loadState(state: RngState): void {
    const [s0, s1, s2, s3] = state.words;
    if (state.words.length !== 4 || !state.words.every((w) => Number.isInteger(w) && w >= -2147483648 && w <= 4294967295)) {
      throw new RangeError(`loadState: expected four 32-bit words, got ${JSON.stringify(state.words)}`);
    }
    // xoshiro128** never reaches the state of four zeros, from which it would draw zeros for ever: a damaged state.
    if (state.words.every((w) => (w | 0) === 0)) throw new RangeError('loadState: expected four 32-bit words not all 0 (a state xoshiro128** never reaches), got [0,0,0,0]');
    [this.s0, this.s1, this.s2, this.s3] = [s0 | 0, s1 | 0, s2 | 0, s3 | 0];
    this.spareNormal = state.spareNormal;
  }

  /** The generator for one named stream of an experiment seed. */
  static stream(seed: number, name: StreamName): Rng {
    return new Rng(seed, STREAMS[name]);
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /**
   * The next output's 32 bits as a signed integer (nextUint32 reads them unsigned). NOTE: a number returned from a
   * call V8 does not inline is a heap object unless it is a small integer (here any int32): an unsigned one from
   * 2^31 up is not, nor is a float.
   */
  private nextInt32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float64 in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.nextInt32() >>> 5; // 27 bits
    const b = this.nextInt32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * out[i] = next() for i < n, in order: the values of n calls to next(), with no float returned from a call.
   * NOTE: where V8 does not inline next() into its caller (a large optimized function such as the training step,
   * with dropout, once its inlining budget is spent), each value next() returns is a heap allocation. Here the float
   * is made in the loop (next()'s formula, written out) from int32s, which calls return as they are.
   */
  fillUniform(out: Float64Array, n: number): void {
    for (let i = 0; i < n; i++) out[i] = ((this.nextInt32() >>> 5) * 67108864 + (this.nextInt32() >>> 6)) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Normal(mean, std) by the Box–Muller transform; the second value of each pair is kept for the next call. */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    const u1 = 1 - this.next(); // (0, 1]: log(u1) is finite
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return mean + std * r * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n), without modulo bias (rejection sampling). */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) throw new RangeError(`int(n) needs 1 <= n <= 2^32, got ${n}`);
    const limit = 4294967296 - remainder(4294967296, n);
    let x: number;
    do x = this.nextInt32() >>> 0;
    while (x >= limit);
    return remainder(x, n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: number } | unknown[]>(items: T): T {
    const a = items as unknown as unknown[];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return items;
  }
}
