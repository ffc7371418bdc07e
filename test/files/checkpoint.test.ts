// Checkpoint files (mlplab.checkpoint/v1): written and read back bit for bit (-0, NaN, ±Infinity included), so a
// run resumed from the file ends with the weights of the run never stopped; a truncated, foreign or malformed file
// and a checkpoint of another configuration or other data are refused with a sentence naming the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCheckpointFits, checkpointText, parseCheckpoint, readCheckpoint, type Checkpoint } from '../../src/files/checkpoint.js';
import { writeFileAtomically } from '../../src/files/outputs.js';
import { fromRows } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import { cloneNetwork, createNetwork, type Network } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import type { OptimizerConfig } from '../../src/training/optimizers/index.js';
import { trainSteps, type ResumableSteps, type TrainState } from '../../src/training/train.js';
import { userError } from '../data/helpers.js';

/** The user error f throws, as the CLI prints it (file, place, sentence). */
const formattedError = (f: () => unknown): string => userError(f).format();

const rng = new Rng(4);
const X = fromRows(Array.from({ length: 17 }, () => [rng.normal(), rng.normal()]));
const Y = fromRows(Array.from({ length: 17 }, (_, r) => [Math.sin(X.data[r * 2]) + X.data[r * 2 + 1]]));
const OPTIMIZER: OptimizerConfig = { type: 'adam', learning_rate: 0.02 };
const dir = mkdtempSync(join(tmpdir(), 'mlplab-checkpoint-'));

function network(): Network {
  const net = createNetwork(2, [{ units: 4, activation: 'relu', dropout: 0.25 }, { units: 1, activation: 'linear' }]);
  initialize(net, { scheme: 'he_uniform' }, new Rng(9));
  return net;
}

/** Trains to 6 epochs, or stops after `stopAt` with the state then; from a state when given. */
function train(net: Network, stopAt: number, resume?: TrainState): TrainState | undefined {
  let saved: TrainState | undefined;
  let steps: ResumableSteps | undefined = undefined;
  steps = trainSteps(net, X, Y, {
    epochs: 6, batchSize: 4, shuffle: true, loss: 'mse', reduction: 'mean', optimizer: OPTIMIZER,
    rng: Rng.stream(2, 'shuffle'), dropoutRng: Rng.stream(2, 'dropout'), resume,
    onEpoch: (epoch) => (epoch === stopAt ? ((saved = steps!.saveState()), false) : true),
  });
  while (!steps.next(false).done);
  return saved;
}

const weightsOf = (net: Network) => net.layers.flatMap((l) => [Float64Array.from(l.w), Float64Array.from(l.b)]);
const bytes = (arrays: Float64Array[]) => arrays.map((a) => Buffer.from(a.buffer).toString('hex'));

function checkpoint(): { cp: Checkpoint; net: Network } {
  const net = network();
  const train0 = train(net, 3)!;
  const odd = Float64Array.of(-0, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308);
  const cp: Checkpoint = {
    configSha256: 'a'.repeat(64),
    dataSha256: 'b'.repeat(64),
    weights: weightsOf(net),
    train: train0,
    schedule: { best: Infinity, bad: 2, cooling: 0, lr: 0.005 },
    earlyStopping: { best: -0, bestEpoch: 2, wait: 1, bestWeights: [odd, Float64Array.of(1, 2)] },
    logBytes: 1234,
  };
  return { cp, net };
}

