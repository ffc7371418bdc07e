// Losses: values and gradients against PyTorch's definitions, computed by hand. Expected literals were computed
// with mpmath at 40 significant digits from the textbook formulas (not from the engine's log-sum-exp forms):
//   mse:                  (1/N) Σ (a − y)²                       (torch.nn.MSELoss, N = all elements)
//   cross_entropy:        (1/rows) Σ_rows −Σ_k y_k log softmax(z)_k  (torch.nn.CrossEntropyLoss, probability targets)
//   binary_cross_entropy: (1/N) Σ −[y log σ(z) + (1 − y) log(1 − σ(z))]  (torch.nn.BCEWithLogitsLoss)
// reduction 'sum' drops the 1/N (1/rows).

import { describe, expect, it } from 'vitest';
import type { ActivationName } from '../../src/model/activations.js';
import { Evaluator } from '../../src/model/evaluator.js';
import { LOSS_NAMES, losses, reductionScale, REDUCTIONS, type LossName, type Reduction } from '../../src/model/losses.js';
import { backward, createNetwork, createWorkspace, forward, lossOf, type Network } from '../../src/model/network.js';
import { fromRows } from '../../src/matrix.js';
import { Rng } from '../../src/random.js';
import { centralDifference, errorFloor, relativeError } from './fd.js';

/** One layer, cols inputs → cols units, identity weights and zero biases: its pre-activation z equals x. */
function identityNet(cols: number, activation: ActivationName): Network {
  const net = createNetwork(cols, [{ units: cols, activation }]);
  for (let i = 0; i < cols; i++) net.layers[0].w[i * cols + i] = 1;
  return net;
}

/** The reduced loss and the dz/da the loss hands back, for rows of logits (or outputs) v and targets y. */
function evaluate(lossName: LossName, activation: ActivationName, v: number[][], y: number[][], reduction: Reduction) {
  const cols = v[0].length;
  const rows = v.length;
  const net = identityNet(cols, activation);
  const ws = createWorkspace(net, rows);
  const x = fromRows(v).data;
  const yy = fromRows(y).data;
  forward(net, ws, x, rows);
  const value = lossOf(net, ws, yy, rows, lossName, reduction);
  backward(net, ws, x, yy, rows, lossName, reduction);
  const grad = Array.from(losses[lossName].reads === 'logits' ? ws.dz[0] : ws.da[0]).slice(0, rows * cols);
  return { value, grad, dw: Array.from(ws.dw[0]), db: Array.from(ws.db[0]) };
}

function expectClose(actual: number, expected: number, rel = 1e-14): void {
  expect(Number.isFinite(actual), `${actual} finite`).toBe(true);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

function expectAllClose(actual: readonly number[], expected: readonly number[], rel = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expectClose(v, expected[i], rel));
}

describe('loss registry', () => {
  it('pairs each fused loss with the output activation PyTorch fuses it with', () => {
    expect(losses.mse.requires).toBeNull();
    expect(losses.mse.reads).toBe('output');
    expect(losses.cross_entropy.requires).toBe('softmax');
    expect(losses.cross_entropy.reads).toBe('logits');
    expect(losses.binary_cross_entropy.requires).toBe('sigmoid');
    expect(losses.binary_cross_entropy.reads).toBe('logits');
  });

  it("reduction 'mean' averages over all elements (mse, BCE) or over rows (cross-entropy); 'sum' does not scale", () => {
    expect(reductionScale(losses.mse, 'mean', 4, 3)).toBe(1 / 12);
    expect(reductionScale(losses.binary_cross_entropy, 'mean', 4, 3)).toBe(1 / 12);
    expect(reductionScale(losses.cross_entropy, 'mean', 4, 3)).toBe(1 / 4);
    for (const name of LOSS_NAMES) expect(reductionScale(losses[name], 'sum', 4, 3)).toBe(1);
  });

  it('backward refuses a fused loss after the wrong output activation', () => {
    const net = identityNet(2, 'linear');
    const ws = createWorkspace(net, 1);
    const x = Float64Array.from([0.3, -0.2]);
    forward(net, ws, x, 1);
    expect(() => backward(net, ws, x, Float64Array.from([1, 0]), 1, 'cross_entropy', 'mean')).toThrow(/softmax/);
    expect(() => backward(net, ws, x, Float64Array.from([1, 0]), 1, 'binary_cross_entropy', 'mean')).toThrow(/sigmoid/);
  });
});

