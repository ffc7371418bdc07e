// A fused loss's gradient given the forward pass's output (Loss.backward's `output`: network.ts's backward takes
// softmax or sigmoid once a step, not twice) equals its gradient from the logits alone bit for bit:
// random logits of every scale, extreme ones (±1000, ±Infinity, NaN), soft and one-hot targets, both reductions.

import { describe, expect, it } from 'vitest';
import { sigmoidInto, softmaxRows } from '../../src/model/activations.js';
import { losses, REDUCTIONS } from '../../src/model/losses.js';
import { Rng } from '../../src/random.js';

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
const EXTREME = [1000, -1000, 745, -745, Infinity, -Infinity, NaN, 0, -0];

const FUSED = [
  { name: 'cross_entropy', output: softmaxRows },
  { name: 'binary_cross_entropy', output: (z: Float64Array, a: Float64Array, rows: number, cols: number) => sigmoidInto(z, a, rows * cols) },
] as const;

describe('fused losses: the gradient from the output equals the gradient from the logits', () => {
  for (const { name, output } of FUSED) {
    it(`${name}, 300 random batches, both reductions`, () => {
      const loss = losses[name];
      const rng = new Rng(7);
      for (let t = 0; t < 300; t++) {
        const rows = 1 + rng.int(9), cols = 1 + rng.int(12), n = rows * cols;
        const z = new Float64Array(n), y = new Float64Array(n);
        for (let i = 0; i < n; i++) z[i] = rng.next() < 0.1 ? EXTREME[rng.int(EXTREME.length)] : rng.normal() * 10 ** (rng.int(5) - 2);
        for (let r = 0; r < rows; r++) {
          if (t % 2) y[r * cols + rng.int(cols)] = 1; // one-hot
          else for (let c = 0; c < cols; c++) y[r * cols + c] = rng.next(); // soft (any values: the formula is the same)
        }
        const a = new Float64Array(n);
        output(z, a, rows, cols);
        for (const reduction of REDUCTIONS) {
          const fromLogits = new Float64Array(n), fromOutput = new Float64Array(n);
          loss.backward(z, y, fromLogits, rows, cols, reduction);
          loss.backward(z.map(() => NaN), y, fromOutput, rows, cols, reduction, a); // z is not read
          for (let i = 0; i < n; i++) if (!same(fromLogits[i], fromOutput[i])) expect.fail(`${name} case ${t} ${reduction} [${i}]: from logits ${fromLogits[i]}, from output ${fromOutput[i]}`);
        }
      }
    });
  }
});
