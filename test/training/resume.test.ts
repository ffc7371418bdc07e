// Resuming training from the end of an epoch (TrainSteps.saveState, TrainLoopOptions.resume): for every optimizer
// (with its momentum, centring, decay and step-count settings), every schedule, shuffling and dropout, a run
// stopped after epoch k and continued from its saved state, in fresh objects, ends with the same weights, bit for
// bit, as the run that was never stopped, for every k; and early stopping's and the random streams' states.
import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../../src/matrix.js';
import { initialize } from '../../src/model/init.js';
import { cloneNetwork, createNetwork, type Network } from '../../src/model/network.js';
import { Rng } from '../../src/random.js';
import { EarlyStopping } from '../../src/training/early-stopping.js';
import type { OptimizerConfig } from '../../src/training/optimizers/index.js';
import { createSchedule, type ScheduleConfig } from '../../src/training/schedules/index.js';
import { trainSteps, type ResumableSteps, type TrainState } from '../../src/training/train.js';

const EPOCHS = 7;
const rng = new Rng(11);
const X: Matrix = fromRows(Array.from({ length: 23 }, () => [rng.normal(), rng.normal(), rng.normal()]));
const Y: Matrix = fromRows(Array.from({ length: 23 }, (_, r) => (X.data[r * 3] * X.data[r * 3 + 1] > 0 ? [1, 0] : [0, 1])));

const OPTIMIZERS: OptimizerConfig[] = [
  { type: 'sgd', learning_rate: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 },
  { type: 'adam', learning_rate: 0.01 },
  { type: 'adam', learning_rate: 0.01, weight_decay: 0.001 },
  { type: 'adamw', learning_rate: 0.01, weight_decay: 0.1 },
  { type: 'rmsprop', learning_rate: 0.01, momentum: 0.5, centered: true },
  { type: 'adagrad', learning_rate: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1 },
];
const SCHEDULES: ScheduleConfig[] = [
  { type: 'constant' },
  { type: 'step', step_size: 2, gamma: 0.5 },
  { type: 'exponential', gamma: 0.9 },
  { type: 'cosine', t_max: 3, eta_min: 0.001 },
  { type: 'plateau', patience: 1, factor: 0.5, cooldown: 1 },
];
/** The metric a plateau schedule reads after each epoch: improves, stalls, improves. */
const metric = (epoch: number) => [1, 0.9, 0.95, 0.97, 0.6, 0.7, 0.8, 0.9][epoch];

function network(): Network {
  const net = createNetwork(3, [{ units: 5, activation: 'tanh', dropout: 0.2 }, { units: 2, activation: 'softmax' }]);
  initialize(net, { scheme: 'xavier_uniform' }, new Rng(3));
  return net;
}

const bits = (net: Network) => net.layers.flatMap((l) => [...new Uint32Array(Float64Array.from(l.w).buffer), ...new Uint32Array(Float64Array.from(l.b).buffer)]);

/**
 * Trains `net` to EPOCHS from `from` (a saved state and the schedule's, or nothing: from the start), stopping
 * after epoch `stopAt` with the state then; returns the learning rates used and that state.
 */
function run(net: Network, optimizer: OptimizerConfig, schedule: ScheduleConfig, stopAt: number, from?: { train: TrainState; schedule: Record<string, number> }) {
  const sched = createSchedule(schedule, optimizer.learning_rate);
  if (from) sched.loadState(structuredClone(from.schedule));
  const rates: number[] = [];
  let saved: { train: TrainState; schedule: Record<string, number> } | undefined;
  let steps: ResumableSteps | undefined = undefined;
  steps = trainSteps(net, X, Y, {
    epochs: EPOCHS, batchSize: 5, shuffle: true, loss: 'cross_entropy', reduction: 'mean', optimizer,
    rng: Rng.stream(1, 'shuffle'), dropoutRng: Rng.stream(1, 'dropout'),
    resume: from ? structuredClone(from.train) : undefined,
    onEpoch(epoch, _steps, opt) {
      opt.learningRate = sched.step(metric(epoch));
      rates.push(opt.learningRate);
      if (epoch !== stopAt) return true;
      saved = { train: steps!.saveState(), schedule: sched.saveState() };
      return false;
    },
  });
  for (;;) if (steps.next(false).done) break;
  return { rates, saved };
}

