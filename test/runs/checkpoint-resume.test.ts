// Checkpoints and exact resume (training.checkpoint, `mlplab run --resume`; runner/checkpoints.ts): for every
// optimizer, a step and a plateau schedule, dropout, and early stopping that restores the best weights, a run
// interrupted at a batch boundary after a checkpoint and resumed writes loss.csv and model.json byte for byte as
// the run never interrupted; serially, each of them again in --jobs 2 workers, and a sweep under --jobs 2. The
// interrupted folder keeps the checkpoint; the resumed run's completed folder supersedes it. A changed configuration or data file, or a
// truncated checkpoint, is refused with a sentence before anything runs; without training.checkpoint nothing is
// written and --resume starts again. A process killed outright (SIGKILL) after a checkpoint resumes from the one in
// the staging folder it left.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlan, runPlans } from '../../src/index.js';
import { cli, tempDirs } from '../helpers/cli.js';
import { runPlan as run } from './resume-helpers.js';

const tempDir = tempDirs('mlplab-checkpoint');

/**
 * Spirals (120 training rows, batches of 32: 4 updates an epoch) through 32 tanh units with dropout and 32 relu
 * units: enough work per batch that the training loop pauses (and asks for an interrupt) about once an epoch.
 */
function experiment(training: string, extra = '', dir = tempDir(), name = 'ck', samples = 200): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}\nseed: 5\ndata:\n  generate: { kind: spirals, samples: ${samples}, classes: 3, noise: 0.1 }\n  split: { test: 0.2, validation: 0.2 }\n` +
      `model:\n  layers:\n    - { units: 32, activation: tanh, dropout: 0.2 }\n    - { units: 32, activation: relu }\n    - { units: 3, activation: softmax }\n` +
      `loss: cross_entropy\nlog: { every: 2 }\ntraining:\n  batch_size: 32\n${training}${extra}`,
  );
  return file;
}

const CASES: { name: string; training: string; stopAfter: number }[] = [
  { name: 'sgd with nesterov momentum, step schedule', training: '  epochs: 16\n  checkpoint: { every: 3 }\n  optimizer: { type: sgd, learning_rate: 0.1, momentum: 0.9, nesterov: true }\n  schedule: { type: step, step_size: 4, gamma: 0.5 }\n', stopAfter: 7 },
  { name: 'adam, plateau schedule', training: '  epochs: 16\n  checkpoint: { every: 2 }\n  optimizer: { type: adam, learning_rate: 0.02 }\n  schedule: { type: plateau, patience: 1, factor: 0.5 }\n', stopAfter: 9 },
  { name: 'adamw', training: '  epochs: 12\n  checkpoint: { every: 4 }\n  optimizer: { type: adamw, learning_rate: 0.01, weight_decay: 0.05 }\n', stopAfter: 5 },
  { name: 'rmsprop, centred with momentum', training: '  epochs: 12\n  checkpoint: { every: 1 }\n  optimizer: { type: rmsprop, learning_rate: 0.005, momentum: 0.5, centered: true }\n', stopAfter: 4 },
  { name: 'adagrad', training: '  epochs: 12\n  checkpoint: { every: 3 }\n  optimizer: { type: adagrad, learning_rate: 0.1 }\n', stopAfter: 6 },
  {
    name: 'adam, early stopping with restore_best',
    training: '  epochs: 60\n  checkpoint: { every: 5 }\n  optimizer: { type: adam, learning_rate: 0.08 }\n  early_stopping: { monitor: validation_loss, patience: 6, restore_best: true }\n',
    stopAfter: 15, // after the checkpoint of epoch 15, which holds the best weights (epoch 12) and 3 epochs of waiting
  },
];

const read = (dir: string, file: string) => readFileSync(join(dir, file));

describe('a run interrupted after a checkpoint and resumed writes the files of the run never interrupted', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const file = experiment(c.training);
      const whole = tempDir();
      const broken = tempDir();
      expect(await run(file, whole)).toEqual(['completed']);
      expect(await run(file, broken, { stopAfter: c.stopAfter })).toEqual(['interrupted']);
      const interrupted = join(broken, 'ck.interrupted');
      expect(readdirSync(interrupted)).toContain('checkpoint.json');
      const cp = JSON.parse(read(interrupted, 'checkpoint.json').toString());
      expect(cp.epoch).toBeGreaterThan(0);
      expect(cp.epoch).toBeLessThanOrEqual(c.stopAfter + 1);
      const interruptedRun = JSON.parse(read(interrupted, 'run.json').toString());
      expect(interruptedRun.epochs_done).toBeGreaterThanOrEqual(cp.epoch); // the log went on past the checkpoint
      expect(await run(file, broken, { resume: true })).toEqual(['completed']);
      const [a, b] = [join(whole, 'ck'), join(broken, 'ck')];
      expect(read(b, 'loss.csv').equals(read(a, 'loss.csv'))).toBe(true);
      expect(read(b, 'model.json').equals(read(a, 'model.json'))).toBe(true);
      expect(read(b, 'config.json').equals(read(a, 'config.json'))).toBe(true);
      expect(read(b, 'loss.svg').equals(read(a, 'loss.svg'))).toBe(true); // its rows: those of the log resumed, then the new
      const [ra, rb] = [a, b].map((d) => JSON.parse(read(d, 'run.json').toString()));
      for (const key of ['final', 'stopping', 'steps', 'epochs', 'config_sha256']) expect(rb[key], key).toEqual(ra[key]);
      expect(existsSync(interrupted)).toBe(false); // superseded by the completed run
      expect(readdirSync(b)).not.toContain('checkpoint.json');
    });
  }

  it('interrupted after any epoch (checkpoints every epoch, dropout, step schedule): the same bytes', async () => {
    const file = experiment('  epochs: 8\n  checkpoint: { every: 1 }\n  optimizer: { type: sgd, learning_rate: 0.1, momentum: 0.9 }\n  schedule: { type: step, step_size: 3, gamma: 0.5 }\n');
    const whole = tempDir();
    await run(file, whole);
    for (let k = 1; k < 8; k++) {
      const broken = tempDir();
      const status = await run(file, broken, { stopAfter: k });
      if (status[0] === 'interrupted') await run(file, broken, { resume: true });
      expect(read(join(broken, 'ck'), 'loss.csv').equals(read(join(whole, 'ck'), 'loss.csv')), `after epoch ${k}`).toBe(true);
      expect(read(join(broken, 'ck'), 'model.json').equals(read(join(whole, 'ck'), 'model.json')), `after epoch ${k}`).toBe(true);
    }
  });
});

describe('under --jobs 2', () => {
  it('every case above (each file a run, 600 training rows), interrupted after a checkpoint and resumed in workers: the files of the serial runs', async () => {
    const dir = tempDir();
    const files = CASES.map((c, k) => experiment(c.training, '', dir, `c${k}`, 1000));
    const plans = () => files.map((f) => loadPlan(f));
    const whole = tempDir();
    await runPlans(plans(), { out: whole });
    const broken = tempDir();
    // Each round resumes what it can and is interrupted (the pool asks every 15 ms) once every run under way that was
    // not interrupted yet has a checkpoint in its staging folder: they stop (two a round), the rest wait for the next.
    const stopped = new Set<string>();
    const fresh = () => {
      const staged = readdirSync(broken).filter((d) => /^\.c\d\.partial-/.test(d) && !stopped.has(d.split('.')[1]));
      return staged.length > 0 && staged.every((d) => existsSync(join(broken, d, 'checkpoint.json')));
    };
    let resumed = 0;
    for (let round = 0; round < 20 && CASES.some((_, k) => !existsSync(join(broken, `c${k}`))); round++) {
      resumed += readdirSync(broken).filter((d) => d.endsWith('.interrupted') && existsSync(join(broken, d, 'checkpoint.json'))).length;
      for (const f of await runPlans(plans(), { out: broken, jobs: 2, resume: true, interrupt: () => (existsSync(broken) && fresh() ? 'SIGINT' : undefined) })) {
        if (!('error' in f) && f.run.status === 'interrupted' && f.checkpointEpoch !== undefined) stopped.add(f.task.plan.name);
      }
    }
    expect([...stopped].sort()).toEqual(CASES.map((_, k) => `c${k}`)); // every case was stopped after a checkpoint
    expect(resumed).toBeGreaterThanOrEqual(CASES.length);
    for (const k of CASES.keys()) {
      expect(read(join(broken, `c${k}`), 'loss.csv').equals(read(join(whole, `c${k}`), 'loss.csv')), CASES[k].name).toBe(true);
      expect(read(join(broken, `c${k}`), 'model.json').equals(read(join(whole, `c${k}`), 'model.json')), CASES[k].name).toBe(true);
    }
  }, 120_000);

  it('a sweep interrupted once a checkpoint is written, resumed with --jobs 2: every run as the serial sweep never interrupted', async () => {
    const file = experiment('  epochs: 100\n  checkpoint: { every: 5 }\n  optimizer: { type: adam, learning_rate: 0.005 }\n  schedule: { type: step, step_size: 30, gamma: 0.7 }\n', 'sweep:\n  seed: [1, 2]\n');
    const whole = tempDir();
    expect(await run(file, whole)).toEqual(['completed', 'completed']);
    const broken = tempDir();
    const root = join(broken, 'ck');
    // Interrupted as soon as a staging folder holds a checkpoint (the pool asks every 15 ms).
    const checkpointed = () => existsSync(root) && readdirSync(root).some((d) => d.startsWith('.') && existsSync(join(root, d, 'checkpoint.json')));
    const first = await runPlans([loadPlan(file)], { out: broken, jobs: 2, interrupt: () => (checkpointed() ? 'SIGINT' : undefined) });
    const interrupted = readdirSync(root).filter((d) => d.endsWith('.interrupted'));
    expect(interrupted.length, JSON.stringify(first.map((f) => ('error' in f ? f.error : f.run.status)))).toBeGreaterThan(0);
    expect(interrupted.some((d) => existsSync(join(root, d, 'checkpoint.json')))).toBe(true);
    // NOTE: a run the interrupt found not started (the worker still loading while this thread trained) has no folder.
    const left = ['seed=1', 'seed=2'].filter((seed) => !existsSync(join(root, seed)));
    const second = await runPlans([loadPlan(file)], { out: broken, jobs: 2, resume: true });
    expect(second.map((f) => ('error' in f ? f.error : f.run.status))).toEqual(left.map(() => 'completed'));
    for (const seed of ['seed=1', 'seed=2']) {
      expect(read(join(root, seed), 'loss.csv').equals(read(join(whole, 'ck', seed), 'loss.csv')), seed).toBe(true);
      expect(read(join(root, seed), 'model.json').equals(read(join(whole, 'ck', seed), 'model.json')), seed).toBe(true);
    }
    // A run interrupted before its first checkpoint started again; the folders continued from are superseded.
    const continued = interrupted.filter((d) => existsSync(join(whole, 'ck', d.replace('.interrupted', ''))) && !existsSync(join(root, d)));
    expect(readdirSync(root).filter((d) => d.endsWith('.interrupted')).every((d) => !existsSync(join(root, d, 'checkpoint.json')))).toBe(true);
    expect(continued.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('a run killed outright (SIGKILL)', () => {
  it("resumes from the checkpoint in the staging folder the killed process left, and writes the same files", async () => {
    const file = experiment('  epochs: 800\n  checkpoint: { every: 10 }\n  optimizer: { type: adam, learning_rate: 0.003 }\n');
    const whole = tempDir();
    const killed = tempDir();
    // NOTE: the sources through tsx (no build needed): the process is killed without any chance to clean up.
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'run', file, '--out', killed, '-q'], { cwd: root, stdio: 'ignore' });
    const ended = new Promise((done) => child.on('close', done));
    const staged = () => readdirSync(killed).find((d) => d.startsWith('.ck.partial-') && existsSync(join(killed, d, 'checkpoint.json')));
    for (let t = 0; t < 1500 && staged() === undefined && child.exitCode === null; t++) await new Promise((r) => setTimeout(r, 20));
    expect(staged(), 'a checkpoint in the staging folder before the run ended').toBeDefined();
    child.kill('SIGKILL');
    await ended;
    expect(readdirSync(killed).filter((d) => !d.startsWith('.'))).toEqual([]); // no ck/, no ck.interrupted/
    await run(file, whole);
    const r = await cli('run', file, '--out', killed, '--resume');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('resuming 1 interrupted run(s) from their checkpoints');
    expect(read(join(killed, 'ck'), 'loss.csv').equals(read(join(whole, 'ck'), 'loss.csv'))).toBe(true);
    expect(read(join(killed, 'ck'), 'model.json').equals(read(join(whole, 'ck'), 'model.json'))).toBe(true);
    expect(readdirSync(killed)).toEqual(['ck']); // the killed run's staging folder and lock removed
  }, 60_000);
});

describe('refusals and the default', () => {
  /** An experiment on a CSV file, interrupted after its checkpoint of epoch 2; returns its file, CSV and output folder. */
  async function interruptedOnCsv() {
    const dir = tempDir();
    const csv = join(dir, 'points.csv');
    const rows = Array.from({ length: 200 }, (_, i) => `${Math.sin(i) * 2},${Math.cos(i * 1.3)},${i % 3 === 0 ? 'a' : 'b'}`);
    writeFileSync(csv, ['x1,x2,label', ...rows].join('\n') + '\n');
    const file = join(dir, 'ck.yaml');
    writeFileSync(
      file,
      `name: ck\nseed: 2\ndata: { csv: { path: points.csv, target: label } }\n` +
        `model: { layers: [{ units: 64, activation: tanh }, { units: 64, activation: tanh }, { units: 2, activation: softmax }] }\nloss: cross_entropy\n` +
        `training: { epochs: 10, batch_size: 50, checkpoint: { every: 2 }, optimizer: { type: adam, learning_rate: 0.01 } }\n`,
    );
    const out = join(dir, 'out');
    expect(await run(file, out, { stopAfter: 3 })).toEqual(['interrupted']);
    expect(existsSync(join(out, 'ck.interrupted', 'checkpoint.json'))).toBe(true);
    return { file, csv, out };
  }

  it('a changed data file: refused, naming the checkpoint, before anything runs', async () => {
    const { file, csv, out } = await interruptedOnCsv();
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('\n0,', '\n0.5,'));
    const r = await cli('run', file, '--out', out, '--resume');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ck.interrupted/checkpoint.json');
    expect(r.stderr).toMatch(/cannot resume from this checkpoint: the data file changed since it was written \(its SHA-256 was [0-9a-f]{12}…, is [0-9a-f]{12}…\); run without --resume to start again/);
    expect(existsSync(join(out, 'ck'))).toBe(false);
  });

  it('a changed configuration: refused; without --resume the run starts again', async () => {
    const { file, out } = await interruptedOnCsv();
    writeFileSync(file, readFileSync(file, 'utf8').replace('epochs: 10', 'epochs: 12'));
    const r = await cli('run', file, '--out', out, '--resume');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot resume from this checkpoint: the configuration changed since it was written/);
    expect((await cli('run', file, '--out', out, '-q')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'ck', 'run.json'), 'utf8')).epochs).toBe(12);
  });

  it('a loss log changed since its checkpoint (the same length): refused, naming loss.csv; a log grown past it is cut back as before', async () => {
    const { file, out } = await interruptedOnCsv();
    const log = join(out, 'ck.interrupted', 'loss.csv');
    const text = readFileSync(log, 'utf8');
    const lines = text.split('\n');
    lines[1] = lines[1].replace(/\d(?=[^\d]*$)/, (d) => String((Number(d) + 1) % 10)); // one digit of epoch 0's row
    writeFileSync(log, lines.join('\n'));
    const r = await cli('run', file, '--out', out, '--resume');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ck\.interrupted\/loss\.csv: cannot resume from this checkpoint: loss\.csv changed since it was written \(the first \d+ bytes, logged to epoch 2, had SHA-256 [0-9a-f]{12}…, now [0-9a-f]{12}…\); run without --resume to start again/);
    expect(existsSync(join(out, 'ck'))).toBe(false);
    writeFileSync(log, text + '99,garbage past the checkpoint\n');
    expect((await cli('run', file, '--out', out, '--resume', '-q')).code).toBe(0);
  });

  it('a truncated checkpoint: refused with a sentence', async () => {
    const { file, out } = await interruptedOnCsv();
    const cp = join(out, 'ck.interrupted', 'checkpoint.json');
    writeFileSync(cp, readFileSync(cp, 'utf8').slice(0, 200));
    const r = await cli('run', file, '--out', out, '--resume');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checkpoint\.json.*not a complete checkpoint: the file is not valid JSON/);
  });

  it("a checkpoint whose arrays do not fit the network or the data (cut short or grown by a damaged file): refused, naming the file and key; nothing runs", async () => {
    const cut = (b64: string, bytes: number) => Buffer.from(b64, 'base64').subarray(0, bytes).toString('base64');
    const twice = (b64: string) => Buffer.concat([Buffer.from(b64, 'base64'), Buffer.from(b64, 'base64')]).toString('base64');
    const cases: [string, (j: Record<string, any>) => void][] = [
      ['weights.1', (j) => void (j.weights[1] = cut(j.weights[1], 8))], // a bias of 64 values cut to 1
      ['weights', (j) => void j.weights.pop()],
      ['order', (j) => void (j.order = cut(j.order, 8))],
      ['order', (j) => void (j.order = Buffer.from(j.order, 'base64').fill(0x7f, 12, 16).toString('base64'))], // the fourth row index 2139062143
      ['optimizer.buffers.1.4', (j) => void (j.optimizer.buffers[1][4] = twice(j.optimizer.buffers[1][4]))],
    ];
    for (const [key, damage] of cases) {
      const { file, out } = await interruptedOnCsv();
      const cp = join(out, 'ck.interrupted', 'checkpoint.json');
      const j = JSON.parse(readFileSync(cp, 'utf8'));
      damage(j);
      writeFileSync(cp, JSON.stringify(j));
      const r = await cli('run', file, '--out', out, '--resume');
      expect(r.code, key).toBe(1);
      expect(r.stderr, key).toMatch(new RegExp(`^${cp.replace(/[.*+?^\${}()|[\]\\]/g, '\\$&')}: ${key.replace(/\./g, '\\.')}: not a checkpoint of this run's network and data: `));
      expect(existsSync(join(out, 'ck')), key).toBe(false);
    }
  });

  it('the CLI says what an interrupted run kept and that it resumes', async () => {
    const { file, out } = await interruptedOnCsv();
    const r = await cli('run', file, '--out', out, '--resume');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('resuming 1 interrupted run(s) from their checkpoints');
  });

  it('without training.checkpoint: no checkpoint is written, and --resume starts the interrupted run again', async () => {
    const file = experiment('  epochs: 10\n  optimizer: { type: adam, learning_rate: 0.01 }\n');
    const whole = tempDir();
    await run(file, whole);
    const broken = tempDir();
    expect(await run(file, broken, { stopAfter: 3 })).toEqual(['interrupted']);
    expect(readdirSync(join(broken, 'ck.interrupted'))).not.toContain('checkpoint.json');
    expect(await run(file, broken, { resume: true })).toEqual(['completed']);
    expect(readdirSync(join(broken, 'ck'))).not.toContain('checkpoint.json');
    expect(read(join(broken, 'ck'), 'loss.csv').equals(read(join(whole, 'ck'), 'loss.csv'))).toBe(true);
    expect(existsSync(join(broken, 'ck.interrupted'))).toBe(true); // not continued from, so left as it was
  });
});

describe('a checkpoint that cannot be written', () => {
  it("a full disk: the run fails naming the checkpoint in the run's folder (not the staging folder, gone by then); nothing is left", async () => {
    const file = experiment('  epochs: 8\n  checkpoint: { every: 2 }\n  optimizer: { type: adam, learning_rate: 0.01 }\n');
    const out = tempDir();
    process.env.MLPLAB_TEST_FAIL = 'file-write:ENOSPC';
    try {
      const r = await cli('run', file, '--out', out);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')[0]).toBe(`${join(out, 'ck', 'checkpoint.json')}: cannot write the checkpoint: no space left on the device (ENOSPC)`);
    } finally {
      delete process.env.MLPLAB_TEST_FAIL;
    }
    expect(readdirSync(out)).toEqual([]);
  });
});
