// A library caller's interrupt() answers undefined (go on) or a reason, a signal's name (a non-empty string), which
// stops the runs under way and is recorded as run.json's signal. Any other answer (null, true, 0, '') stopped the run
// as interrupted, with that value as its signal (runExperiment, trainExperiment), or ran nothing and said nothing
// (runPlans, serially and with jobs 2, returned []). Now it is a TypeError naming the function and the value, on
// every path, wherever it is answered (before the first run, or during one, in this thread or the pool's poll), and
// no run folder is written.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment, loadPlan, runExperiment, runPlans, trainExperiment } from '../../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'mlplab-interrupt-answer-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const XOR = 'experiments/xor-softmax.yaml';
/** A run far too long to end by itself in a test: only an interrupt (or an error) ends it. */
const LONG = ['training.epochs=100000000'];
const BAD: unknown[] = [null, true, 0, ''];
const shown = (v: unknown) => (v === '' ? '"" (a string)' : v === null ? 'null' : `${String(v)} (a ${typeof v})`);
const message = (fn: string, v: unknown) =>
  `${fn}: options.interrupt: expected it to return undefined (go on) or a reason to stop (a signal's name, a non-empty string such as "SIGINT"), found ${shown(v)}`;
/** Every entry below dir, staging folders and locks included. */
const written = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }) : []);

describe('an interrupt() answer that is neither undefined nor a non-empty string', () => {
  for (const v of BAD) {
    it(`${JSON.stringify(v)}: runExperiment and trainExperiment throw a TypeError naming it; nothing is written`, async () => {
      const dir = join(out, `one-${String(v)}`);
      const exp = loadExperiment(XOR, { set: LONG });
      const run = runExperiment(exp, { outDir: join(dir, 'x'), interrupt: () => v as never });
      await expect(run).rejects.toThrow(TypeError);
      await expect(run).rejects.toThrow(message('runExperiment', v));
      expect(written(dir)).toEqual([]);
      expect(() => trainExperiment(exp, { interrupt: () => v as never })).toThrow(message('trainExperiment', v));
    });
  }

  for (const jobs of [1, 2]) {
    it(`runPlans (jobs ${jobs}) rejects with a TypeError before any run, writing nothing (it ran nothing and returned [])`, async () => {
      const plan = loadPlan(XOR, { sweep: ['seed=1,2,3'], set: ['training.epochs=5'] });
      for (const v of BAD) {
        const dir = join(out, `plans-${jobs}-${String(v)}`);
        await expect(runPlans([plan], { out: dir, jobs, interrupt: () => v as never })).rejects.toThrow(message('runPlans', v));
        expect(written(dir)).toEqual([]);
      }
    });

    it(`runPlans (jobs ${jobs}) rejects with a TypeError when the answer comes while runs are under way`, async () => {
      const plan = loadPlan(XOR, { sweep: ['seed=1,2,3'], set: LONG });
      let started = false;
      const dir = join(out, `under-way-${jobs}`);
      const run = runPlans([plan], { out: dir, jobs, onStart: () => void (started = true), interrupt: () => (started ? (null as never) : undefined) });
      await expect(run).rejects.toThrow(TypeError);
      await expect(run).rejects.toThrow(message('runPlans', null));
      expect(started).toBe(true);
    }, 30_000);
  }

  it('a reason still interrupts, and undefined goes on', async () => {
    let epoch = 0;
    const r = await runExperiment(loadExperiment(XOR, { set: LONG }), { outDir: join(out, 'reason', 'x'), onEpoch: (e) => void (epoch = e), interrupt: () => (epoch >= 2 ? 'SIGTERM' : undefined) });
    expect(r.run).toMatchObject({ status: 'interrupted', signal: 'SIGTERM' });
  });
});
