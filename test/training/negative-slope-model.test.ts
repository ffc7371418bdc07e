// A leaky_relu slope may be negative in an experiment (torch's negative_slope takes any number; gradcheck.test holds
// negative slopes): the model.json such a run writes must be readable by mlplab itself (loadModel, predict, export,
// model.init.from), with the slope it was trained with.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { experimentFromObject, loadModel, predict, trainExperiment } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mlplab-slope-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a model trained with a negative leaky_relu slope', () => {
  it('is read back from its model.json and predicts what the trained network outputs', () => {
    const exp = experimentFromObject({
      seed: 1,
      data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } },
      model: { layers: [{ units: 3, activation: 'leaky_relu', slope: -0.5 }, { units: 1, activation: 'linear' }] },
      loss: 'mse',
      training: { epochs: 5, batch_size: 2 },
    });
    const trained = trainExperiment(exp);
    const file = join(dir, 'model.json');
    writeFileSync(file, JSON.stringify(trained.model));
    const model = loadModel(file);
    expect(model.layers[0].slope).toBe(-0.5);
    expect(predict(model, [[0, 1]]).outputs).toEqual(predict(trained.model!, [[0, 1]]).outputs);
  });
});
