// A checkpoint whose arrays fit the run but whose state does not (a damaged or hand-edited file, its configuration
// and data digests still those of the run): --resume refuses it with a sentence naming the file, exit 1, nothing
// written, its interrupted folder kept. It was an internal error (a RangeError from the schedule's or optimizer's
// loadState, exit 3 with a stack trace), or, for an epoch past the run's last, a "completed" run of 1000 of 10 epochs;
// a state left out (the dropout stream, early stopping's, the best weights) was started afresh, and a shuffle stream of
// four zeros drew zeros for ever, exit 0; a learning rate of NaN or −1 trained until it diverged, the message blaming
// the configured training.optimizer.learning_rate (exit 4).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from '../helpers/cli.js';
import { runPlan } from './resume-helpers.js';

const tempDir = tempDirs('mlplab-checkpoint-state');

/**
 * A run with dropout, momentum, a step schedule and early stopping that restores the best weights (a random stream,
 * a buffer list, a schedule state, early stopping's state and best weights), interrupted after its checkpoint of epoch 2.
 */
async function interrupted() {
  const dir = tempDir();
  const file = join(dir, 'ck.yaml');
  writeFileSync(
    file,
    `name: ck\nseed: 2\ndata: { generate: { kind: spirals, samples: 200, classes: 3 } }\n` +
      `model: { layers: [{ units: 32, activation: tanh, dropout: 0.1 }, { units: 3, activation: softmax }] }\nloss: cross_entropy\n` +
      `training: { epochs: 10, batch_size: 20, checkpoint: { every: 2 }, optimizer: { type: sgd, learning_rate: 0.1, momentum: 0.9 }, schedule: { type: step, step_size: 3 },\n` +
      `  early_stopping: { monitor: train_loss, patience: 50, restore_best: true } }\n`,
  );
  const out = join(dir, 'out');
  expect(await runPlan(file, out, { stopAfter: 3 })).toEqual(['interrupted']);
  return { file, out, cp: join(out, 'ck.interrupted', 'checkpoint.json') };
}

describe('--resume from a checkpoint whose state does not fit the run', () => {
  const cases: [string, (j: Record<string, any>) => void, RegExp][] = [
    ['a schedule state without its values', (j) => void (j.schedule = {}), /: not a checkpoint this run can continue: the schedule state has no number "\w+": \{\}$/],
    ['no optimizer buffers (momentum keeps one list)', (j) => void (j.optimizer.buffers = []), /: not a checkpoint this run can continue: buffers of shapes , expected [\d,;]+$/],
    // Left out, each was taken as a fresh start of its part: other dropout masks, early stopping from scratch, and
    // restore_best's weights all zero (model.json's, when the best epoch came before the checkpoint): exit 0.
    ['no dropout stream (the network has dropout)', (j) => void delete j.dropout, /: not a checkpoint this run can continue: no state of the dropout stream, which this network's dropout draws from$/],
    ['no early stopping state (the run stops early)', (j) => void delete j.early_stopping, /: not a checkpoint this run can continue: no state of early stopping, which training.early_stopping keeps$/],
    ['no best weights (restore_best)', (j) => void delete j.early_stopping.best_weights, /: not a checkpoint this run can continue: no best weights, which early stopping's restore_best keeps$/],
    ['a shuffle stream of four zeros (drawing zeros for ever)', (j) => void (j.shuffle.words = [0, 0, 0, 0]), /: not a checkpoint this run can continue: expected four 32-bit words not all 0 \(a state xoshiro128\*\* never reaches\), got \[0,0,0,0\]$/],
    ['a learning rate of NaN', (j) => void (j.optimizer.learning_rate = 'NaN'), /: not a checkpoint this run can continue: expected a learning rate of 0 or more, found NaN$/],
    ['a negative learning rate', (j) => void (j.optimizer.learning_rate = -1), /: not a checkpoint this run can continue: expected a learning rate of 0 or more, found -1$/],
    ['epochs waited at patience or more (the run would have stopped)', (j) => void (j.early_stopping.wait = 50), /: not a checkpoint this run can continue: expected the epochs waited to be a whole number from 0 to 49 \(patience 50\), found 50$/],
    ['a best epoch after the checkpoint\'s', (j) => void (j.early_stopping.best_epoch = 7), /: not a checkpoint this run can continue: expected the best epoch to be a whole number from 0 to \d \(the checkpoint's epoch\), found 7$/],
    ['a best value that is not a number', (j) => void (j.early_stopping.best = 'NaN'), /: not a checkpoint this run can continue: expected the best value to be a number, found NaN$/],
    ['an epoch past the run\'s last', (j) => void (j.epoch = 1000), /: epoch: not a checkpoint of this run: it is of epoch 1000, but the run trains 10 epochs \(a checkpoint is written after epochs 1 to 9, never after the last\)$/],
  ];
  for (const [name, damage, message] of cases) {
    it(`${name}: refused, naming the file; nothing written, the interrupted run kept`, async () => {
      const { file, out, cp } = await interrupted();
      const j = JSON.parse(readFileSync(cp, 'utf8'));
      damage(j);
      writeFileSync(cp, JSON.stringify(j));
      const r = await cli('run', file, '--out', out, '--resume', '-q');
      expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^${cp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${message.source}`));
      expect(r.stderr).not.toMatch(/internal error|at /);
      expect(r.code).toBe(1);
      expect(readdirSync(out).sort()).toEqual(['ck.interrupted']);
      expect(existsSync(cp)).toBe(true);
    });
  }
});