describe('checkpoint files', () => {
  it('read back bit for bit, -0, NaN and ±Infinity included', () => {
    const { cp } = checkpoint();
    const file = join(dir, 'round.json');
    writeFileAtomically(file, checkpointText(cp)); // as runner/checkpoints.ts writes it
    const back = readCheckpoint(file);
    expect(bytes(back.weights)).toEqual(bytes(cp.weights));
    expect(bytes(back.earlyStopping!.bestWeights!)).toEqual(bytes(cp.earlyStopping!.bestWeights!));
    expect(Object.is(back.earlyStopping!.best, -0)).toBe(true);
    expect(back.schedule).toEqual(cp.schedule);
    expect(back.train.optimizer.buffers.map(bytes)).toEqual(cp.train.optimizer.buffers.map(bytes));
    expect({ ...back.train, optimizer: undefined }).toEqual({ ...cp.train, optimizer: undefined });
    expect(checkpointText(back)).toBe(readFileSync(file, 'utf8'));
  });

  it('a run resumed from the file ends with the weights of the run never stopped', () => {
    const whole = network();
    train(whole, -1);
    const { cp, net } = checkpoint();
    const back = parseCheckpoint(checkpointText(cp), 'cp.json');
    const resumed = cloneNetwork(net);
    resumed.layers.forEach((l, k) => (l.w.set(back.weights[2 * k]), l.b.set(back.weights[2 * k + 1])));
    train(resumed, -1, back.train);
    expect(bytes(weightsOf(resumed))).toEqual(bytes(weightsOf(whole)));
  });

  it('refuses a truncated, foreign or malformed file with a sentence naming the file', () => {
    const text = checkpointText(checkpoint().cp);
    for (const cut of [0, 1, 40, Math.floor(text.length / 2), text.length - 3]) {
      expect(formattedError(() => parseCheckpoint(text.slice(0, cut), 'cp.json'))).toMatch(/^cp\.json: not a complete checkpoint: the file is not valid JSON .*; it may have been cut short$/);
    }
    const json = JSON.parse(text);
    const cases: [unknown, RegExp][] = [
      [{ format: 'mlplab.model/v1', layers: [] }, /^cp\.json: not an mlplab checkpoint: expected format "mlplab\.checkpoint\/v1", found a file of format "mlplab\.model\/v1"$/],
      [[1, 2], /not an mlplab checkpoint: expected format "mlplab\.checkpoint\/v1", found \[1,2\]/],
      [{ ...json, epoch: -1 }, /^cp\.json: epoch: not a valid mlplab\.checkpoint\/v1 file: \/epoch must be >= 0$/],
      [{ ...json, log_bytes: undefined }, /not a valid mlplab\.checkpoint\/v1 file: the top level must have required property 'log_bytes'/],
      [{ ...json, weights: ['AAAA'] }, /^cp\.json: weights\.0: not a valid mlplab\.checkpoint\/v1 file: weights\.0 is not whole float64 values in base64$/],
      [{ ...json, order: 'AAA=' }, /order is not whole int32 values in base64/],
    ];
    for (const [value, message] of cases) expect(formattedError(() => parseCheckpoint(JSON.stringify(value), 'cp.json'))).toMatch(message);
    expect(formattedError(() => readCheckpoint(join(dir, 'none.json')))).toMatch(/none\.json: cannot read the checkpoint: no such file/);
    // a path through a file: the reason in words, as a model file's (it printed Node's "ENOTDIR: not a directory, open …")
    writeFileSync(join(dir, 'afile'), 'x');
    expect(formattedError(() => readCheckpoint(join(dir, 'afile', 'cp.json')))).toMatch(/afile\/cp\.json: cannot read the checkpoint: a part of the path is a file, not a folder \(ENOTDIR\)$/);
  });

  it('refuses a checkpoint of another configuration or of other data', () => {
    const { cp } = checkpoint();
    expect(() => checkCheckpointFits(cp, { configSha256: 'a'.repeat(64), dataSha256: 'b'.repeat(64) }, 'cp.json')).not.toThrow();
    expect(formattedError(() => checkCheckpointFits(cp, { configSha256: 'c'.repeat(64), dataSha256: 'b'.repeat(64) }, 'cp.json'))).toMatch(
      /^cp\.json: cannot resume from this checkpoint: the configuration changed since it was written \(config\.json's SHA-256 was aaaaaaaaaaaa…, is cccccccccccc…\); run without --resume to start again$/,
    );
    expect(formattedError(() => checkCheckpointFits(cp, { configSha256: 'a'.repeat(64), dataSha256: 'd'.repeat(64) }, 'cp.json'))).toMatch(/the data file changed since it was written \(its SHA-256 was bbbbbbbbbbbb…, is dddddddddddd…\)/);
    // what changed is named by the run's inputs: an init.from model alone was said to be "the data"
    const fits = (inputKeys: string[]) => formattedError(() => checkCheckpointFits(cp, { configSha256: 'a'.repeat(64), dataSha256: 'd'.repeat(64), inputKeys }, 'cp.json'));
    expect(fits(['model.init.from'])).toMatch(/the init\.from model changed since it was written \(its SHA-256 was/);
    expect(fits(['data.csv.path', 'model.init.from'])).toMatch(/the data file or the init\.from model changed since it was written \(their SHA-256 together was/);
    expect(fits([])).toMatch(/the data changed since it was written \(its SHA-256 was/);
  });
});
