// The library's functions given wrong arguments (a JavaScript caller, `as any`): each rejects with a UserError
// (usage) naming the function, the argument, what it expected and what it found, and does nothing else; never a
// TypeError from inside, and never an answer (runPlans with shard "1/2" ran nothing and returned []).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare, gradcheckExperiment, isUserError, loadExperiment, loadPlan, prepare, runExperiment, runPlans, trainExperiment, UserError } from '../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'mlplab-library-arguments-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The user error f threw or rejected with: its formatted sentence (fails on any other outcome). */
async function userError(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(isUserError(e), String((e as Error)?.stack)).toBe(true);
    expect((e as UserError).code).toBe('usage');
    return (e as UserError).format();
  }
  throw new Error('expected a user error, got an answer');
}

describe('runPlans', () => {
  const plan = loadPlan('experiments/xor-softmax.yaml', { set: ['training.epochs=2'] });
  const bad: [string, () => unknown, RegExp][] = [
    ['a path', () => runPlans('experiments/xor-softmax.yaml' as never, { out }), /^runPlans: the plans: expected a list of plans, from loadPlan\(file\), found "experiments\/xor-softmax.yaml" \(a string\)$/],
    ['one plan', () => runPlans(plan as never, { out }), /^runPlans: the plans: expected a list of plans, from loadPlan\(file\) \(one plan: put it in a list\), found an object with keys /],
    ['a list of paths', () => runPlans(['experiments/xor-softmax.yaml'] as never, { out }), /^runPlans: plans\[0\]: expected a plan, from loadPlan\(file\), found "experiments/],
    ['options null', () => runPlans([plan], null as never), /^runPlans: the options: expected an object of options, found null$/],
    ['jobs 0', () => runPlans([plan], { out, jobs: 0 }), /^runPlans: options.jobs: expected a whole number of runs at once, 1 or more, found 0 \(a number\)$/],
    ['jobs "2"', () => runPlans([plan], { out, jobs: '2' as never }), /options.jobs: .*found "2" \(a string\)$/],
    ['jobs 1.5', () => runPlans([plan], { out, jobs: 1.5 }), /options.jobs: .*found 1.5 \(a number\)$/],
    ['jobs NaN', () => runPlans([plan], { out, jobs: NaN }), /options.jobs: .*found NaN \(a number\)$/],
    ['shard "1/2"', () => runPlans([plan], { out, shard: '1/2' as never }), /^runPlans: options.shard: expected \{ index: I, count: N \} with whole numbers 1 <= I <= N \(as --shard I\/N\), found "1\/2" \(a string\)$/],
    ['shard 3 of 2', () => runPlans([plan], { out, shard: { index: 3, count: 2 } }), /options.shard: .*found \{"index":3,"count":2\}$/],
    ['shard 0 of 2', () => runPlans([plan], { out, shard: { index: 0, count: 2 } }), /options.shard: .*found \{"index":0,"count":2\}$/],
    ['out 3', () => runPlans([plan], { out: 3 as never }), /^runPlans: options.out: expected the path of a folder \(a string\), found 3 \(a number\)$/],
  ];
  for (const [what, f, message] of bad) {
    it(`refuses ${what}, trains nothing and writes nothing`, async () => {
      expect(await userError(f)).toMatch(message);
      expect(existsSync(join(out, 'xor-softmax'))).toBe(false);
    });
  }

  it('runs a shard given as { index, count }', async () => {
    const finished = await runPlans([plan], { out, shard: { index: 1, count: 1 }, jobs: 1 });
    expect(finished.map((f) => ('run' in f ? f.run.status : f.error))).toEqual(['completed']);
  });
});

describe('compare', () => {
  it('refuses a path given as a string (it was read a letter at a time: "r: no such file or folder")', async () => {
    expect(await userError(() => compare('results/iris' as never, { out: false }))).toBe(
      'compare: the paths: expected a list of paths (["results/iris"]), found "results/iris" (a string)',
    );
  });
  it('refuses a path that is not a string, options that are not an object, and an out that is not a path', async () => {
    expect(await userError(() => compare([3] as never, { out: false }))).toBe('compare: paths[0]: expected a path (a string), found 3 (a number)');
    expect(await userError(() => compare(['results'], 'x' as never))).toBe('compare: the options: expected an object of options, found "x" (a string)');
    expect(await userError(() => compare(['results'], { out: 3 as never }))).toBe('compare: options.out: expected the path of a folder (a string), or false to write nothing, found 3 (a number)');
  });
});

describe('an experiment and its run options', () => {
  const exp = loadExperiment('experiments/xor-softmax.yaml', { set: ['training.epochs=2'] });
  const notLoaded: [string, unknown, string][] = [
    ['a path', 'experiments/xor-softmax.yaml', 'expected a loaded experiment, from loadExperiment or experimentFromObject (load a file with loadExperiment(path)), found "experiments/xor-softmax.yaml" (a string)'],
    ['undefined', undefined, 'expected a loaded experiment, from loadExperiment or experimentFromObject, found undefined'],
    ['a plan', loadPlan('experiments/xor-softmax.yaml'), 'expected a loaded experiment, from loadExperiment or experimentFromObject (a plan: take one of its runs, plan.runs[i].exp), found an object with keys file, options, name, axes, rootPath, runs'],
  ];
  for (const [what, value, expected] of notLoaded) {
    it(`refuses ${what} where a loaded experiment is wanted, in every function that takes one`, async () => {
      expect(await userError(() => trainExperiment(value as never))).toBe(`trainExperiment: the experiment: ${expected}`);
      expect(await userError(() => runExperiment(value as never, { outDir: join(out, 'x') }))).toBe(`runExperiment: the experiment: ${expected}`);
      expect(await userError(() => prepare(value as never))).toBe(`prepare: the experiment: ${expected}`);
      expect(await userError(() => gradcheckExperiment(value as never))).toBe(`gradcheckExperiment: the experiment: ${expected}`);
      expect(existsSync(join(out, 'x'))).toBe(false);
    });
  }
  it('refuses a hook that is not a function and a path that is not a string, before training', async () => {
    expect(await userError(() => trainExperiment(exp, { onEpoch: 3 as never }))).toBe('trainExperiment: options.onEpoch: expected a function, found 3 (a number)');
    expect(await userError(() => trainExperiment(exp, null as never))).toBe('trainExperiment: the options: expected an object of options, found null');
    expect(await userError(() => runExperiment(exp, { interrupt: 'SIGINT' as never, outDir: join(out, 'y') }))).toBe('runExperiment: options.interrupt: expected a function, found "SIGINT" (a string)');
    expect(await userError(() => runExperiment(exp, { outDir: 3 as never }))).toBe('runExperiment: options.outDir: expected a path (a string), found 3 (a number)');
    expect(existsSync(join(out, 'y'))).toBe(false);
  });
});