describe('loss values and gradients (through network.lossOf and network.backward)', () => {
  it('mse: mean over all elements of (a − y)², gradient 2(a − y)/N', () => {
    const a = [[1, 2], [3, 4]];
    const y = [[0, 2], [1, 1]];
    // squared errors 1, 0, 4, 9: sum 14, mean 14/4
    const mean = evaluate('mse', 'linear', a, y, 'mean');
    expect(mean.value).toBe(3.5);
    expect(mean.grad).toEqual([0.5, 0, 1, 1.5]); // 2(a − y)/4
    const sum = evaluate('mse', 'linear', a, y, 'sum');
    expect(sum.value).toBe(14);
    expect(sum.grad).toEqual([2, 0, 4, 6]);
  });

  const ceZ = [[1, 2, 3], [0, 0, 0], [-1, 0.5, 2]];
  const ceY = [[0, 0, 1], [0.5, 0.5, 0], [0.2, 0.3, 0.5]];

  it('cross_entropy: mean over rows of −Σ y log softmax(z), probability targets', () => {
    // rows: log(e + e² + e³) − 3 = 0.40760596444438..., log 3 = 1.09861228866810..., 1.29131129665715...
    expectClose(evaluate('cross_entropy', 'softmax', ceZ, ceY, 'mean').value, 0.9325098499232157);
    expectClose(evaluate('cross_entropy', 'softmax', ceZ, ceY, 'sum').value, 2.797529549769647);
    expectClose(evaluate('cross_entropy', 'softmax', [ceZ[1]], [ceY[1]], 'mean').value, 1.0986122886681098);
  });

  it('cross_entropy: the fused gradient is (softmax(z) − y)/rows', () => {
    const expectedSum = [
      [0.09003057317038046, 0.24472847105479764, -0.3347590442251781],
      [1 / 3 - 0.5, 1 / 3 - 0.5, 1 / 3],
      [-0.16088742672931255, -0.1247096078599633, 0.2855970345892759],
    ].flat();
    expectAllClose(evaluate('cross_entropy', 'softmax', ceZ, ceY, 'sum').grad, expectedSum);
    expectAllClose(evaluate('cross_entropy', 'softmax', ceZ, ceY, 'mean').grad, expectedSum.map((g) => g / 3));
  });

  const bceZ = [[0, 2], [-1, 3], [0.5, -4]];
  const bceY = [[1, 0], [0.5, 1], [0, 0.25]];

  it('binary_cross_entropy: mean over elements of −[y log σ(z) + (1 − y) log(1 − σ(z))], gradient (σ(z) − y)/N', () => {
    expectClose(evaluate('binary_cross_entropy', 'sigmoid', bceZ, bceY, 'mean').value, 0.9456918571321332);
    expectClose(evaluate('binary_cross_entropy', 'sigmoid', bceZ, bceY, 'sum').value, 5.674151142792799);
    expectClose(evaluate('binary_cross_entropy', 'sigmoid', [[0]], [[1]], 'mean').value, Math.LN2);
    const expectedSum = [-0.5, 0.8807970779778824, -0.23105857863000487, -0.04742587317756678, 0.6224593312018546, -0.23201379003790845];
    expectAllClose(evaluate('binary_cross_entropy', 'sigmoid', bceZ, bceY, 'sum').grad, expectedSum);
    expectAllClose(evaluate('binary_cross_entropy', 'sigmoid', bceZ, bceY, 'mean').grad, expectedSum.map((g) => g / 6));
  });

  it.each(LOSS_NAMES)("%s: backward is scale · ∂total/∂v (central differences), for both reductions", (name) => {
    const loss = losses[name];
    const rng = new Rng(5, LOSS_NAMES.indexOf(name));
    for (const [rows, cols] of [[1, 1], [1, 3], [4, 2], [5, 4]] as const) {
      const n = rows * cols;
      const v = Float64Array.from({ length: n }, () => rng.normal(0, 2));
      // Probability rows: valid targets for every current loss (values in [0, 1], each row summing to 1).
      const y = new Float64Array(n);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += y[r * cols + c] = rng.next();
        for (let c = 0; c < cols; c++) y[r * cols + c] /= s;
      }
      for (const reduction of REDUCTIONS) {
        const scale = reductionScale(loss, reduction, rows, cols);
        const d = new Float64Array(n).fill(NaN);
        loss.backward(v, y, d, rows, cols, reduction);
        const f = () => loss.total(v, y, rows, cols) * scale;
        const floor = errorFloor(f(), 1e-5);
        for (let i = 0; i < n; i++) expect(relativeError(d[i], centralDifference(f, v, i, 1e-5), floor)).toBeLessThan(1e-6);
      }
    }
  });
});

