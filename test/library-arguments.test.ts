// The library's functions given wrong arguments (a JavaScript caller, `as any`): each rejects with a UserError
// (usage) naming the function, the argument, what it expected and what it found, and does nothing else; never a
// TypeError from inside, and never an answer (runPlans with shard "1/2" ran nothing and returned []).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExperiment, compare, evaluateCsv, experimentFromObject, exportModel, exportModelFile, gradcheckExperiment, isUserError, loadExperiment, loadModel, loadPlan, predict, predictCsv, prepare, runRows, runExperiment, runPlans, trainExperiment, UserError } from '../src/index.js';

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
    ['one plan twice (it trained every run twice into one folder; the command refuses a file given twice)', () => runPlans([plan, plan], { out }), /^experiments\/xor-softmax.yaml and experiments\/xor-softmax.yaml would both write .*xor-softmax\/epochs=2: give one of them another name \(a name: key, or --set name=...\)$/],
    ['kernelThreads 0 (with jobs 2 a RangeError; serially ignored)', () => runPlans([plan], { out, jobs: 2, kernelThreads: 0 }), /^runPlans: options.kernelThreads: expected a whole number of threads from 1 to 64 \(as --threads\), found 0 \(a number\)$/],
    ['kernelThreads 65', () => runPlans([plan], { out, kernelThreads: 65 }), /options.kernelThreads: .*found 65 \(a number\)$/],
    ['interrupt "SIGINT" (the command\'s hooks are functions, as runExperiment\'s)', () => runPlans([plan], { out, interrupt: 'SIGINT' as never }), /^runPlans: options.interrupt: expected a function, found "SIGINT" \(a string\)$/],
    ['onFinished true', () => runPlans([plan], { out, onFinished: true as never }), /^runPlans: options.onFinished: expected a function, found true \(a boolean\)$/],
    ['onSummaryLeft 3 (called only when a wait for summary.csv is interrupted)', () => runPlans([plan], { out, onSummaryLeft: 3 as never }), /^runPlans: options.onSummaryLeft: expected a function, found 3 \(a number\)$/],
    ['out 3', () => runPlans([plan], { out: 3 as never }), /^runPlans: options.out: expected the path of a folder \(a string\), the runs going to OUT\/NAME\/, found 3 \(a number\)$/],
    ['out "" (the command refuses --out \'\'; runPlans wrote into the current folder)', () => runPlans([plan], { out: '' }), /^runPlans: options.out: .*found "" \(a string\)$/],
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
  it('refuses an outDir that names no folder of its own ("", ".", "/": replacing it would replace its parent): it was a plain Error', async () => {
    for (const dir of ['', '.', '/', '..']) {
      expect(await userError(() => runExperiment(exp, { outDir: dir }))).toBe(`refusing to write ${JSON.stringify(dir)}: an output must be a named entry strictly inside its parent folder`);
    }
  });
});

/** The user error (a model file's problem) f threw: its formatted sentence. */
async function modelError(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(isUserError(e), String((e as Error)?.stack)).toBe(true);
    return (e as UserError).format();
  }
  throw new Error('expected a user error, got an answer');
}

