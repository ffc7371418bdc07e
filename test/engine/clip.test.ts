// Gradient clipping (torch.nn.utils.clip_grad_norm_): values by hand, and on a network the clipped analytic
// gradient against the finite-difference gradient rescaled independently here: g·maxNorm / (‖g‖₂ + 1e-6).
// Finite differences cannot check the clipping itself (it is not a derivative); they check what it rescales.

import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/model/init.js';
import { backward, createNetwork, createWorkspace, forward, lossOf } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { clipGradNorm } from '../../src/training/clip.js';
import { centralDifference } from '../../src/training/gradcheck.js';
import { parameters, train } from '../../src/training/train.js';
import { fromRows } from '../../src/matrix.js';

const param = (grad: number[]) => ({ value: new Float64Array(grad.length), grad: Float64Array.from(grad), decay: true });

describe('clipGradNorm', () => {
  it('by hand: arrays (3, 4) and (12) have norms 5 and 12, together 13; max 6.5 scales by 6.5/(13 + 1e-6)', () => {
    const ps = [param([3, 4]), param([12])];
    expect(clipGradNorm(ps, 6.5)).toBe(13);
    const c = 6.5 / (13 + 1e-6);
    expect(Array.from(ps[0].grad)).toEqual([3 * c, 4 * c]);
    expect(Array.from(ps[1].grad)).toEqual([12 * c]);
  });
  it('leaves gradients within the norm bit-identical', () => {
    const ps = [param([0.3, -0.4]), param([1.2])];
    expect(clipGradNorm(ps, 1.3 + 1e-5)).toBeCloseTo(1.3, 15);
    expect(Array.from(ps[0].grad)).toEqual([0.3, -0.4]);
    expect(Array.from(ps[1].grad)).toEqual([1.2]);
  });
});

describe('clipping in a network', () => {
  const x = fromRows([[0.5, -1], [1.5, 0.2], [-0.3, 0.8], [1, 1]]);
  const y = fromRows([[1, 0], [0, 1], [0, 1], [1, 0]]);
  const make = () => {
    const net = createNetwork(2, [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }]);
    initialize(net, { scheme: 'xavier_normal', gain: 3 }, new Rng(5));
    return net;
  };

  it('the clipped analytic gradient equals the finite-difference gradient rescaled to the norm', () => {
    const net = make();
    const ws = createWorkspace(net, x.rows);
    const loss = () => (forward(net, ws, x.data, x.rows), lossOf(net, ws, y.data, x.rows, 'cross_entropy', 'mean'));
    const params = parameters(net, ws.dw, ws.db);
    const numeric = params.map((p) => Array.from(p.value, (_, i) => centralDifference(loss, p.value, i, 1e-5)));
    loss();
    backward(net, ws, x.data, y.data, x.rows, 'cross_entropy', 'mean');
    const norm = Math.sqrt(numeric.flat().reduce((s, g) => s + g * g, 0));
    const maxNorm = norm / 4;
    clipGradNorm(params, maxNorm);
    const expected = numeric.map((g) => g.map((v) => (v * maxNorm) / (norm + 1e-6)));
    params.forEach((p, k) => p.grad.forEach((g, i) => expect(Math.abs(g - expected[k][i]), `array ${k}, index ${i}`).toBeLessThan(1e-8)));
    const clippedNorm = Math.sqrt(params.reduce((s, p) => s + p.grad.reduce((t, g) => t + g * g, 0), 0));
    expect(clippedNorm).toBeCloseTo(maxNorm, 6);
  });

  it('in train(): a bound above every gradient changes nothing; a small one changes the weights', () => {
    const opts = { epochs: 5, batchSize: 2 as const, shuffle: true, loss: 'cross_entropy' as const, reduction: 'mean' as const, optimizer: { type: 'sgd' as const, learning_rate: 0.5 } };
    const weights = (clip: number | null) => {
      const net = make();
      train(net, x, y, { ...opts, clipGradNorm: clip, rng: new Rng(1) });
      return net.layers.map((l) => [Array.from(l.w), Array.from(l.b)]);
    };
    expect(weights(1e9)).toEqual(weights(null));
    expect(weights(0.01)).not.toEqual(weights(null));
  });
});