describe('numerical stability at extreme logits', () => {
  it('cross_entropy of logits [1000, −1000] is finite and exact: 2000 against [0, 1], 0 against [1, 0]', () => {
    const wrong = evaluate('cross_entropy', 'softmax', [[1000, -1000]], [[0, 1]], 'mean');
    expect(wrong.value).toBe(2000);
    expect(wrong.grad).toEqual([1, -1]);
    const right = evaluate('cross_entropy', 'softmax', [[1000, -1000]], [[1, 0]], 'mean');
    expect(right.value).toBe(0);
    expect(right.grad).toEqual([0, 0]);
    const half = evaluate('cross_entropy', 'softmax', [[1000, -1000]], [[0.5, 0.5]], 'sum');
    expect(half.value).toBe(1000);
    expect(half.grad).toEqual([0.5, -0.5]);
    const three = evaluate('cross_entropy', 'softmax', [[-1000, 1000, 0]], [[1, 0, 0]], 'mean');
    expect(three.value).toBe(2000);
    expect(three.grad).toEqual([-1, 1, 0]);
    for (const r of [wrong, right, half, three]) for (const g of [...r.dw, ...r.db]) expect(Number.isFinite(g)).toBe(true);
  });

  it('binary_cross_entropy of logits ±1000 is finite and exact', () => {
    // −log(1 − σ(1000)) = 1000 + log(1 + e^−1000) = 1000; −log σ(−1000) = 1000; −log σ(1000) = log(1 + e^−1000) ≈ 0;
    // against y = 0.3: 0.3·0 + 0.7·1000 = 700.
    const r = evaluate('binary_cross_entropy', 'sigmoid', [[1000, -1000, 1000, 1000, -1000]], [[0, 1, 1, 0.3, 0]], 'sum');
    expect(r.value).toBe(2700);
    expectAllClose(r.grad, [1, -1, 0, 0.7, 0]);
    for (const g of [...r.dw, ...r.db]) expect(Number.isFinite(g)).toBe(true);
    const m = evaluate('binary_cross_entropy', 'sigmoid', [[1000], [-1000]], [[0], [1]], 'mean');
    expect(m.value).toBe(1000);
    expect(m.grad).toEqual([0.5, -0.5]);
  });

  it('mse after a softmax of extreme logits is finite', () => {
    const r = evaluate('mse', 'softmax', [[1000, -1000, 0]], [[0, 1, 0]], 'mean');
    expect(r.value).toBeCloseTo(2 / 3, 15);
    for (const g of [...r.grad, ...r.dw, ...r.db]) expect(Number.isFinite(g)).toBe(true);
  });
});

describe('Evaluator: whole-set mean loss in chunks', () => {
  // 1200 rows (three chunks of at most 512) made of the hand-computed rows above repeated: the mean is unchanged.
  const repeat = (rows: number[][], times: number) => Array.from({ length: times }, () => rows).flat();

  it.each([
    ['cross_entropy', 'softmax', [[1, 2, 3], [0, 0, 0], [-1, 0.5, 2]], [[0, 0, 1], [0.5, 0.5, 0], [0.2, 0.3, 0.5]], 0.9325098499232157],
    ['binary_cross_entropy', 'sigmoid', [[0, 2], [-1, 3], [0.5, -4]], [[1, 0], [0.5, 1], [0, 0.25]], 0.9456918571321332],
    ['mse', 'linear', [[1, 2], [3, 4]], [[0, 2], [1, 1]], 3.5],
  ] as const)('%s over 1200 rows equals the mean of one copy', (lossName, activation, v, y, expected) => {
    const times = Math.ceil(1200 / v.length);
    const x = fromRows(repeat(v as unknown as number[][], times));
    const t = fromRows(repeat(y as unknown as number[][], times));
    const ev = new Evaluator(identityNet(v[0].length, activation));
    expectClose(ev.run(x, t, lossName), expected, 1e-12);
    expect(Number.isNaN(ev.run(x, null, lossName))).toBe(true);
    const out = ev.outputs(x);
    expect([out.rows, out.cols]).toEqual([x.rows, x.cols]);
  });

  it('outputs are the network outputs, row by row, across chunk boundaries', () => {
    const rng = new Rng(12);
    const rows = 1100;
    const x = fromRows(Array.from({ length: rows }, () => [rng.normal(), rng.normal()]));
    const out = new Evaluator(identityNet(2, 'sigmoid')).outputs(x);
    for (let i = 0; i < rows * 2; i += 97) expectClose(out.data[i], 1 / (1 + Math.exp(-x.data[i])), 1e-15);
    expectClose(out.data[rows * 2 - 1], 1 / (1 + Math.exp(-x.data[rows * 2 - 1])), 1e-15);
  });

  it('runs on a forwardOnly workspace: the outputs of a training one, no gradient arrays, backward refused', () => {
    const rng = new Rng(5);
    const net = createNetwork(3, [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }]);
    for (const l of net.layers) for (const p of [l.w, l.b]) for (let i = 0; i < p.length; i++) p[i] = rng.normal();
    const x = Float64Array.from({ length: 5 * 3 }, () => rng.normal());
    const y = Float64Array.from({ length: 5 * 2 }, (_, i) => i % 2);
    const full = createWorkspace(net, 5);
    const lean = createWorkspace(net, 5, undefined, true);
    expect(Array.from(forward(net, lean, x, 5))).toEqual(Array.from(forward(net, full, x, 5)));
    expect([...lean.dz, ...lean.da, ...lean.dw, ...lean.db].every((a) => a.length === 0)).toBe(true);
    expect(() => backward(net, lean, x, y, 5, 'cross_entropy', 'mean')).toThrow(/forwardOnly/);
    expect(() => backward(net, full, x, y, 5, 'cross_entropy', 'mean')).not.toThrow();
  });
});