describe('a model and its rows', () => {
  const trained = trainExperiment(loadExperiment('experiments/iris.yaml', { set: ['training.epochs=2'] }));
  const model = trained.model!;
  const csv = 'data/iris.csv';
  it('refuses a path where a model is wanted, in every function that takes one', async () => {
    const expected = 'the model: expected a model, from loadModel(path) or a run\'s model (load the file with loadModel(path)), found "results/iris/model.json" (a string)';
    const path = 'results/iris/model.json' as never;
    expect(await userError(() => predict(path, [[1, 2, 3, 4]]))).toBe(`predict: ${expected}`);
    expect(await userError(() => predictCsv(path, csv))).toBe(`predictCsv: ${expected}`);
    expect(await userError(() => evaluateCsv(path, csv))).toBe(`evaluateCsv: ${expected}`);
    expect(await userError(() => exportModel(path, { format: 'onnx' }))).toBe(`exportModel: ${expected}`);
    expect(await userError(() => predict(undefined as never, [[1, 2, 3, 4]]))).toBe("predict: the model: expected a model, from loadModel(path) or a run's model, found undefined");
  });
  it('checks a model given as an object as loadModel checks a file: a model changed in memory was a TypeError from deep inside', async () => {
    const { kind: _kind, ...noKind } = model; // a file written before kind: read as such (its classes make it multiclass)
    expect(predict(noKind as never, [[5.1, 3.5, 1.4, 0.2]]).predicted).toEqual(predict(model, [[5.1, 3.5, 1.4, 0.2]]).predicted);
    const shortBias = { ...model, layers: model.layers.map((l, k) => (k === 0 ? { ...l, bias: l.bias.slice(1) } : l)) };
    const nanWeight = { ...model, layers: model.layers.map((l, k) => (k === 1 ? { ...l, weights: [[NaN, ...l.weights[0].slice(1)], ...l.weights.slice(1)] } : l)) };
    for (const [fn, call] of [
      ['predict', (m: never) => predict(m, [[1, 2, 3, 4]])],
      ['predictCsv', (m: never) => predictCsv(m, csv)],
      ['evaluateCsv', (m: never) => evaluateCsv(m, csv)],
      ['exportModel', (m: never) => exportModel(m, { format: 'onnx' })],
    ] as const) {
      expect(await modelError(() => call(shortBias as never)), fn).toMatch(new RegExp(`^${fn}'s model: layers\\[0\\]\\.bias: expected ${model.layers[0].units} `));
      expect(await modelError(() => call(nanWeight as never)), fn).toMatch(new RegExp(`^${fn}'s model: layers\\[1\\]\\.weights\\[0\\]\\[0\\]: expected a finite number`));
    }
    // a model checked already (loadModel's, or given before) and changed after: its shapes are checked again
    const loaded = structuredClone(model);
    expect(predict(loaded, [[5.1, 3.5, 1.4, 0.2]]).predicted).toEqual(predict(model, [[5.1, 3.5, 1.4, 0.2]]).predicted);
    loaded.layers[0].bias.pop();
    expect(await modelError(() => predict(loaded, [[5.1, 3.5, 1.4, 0.2]]))).toMatch(/^predict's model: layers\[0\]\.bias: expected \d+ biases/);
    (loaded.layers[0] as { weights: unknown }).weights = null;
    expect(await modelError(() => predict(loaded, [[5.1, 3.5, 1.4, 0.2]]))).toMatch(/^predict's model: layers\[0\]\.weights: expected an array/);
    // an object without kind, given again after a key of it was replaced, is read as it is now (it was answered from
    // the first call's copy: the old scaling)
    const { kind: _k, ...old } = structuredClone(model);
    const row = [[5.1, 3.5, 1.4, 0.2]];
    predict(old as never, row);
    const scaled = { ...model.preprocess!, offset: model.preprocess!.offset.map((o) => o + 3) };
    (old as { preprocess: unknown }).preprocess = scaled;
    expect(predict(old as never, row).outputs).toEqual(predict({ ...model, preprocess: scaled }, row).outputs);
  });
  it('refuses rows that are not a list of rows', async () => {
    expect(await userError(() => predict(model, [1, 2, 3, 4] as never))).toBe('predict: the rows: row 1: expected a list of feature values, found 1 (a number)');
    expect(await userError(() => predict(model, undefined as never))).toBe('predict: the rows: expected a list of rows (each a list of feature values) or a Matrix, found undefined');
    expect(await userError(() => predict(model, 'x' as never))).toBe('predict: the rows: expected a list of rows (each a list of feature values) or a Matrix, found "x" (a string)');
    expect(predict(model, [Float64Array.of(5.1, 3.5, 1.4, 0.2)] as never).predicted).toEqual(predict(model, [[5.1, 3.5, 1.4, 0.2]]).predicted);
  });
  it('refuses a CSV path that is not a string and id columns that are not a list of names', async () => {
    expect(await userError(() => predictCsv(model, csv, 'species' as never))).toBe('predictCsv: the id columns: expected a list of column names (["species"]), found "species" (a string)');
    expect(await userError(() => predictCsv(model, csv, [1] as never))).toBe('predictCsv: ids[0]: expected a column name (a string), found 1 (a number)');
    expect(await userError(() => evaluateCsv(model, { path: csv } as never))).toBe('evaluateCsv: the CSV file: expected a path (a string), found {"path":"data/iris.csv"}');
  });
  it('evaluateCsv and runRows: rows that are no data row numbers, a part or subset there is not (they said "the file has 150 data rows" or "this run has no x rows")', async () => {
    expect(await userError(() => evaluateCsv(model, csv, [3, -1]))).toBe('evaluateCsv: rows[1]: expected a 0-based data row number, found -1 (a number)');
    expect(await userError(() => evaluateCsv(model, csv, [1.5]))).toBe('evaluateCsv: rows[0]: expected a 0-based data row number, found 1.5 (a number)');
    expect(await userError(() => evaluateCsv(model, csv, 'test' as never))).toBe('evaluateCsv: the rows: expected a list of 0-based data row numbers (runRows(dir)), found "test" (a string)');
    expect(await userError(() => evaluateCsv(model, csv, [1], 'train' as never))).toBe('evaluateCsv: the subset: expected all, test or validation, found "train" (a string)');
    expect(await userError(() => evaluateCsv(model, csv, undefined, 'all', ';;'))).toBe('evaluateCsv: the delimiter: expected one character, found ";;" (a string)');
    expect(await userError(() => runRows(out, 'train' as never))).toBe('runRows: the part: expected test or validation, found "train" (a string)');
    expect(evaluateCsv(model, csv, [0, 1, 2]).rows).toBe('all');
  });
  it('exportModel: a format or dtype there is not, or no options, is a UserError as the command\'s --format (it was a RangeError)', async () => {
    expect(await userError(() => exportModel(model, {} as never))).toBe('exportModel: options.format: expected one of onnx, safetensors, found undefined');
    expect(await userError(() => exportModel(model, undefined as never))).toBe('exportModel: the options: expected an object of options with a format (onnx or safetensors), found undefined');
    expect(await userError(() => exportModel(model, { format: 'pt' as never }))).toBe('exportModel: options.format: expected one of onnx, safetensors, found "pt" (a string)');
    expect(await userError(() => exportModel(model, { format: 'onnx', dtype: 'float16' as never }))).toBe('exportModel: options.dtype: expected one of float64, float32, found "float16" (a string)');
    expect(await userError(() => exportModelFile(model as never, { format: 'onnx', out: join(out, 'm.onnx') }))).toMatch(/^exportModelFile: the model file: expected a path \(a string\) \(a model in memory: exportModel\(model, options\)\), found an object with keys /);
    expect(existsSync(join(out, 'm.onnx'))).toBe(false);
  });
});

describe('loading', () => {
  const file = 'experiments/xor-softmax.yaml';
  it('refuses an experiment file that is not a path (it said Node\'s "The \\"path\\" argument must be of type string")', async () => {
    expect(await userError(() => loadExperiment({ seed: 1 } as never))).toBe('loadExperiment: the experiment file: expected a path (a string) (an experiment as an object: experimentFromObject(config)), found {"seed":1}');
    expect(await userError(() => loadPlan(123 as never))).toBe('loadPlan: the experiment file: expected a path (a string), found 123 (a number)');
    expect(await userError(() => checkExperiment(undefined as never))).toBe('checkExperiment: the experiment file: expected a path (a string), found undefined');
    expect(await userError(() => loadModel({} as never))).toBe('loadModel: the model file: expected a path (a string), found {}');
  });
  it('refuses set and sweep options that are not lists of texts, and options that are not an object (they threw TypeErrors)', async () => {
    expect(await userError(() => loadExperiment(file, { set: 'seed=3' as never }))).toBe('loadExperiment: options.set: expected a list of texts such as "training.epochs=10" (as --set takes) (["seed=3"]), found "seed=3" (a string)');
    expect(await userError(() => loadExperiment(file, { set: [1] as never }))).toBe('loadExperiment: options.set[0]: expected a text such as "training.epochs=10", found 1 (a number)');
    expect(await userError(() => loadExperiment(file, null as never))).toBe('loadExperiment: the options: expected an object of options (set, seed, sweep), found null');
    expect(await userError(() => loadPlan(file, { sweep: 'seed=1,2' as never }))).toBe('loadPlan: options.sweep: expected a list of texts such as "seed=1,2,3" (as --sweep takes) (["seed=1,2"]), found "seed=1,2" (a string)');
    expect(await userError(() => loadPlan(file, { sweep: [{ seed: [1, 2] }] as never }))).toBe('loadPlan: options.sweep[0]: expected a text such as "seed=1,2,3", found {"seed":[1,2]}');
    expect(await userError(() => experimentFromObject({}, { baseDir: 3 as never }))).toBe('experimentFromObject: options.baseDir: expected the path of a folder (a string), found 3 (a number)');
    expect(await userError(() => experimentFromObject({}, { set: 'seed=1' as never }))).toMatch(/^experimentFromObject: options.set: /);
  });
  it('still takes what the types allow', () => {
    expect(loadPlan(file, { sweep: ['seed=1,2'], set: ['training.epochs=3'] }).runs.map((r) => r.exp.config.seed)).toEqual([1, 2]);
    expect(loadExperiment(file, { seed: 4 }).config.seed).toBe(4);
  });
});