describe('resuming training from the end of an epoch', () => {
  for (const optimizer of OPTIMIZERS) {
    it(`${JSON.stringify(optimizer)}: stopped after any epoch and resumed, every schedule, the same bits`, () => {
      for (const schedule of SCHEDULES) {
        const whole = network();
        const { rates } = run(whole, optimizer, schedule, -1);
        for (let k = 1; k < EPOCHS; k++) {
          const first = network();
          const stopped = run(first, optimizer, schedule, k);
          const resumed = cloneNetwork(first); // a fresh network holding the weights at the checkpoint
          const rest = run(resumed, optimizer, schedule, -1, stopped.saved);
          const label = `${schedule.type}, stopped after epoch ${k}`;
          expect([...stopped.rates, ...rest.rates], label).toEqual(rates);
          expect(bits(resumed), label).toEqual(bits(whole));
        }
      }
    });
  }

  it('a resumed run with a wrong state is caught: without the optimizer state the weights differ', () => {
    const optimizer: OptimizerConfig = { type: 'adam', learning_rate: 0.01 };
    const whole = network();
    run(whole, optimizer, SCHEDULES[0], -1);
    const first = network();
    const { saved } = run(first, optimizer, SCHEDULES[0], 3);
    const zeroed = structuredClone(saved!);
    zeroed.train.optimizer.buffers.forEach((list) => list.forEach((a) => a.fill(0)));
    const resumed = cloneNetwork(first);
    run(resumed, optimizer, SCHEDULES[0], -1, zeroed);
    expect(bits(resumed)).not.toEqual(bits(whole));
  });

  it('refuses a state of another shape, and saveState between epochs', () => {
    const optimizer: OptimizerConfig = { type: 'sgd', learning_rate: 0.1, momentum: 0.9 };
    const { saved } = run(network(), optimizer, SCHEDULES[0], 2);
    const other = createNetwork(3, [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }]);
    const opts = { epochs: 3, batchSize: 5, shuffle: true, loss: 'cross_entropy' as const, reduction: 'mean' as const, optimizer, rng: new Rng(1) };
    expect(() => trainSteps(other, X, Y, { ...opts, resume: saved!.train })).toThrow(/loadState: buffers of shapes 15,5,10,2, expected 12,4,8,2/);
    const steps = trainSteps(network(), X, Y, { ...opts, dropoutRng: new Rng(2) });
    steps.next(false);
    expect(() => steps.saveState()).toThrow(/only at the end of an epoch/);
  });

  it("early stopping's and a random stream's state carry on where they were", () => {
    const values = [0.5, 0.4, 0.45, 0.41, 0.39, 0.5, 0.6, 0.7];
    const whole = new EarlyStopping('validation_loss', 2, 0.01);
    const verdicts = values.map((v, e) => whole.update(e + 1, v));
    const first = new EarlyStopping('validation_loss', 2, 0.01);
    const before = values.slice(0, 3).map((v, e) => first.update(e + 1, v));
    const second = new EarlyStopping('validation_loss', 2, 0.01);
    second.loadState(structuredClone(first.saveState()));
    expect([...before, ...values.slice(3).map((v, e) => second.update(e + 4, v))]).toEqual(verdicts);
    expect(second.saveState()).toEqual(whole.saveState());

    const a = new Rng(7);
    a.normal(); // keeps a spare normal value
    const b = new Rng(0);
    b.loadState(structuredClone(a.saveState()));
    expect([b.normal(), b.next(), b.int(10)]).toEqual([a.normal(), a.next(), a.int(10)]);
  });
});
