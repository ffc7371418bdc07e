// Dropout (inverted, after the activation, training only): the mask's statistics and scaling, the backward
// pass through a fixed mask against finite differences, and dropout off everywhere else (evaluation, the
// loss log's metrics, gradcheck, predict), seeded from its own stream; refused on the output layer, located.

import { describe, expect, it } from 'vitest';
import { experimentFromObject, predict, prepare, trainExperiment, UserErrors } from '../../src/index.js';
import { networkFromModel } from '../../src/files/modelfile.js';
import { fromRows, toRows } from '../../src/matrix.js';
import { Evaluator } from '../../src/model/evaluator.js';
import { initialize } from '../../src/model/init.js';
import { backward, createNetwork, createWorkspace, forward, lossOf, type LayerSpec } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { centralDifference, gradcheck } from '../../src/training/gradcheck.js';
import { parameters } from '../../src/training/train.js';

const specs: LayerSpec[] = [{ units: 6, activation: 'tanh' as const, dropout: 0.5 }, { units: 5, activation: 'relu' as const, dropout: 0.3 }, { units: 2, activation: 'softmax' as const }];
const x = fromRows([[0.5, -1], [1.5, 0.2], [-0.3, 0.8], [1, 1], [0.1, -0.4]]);
const y = fromRows([[1, 0], [0, 1], [0, 1], [1, 0], [1, 0]]);
const make = (s = specs) => {
  const net = createNetwork(2, s);
  initialize(net, { scheme: 'xavier_normal', gain: 1.5, bias: 0.1 }, new Rng(4));
  return net;
};

describe('the dropout mask', () => {
  it('zeroes about p of the outputs and scales the rest by exactly 1/(1 − p)', () => {
    const net = createNetwork(1, [{ units: 1000, activation: 'linear', dropout: 0.3 }, { units: 1, activation: 'linear' }]);
    net.layers[0].b.fill(1); // every activation is 1
    const ws = createWorkspace(net, 20);
    forward(net, ws, new Float64Array(20), 20, new Rng(1));
    const out = Array.from(ws.dropped[0]);
    const zeros = out.filter((v) => v === 0).length / out.length;
    expect(zeros).toBeGreaterThan(0.29); // 20 000 draws: the standard error of the fraction is 0.0032
    expect(zeros).toBeLessThan(0.31);
    expect(out.filter((v) => v !== 0).every((v) => v === 1 / 0.7)).toBe(true);
    expect(Array.from(ws.a[0]).every((v) => v === 1)).toBe(true); // the activation itself is kept for backward
  });

  it("draws one uniform per output, in order: output i is dropped when the stream's i-th value is below p", () => {
    const net = createNetwork(1, [{ units: 7, activation: 'linear', dropout: 0.4 }, { units: 1, activation: 'linear' }]);
    net.layers[0].b.fill(1);
    const ws = createWorkspace(net, 3);
    const stream = new Rng(5, 3);
    forward(net, ws, new Float64Array(3), 3, stream);
    forward(net, ws, new Float64Array(3), 3, stream); // the second batch continues the stream
    const draws = new Rng(5, 3);
    for (let i = 0; i < 21; i++) draws.next(); // the first batch's
    const expected = Array.from({ length: 21 }, () => (draws.next() < 0.4 ? 0 : 1 / 0.6));
    expect(Array.from(ws.mask[0])).toEqual(expected);
    expect(Array.from(ws.dropped[0])).toEqual(expected);
  });
});

describe('backward through dropout', () => {
  it('agrees with finite differences of the loss under the same (re-drawn, identical) mask', () => {
    const net = make();
    const ws = createWorkspace(net, x.rows);
    const loss = () => (forward(net, ws, x.data, x.rows, new Rng(9)), lossOf(net, ws, y.data, x.rows, 'cross_entropy', 'mean'));
    const params = parameters(net, ws.dw, ws.db);
    const numeric = params.map((p) => Array.from(p.value, (_, i) => centralDifference(loss, p.value, i, 1e-6)));
    loss();
    expect(Array.from(ws.mask[0]).some((m) => m === 0)).toBe(true);
    backward(net, ws, x.data, y.data, x.rows, 'cross_entropy', 'mean');
    params.forEach((p, k) => p.grad.forEach((g, i) => expect(Math.abs(g - numeric[k][i]) / Math.max(1e-3, Math.abs(g)), `array ${k} index ${i}`).toBeLessThan(1e-6)));
  });
});

describe('dropout off outside training', () => {
  it('evaluation and gradcheck give exactly what the same network without dropout gives', () => {
    const withDrop = make();
    const plain = make(specs.map(({ units, activation }) => ({ units, activation })));
    expect(Array.from(new Evaluator(withDrop).outputs(x).data)).toEqual(Array.from(new Evaluator(plain).outputs(x).data));
    const checks = gradcheck(withDrop, x, y, 'cross_entropy', 'mean');
    expect(checks).toEqual(gradcheck(plain, x, y, 'cross_entropy', 'mean'));
  });

  const exp = (dropout: number, seed = 1) =>
    experimentFromObject({
      seed,
      data: { generate: { kind: 'moons', samples: 80 }, split: { test: 0.25 } },
      model: { layers: [{ units: 16, activation: 'relu', dropout }, { units: 2, activation: 'softmax' }] },
      loss: 'cross_entropy',
      training: { epochs: 10, batch_size: 8, optimizer: { type: 'adam', learning_rate: 0.02 } },
    });

  it('in a run: the logged metrics and predict are the dropout-free network\'s; the seed reproduces it', () => {
    const run = trainExperiment(exp(0.5));
    const data = exp(0.5);
    expect(trainExperiment(data).model).toEqual(run.model);
    expect(trainExperiment(exp(0)).model).not.toEqual(run.model); // dropout did change training
    const train = prepare(data).data.train;
    const net = networkFromModel(run.model!);
    expect(new Evaluator(net).run(train.x, train.y, 'cross_entropy')).toBe(run.final.train_loss);
    expect(Array.from(predict(run.model!, toRows(train.x)).outputs.data)).toEqual(Array.from(new Evaluator(net).outputs(train.x).data));
    expect(run.rows[0]).toEqual(trainExperiment(exp(0)).rows[0]); // epoch 0: same init (its own stream), no dropout in metrics
  });

  it('is refused on the output layer, located at the key', () => {
    try {
      experimentFromObject({
        data: { generate: { kind: 'moons' } },
        model: { layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax', dropout: 0.2 }] },
        loss: 'cross_entropy',
      });
      expect.unreachable();
    } catch (e) {
      expect((e as UserErrors).errors.map((x) => x.format())[0]).toMatch(/^model\.layers\[1\]\.dropout: dropout is for hidden layers only/);
    }
  });
});
