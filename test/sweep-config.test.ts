// Sweep declarations and where runs go: every combination is validated first and a bad one is reported at
// its sweep entry with the values that make it bad; key paths may not reach Object.prototype; run IDs;
// runs with overrides never replace the base run; two experiments writing one folder are refused up front.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';
import { runId, shortNames, RUN_ID_MAX_LENGTH } from '../src/config/sweep.js';
import { loadPlan } from '../src/index.js';

const tempDir = tempDirs('mlplab-sweepcfg');

const BASE = `name: tiny
seed: 1
data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } }
model: { layers: [{ units: 3, activation: tanh }, { units: 2, activation: softmax }] }
loss: cross_entropy
training: { epochs: 10, batch_size: 2, optimizer: { type: sgd, learning_rate: 0.5 } }
`;
function file(extra = '', fileName = 'tiny.yaml'): string {
  const path = join(tempDir(), fileName);
  writeFileSync(path, BASE + extra);
  return path;
}

describe('sweep validation', () => {
  it('reports each bad combination at its sweep entry (line 8 and 9), with the runs that have it, and runs nothing', async () => {
    const f = file('sweep:\n  model.layers.1.activation: [softmax, sigmoid]\n  training.optimizer.learning_rate: [0.1, -1]\n');
    const out = tempDir();
    const r = await cli('run', f, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `${f}:8:3: model.layers[1].activation: loss cross_entropy needs a softmax output layer, found sigmoid (the fused cross_entropy gradient is computed ` +
        `from the softmax layer's logits) (from sweep entry model.layers.1.activation: "sigmoid") (in runs activation=sigmoid,learning_rate=0.1; ` +
        // one round of errors: the run with both bad values reports the semantic check beside its schema error
        `activation=sigmoid,learning_rate=-1)`,
      `${f}:9:3: training.optimizer.learning_rate: expected a number > 0, found -1 (from sweep entry training.optimizer.learning_rate: -1) ` +
        `(in runs activation=softmax,learning_rate=-1; activation=sigmoid,learning_rate=-1)`,
    ]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses key paths through __proto__, constructor or prototype, in the file, --sweep and --set', async () => {
    const f = file('sweep:\n  constructor.x: [1]\n');
    expect((await cli('validate', f)).stderr).toBe(`${f}:8:3: sweep.constructor.x: "constructor.x" uses the segment "constructor", which no experiment key has\n`);
    for (const args of [['--set', '__proto__.polluted=1'], ['--sweep', 'model.prototype=1,2'], ['--set', 'a..b=1']]) {
      const r = await cli('validate', file(), ...args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses sweeping the run name, and a sweep key given twice', async () => {
    const r = await cli('validate', file('sweep:\n  name: [a, b]\n'));
    expect(r.stderr).toMatch(/:8:3: sweep\.name: "name" cannot be swept/);
    expect((await cli('validate', file('sweep:\n  model.layers.0.units: [1]\n  model.layers[0].units: [2]\n'))).stderr).toMatch(/:9:3: .*swept twice/);
  });

  it('reads --sweep values as YAML, replaces the file\'s axis of the same key, and validates every run', async () => {
    const r = await cli('validate', file('sweep:\n  seed: [1, 2]\n'), '--sweep', 'seed=3,4,5', '--sweep', 'model.layers.0.units=2,4');
    expect(r.stdout).toMatch(/tiny\.yaml: valid \(6 runs\)\n$/);
    const f = file();
    const bad = await cli('validate', f, '--sweep', 'training.epochs=5,ten');
    expect(bad.stderr).toBe(`${f}: training.epochs: expected an integer, found "ten" (from --sweep training.epochs=5,ten: "ten") (in run epochs=ten)\n`);
  });

  it('shows a non-finite --sweep value as written, not as JSON null', async () => {
    const f = file();
    const r = await cli('validate', f, '--sweep', 'seed=1,.inf');
    expect(r.stderr).toBe(`${f}: seed: expected an integer, found Infinity (from --sweep seed=1,.inf: Infinity) (in run seed=Infinity)\n`);
  });

  it('quotes a seed beyond 2^53 as the sweep entry or --sweep writes it, as a file\'s seed: key (it was quoted rounded)', async () => {
    const range = 'expected an integer from -9007199254740991 to 9007199254740991 (larger ones are not exact as numbers)';
    const f = file('sweep:\n  seed: [1, 18014398509481985]\n');
    expect((await cli('validate', f)).stderr).toBe(`${f}:8:3: seed: ${range}, found 18014398509481985 (from sweep entry seed: 18014398509481985) (in run seed=18014398509481985)\n`);
    const g = file();
    const r = await cli('validate', g, '--sweep', 'seed=18014398509481985,0x40000000000001');
    expect(r.stderr).toBe(
      `${g}: seed: ${range}, found 18014398509481985 (from --sweep seed=18014398509481985,0x40000000000001: 18014398509481985) (in run seed=18014398509481985)\n` +
        `${g}: seed: ${range}, found 0x40000000000001 (from --sweep seed=18014398509481985,0x40000000000001: 0x40000000000001) (in run seed=0x40000000000001)\n`,
    );
  });

  it('refuses one key in two --sweep options (the second used to replace the first silently)', async () => {
    const r = await cli('validate', file(), '--sweep', 'seed=1,2', '--sweep', 'seed=3,4');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('--sweep seed=3,4: the key path seed is swept twice\n(see mlplab --help)\n');
  });

  it('names the --set or --sweep that writes a key the file does not have, not a place in the file', async () => {
    const f = file();
    const unknown = (key: string, what: string) => `unknown key "${key}"; expected one of: name, description, seed, data, model, loss, reduction, training, log, sweep, sweep_samples, expect, golden, run_id (from ${what})`;
    expect((await cli('validate', f, '--set', 'nosuch.key=1')).stderr).toBe(`${f}: nosuch: ${unknown('nosuch', '--set nosuch.key=1')}\n`);
    const r = await cli('validate', f, '--sweep', 'training.optimizerr.type=adam');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${f.replace(/[.]/g, '\\.')}: training\\.optimizerr: unknown key "optimizerr" .*\\(from --sweep training\\.optimizerr\\.type=adam: "adam"\\)`));
  });

  it('refuses a sweep: that is not a non-empty mapping, as the schema says (it was taken as no sweep)', async () => {
    const expected = (found: string) => `expected a mapping of key paths to the values each takes (at least one), found ${found}`;
    for (const [value, found] of [['3', '3'], ['seed', '"seed"'], ['[]', 'a list of 0 item(s)'], ['[seed]', 'a list of 1 item(s)'], ['{}', 'a mapping with no keys'], ['', 'null (an empty value)']] as const) {
      const f = file(`sweep: ${value}\n`);
      const r = await cli('validate', f);
      expect(r.code, value).toBe(1);
      expect(r.stderr, value).toBe(`${f}:7:8: sweep: ${expected(found)}\n`);
    }
  });

  it('places a data error caused by a swept value at its sweep entry, on every path', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), 'a,b,y\n1,2,p\n3,4,q\n5,6,q\n7,8,p\n');
    const f = join(dir, 'c.yaml');
    const csv = BASE.replace(/^data: .*$/m, 'data: { csv: { path: d.csv, target: y } }');
    writeFileSync(f, csv + 'sweep:\n  data.csv.target: [y, w]\n  seed: [1, 2]\n');
    const expected = `${f}:8:3: data.csv.target: expected a column named "w" in ${join(dir, 'd.csv')}, but its columns are: a, b, y (from sweep entry data.csv.target: "w") (in runs target=w,seed=1; target=w,seed=2)\n`;
    for (const extra of [[], ['--jobs', '2'], ['--shard', '2/2']]) {
      const r = await cli('run', f, '--out', join(dir, 'out'), ...extra);
      expect(r.stderr, extra.join(' ')).toBe(expected);
      expect(r.code).toBe(1);
    }
    const r = await cli('validate', join(dir, 'c.yaml'), '--sweep', 'data.csv.target=w');
    expect(r.stderr).toBe(`${f}: data.csv.target: expected a column named "w" in ${join(dir, 'd.csv')}, but its columns are: a, b, y (from --sweep data.csv.target=w: "w")\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('quotes the --sweep values a YAML error is in, without the column of the list made of them (it was one past)', async () => {
    const r = await cli('validate', file(), '--sweep', 'seed=1,2]');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('--sweep seed: the values are not a valid YAML list (Unexpected flow-seq-end token in YAML stream: "]" in "1,2]")\n(see mlplab --help)\n');
  });

  it('refuses a tag YAML cannot apply in --set and --sweep values (Node printed a YAMLWarning and the value stayed a string)', async () => {
    const f = file();
    const set = await cli('validate', f, '--set', 'training.epochs=!!float 3');
    expect(set.stderr).toBe('--set training.epochs: the value is not valid YAML (the tag !!float cannot be applied here: remove it)\n(see mlplab --help)\n');
    expect(set.code).toBe(2);
    const sweep = await cli('validate', f, '--sweep', 'training.epochs=3,!foo 4');
    expect(sweep.stderr).toBe('--sweep training.epochs: the values are not a valid YAML list (the tag !foo cannot be applied here: remove it)\n(see mlplab --help)\n');
    expect(sweep.code).toBe(2);
  });

  it('refuses a key that is not a name in --set and --sweep values, as in files (Node printed a YAMLWarning and the key became "[ a, b ]")', async () => {
    const f = file();
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      const set = await cli('validate', f, '--set', 'model.init={[a, b]: 1}');
      expect(set.stderr).toBe('--set model.init: the value is not valid YAML (expected a key name, found a list)\n(see mlplab --help)\n');
      expect(set.code).toBe(2);
      const nested = await cli('validate', f, '--set', 'model={init: {{a: 1}: 1}}');
      expect(nested.stderr).toBe('--set model: the value is not valid YAML (expected a key name, found a mapping)\n(see mlplab --help)\n');
      const empty = await cli('validate', f, '--set', 'model.init={? : 1}');
      expect(empty.stderr).toBe('--set model.init: the value is not valid YAML (expected a key name, found an empty key)\n(see mlplab --help)\n');
      const sweep = await cli('validate', f, '--sweep', 'model.init={scheme: he_uniform},{[a, b]: 1}');
      expect(sweep.stderr).toBe('--sweep model.init: the values are not a valid YAML list (expected a key name, found a list)\n(see mlplab --help)\n');
      expect(sweep.code).toBe(2);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses two runs of a grid that would write one folder', async () => {
    const r = await cli('validate', file('sweep:\n  seed: [1, 2, 1]\n'));
    expect(r.stderr).toMatch(/:8:3: sweep\.seed: runs 1 \[1\] and 3 \[1\] of the grid would both write the folder seed=1/);
    expect((await cli('validate', file(), '--sweep', 'description=a/b,a_b')).code).toBe(2);
  });
});

describe('run IDs', () => {
  it('use the last key segment, adding earlier ones only where two would clash', () => {
    expect(shortNames([['training', 'optimizer', 'learning_rate'], ['seed']])).toEqual(['learning_rate', 'seed']);
    expect(shortNames([['model', 'layers', 0, 'activation'], ['model', 'layers', 1, 'activation']])).toEqual(['0.activation', '1.activation']);
    expect(shortNames([['model', 'layers', 0, 'units'], ['model', 'layers', 0]])).toEqual(['units', 'layers.0']);
  });

  it('of a swept mapping and a key inside it name each run by its own values (the later key was written into the mapping)', () => {
    const f = file('sweep:\n  training.optimizer: [{ type: sgd }, { type: rmsprop }]\n  training.optimizer.momentum: [0, 0.9]\n');
    const plan = loadPlan(f);
    expect(plan.runs.map((r) => r.runPath)).toEqual(['optimizer=type-sgd,momentum=0', 'optimizer=type-sgd,momentum=0.9', 'optimizer=type-rmsprop,momentum=0', 'optimizer=type-rmsprop,momentum=0.9']);
    expect(plan.runs[0].values).toEqual({ 'training.optimizer': { type: 'sgd' }, 'training.optimizer.momentum': 0 });
    // --set of a mapping the sweep writes into: the overrides' folder is the mapping as given.
    const set = loadPlan(file('sweep:\n  training.optimizer.learning_rate: [0.1, 0.2]\n'), { set: ['training.optimizer={type: adam}'] });
    expect(set.runs.map((r) => r.runPath)).toEqual(['optimizer=type-adam/learning_rate=0.1', 'optimizer=type-adam/learning_rate=0.2']);
  });

  it('a --set inside a swept mapping, and a swept key inside one listed before it, are kept (the mapping replaced them)', () => {
    const f = file('sweep:\n  training.optimizer: [{ type: sgd }, { type: adam }]\n');
    const plan = loadPlan(f, { set: ['training.optimizer.learning_rate=0.01'] });
    expect(plan.runs.map((r) => [r.runPath, r.exp.config.training.optimizer.type, r.exp.config.training.optimizer.learning_rate])).toEqual([
      ['learning_rate=0.01/optimizer=type-sgd', 'sgd', 0.01],
      ['learning_rate=0.01/optimizer=type-adam', 'adam', 0.01],
    ]);
    const inner = loadPlan(file('sweep:\n  training.optimizer.momentum: [0, 0.9]\n  training.optimizer: [{ type: sgd }, { type: rmsprop }]\n'));
    expect(inner.runs.map((r) => [r.runPath, (r.exp.config.training.optimizer as { momentum?: number }).momentum])).toEqual([
      ['momentum=0,optimizer=type-sgd', 0],
      ['momentum=0,optimizer=type-rmsprop', 0],
      ['momentum=0.9,optimizer=type-sgd', 0.9],
      ['momentum=0.9,optimizer=type-rmsprop', 0.9],
    ]);
  });

  it('are file-name safe, never . or .., and stay short (a hash of the whole ends a long one)', () => {
    expect(runId([['a'], ['b']], ['../x', { k: [1, 2] }])).toBe('a=.._x,b=k-1+2');
    // An object value (a whole optimizer from --set) reads as its key-value pairs, not as escaped JSON.
    expect(runId([['training', 'optimizer']], [{ type: 'sgd', learning_rate: 0.1 }])).toBe('optimizer=type-sgd+learning_rate-0.1');
    expect(runId([['model', 'layers']], [[{ units: 8, activation: 'tanh' }, { units: 1, activation: 'linear' }]])).toBe('layers=units-8+activation-tanh+units-1+activation-linear');
    const long = runId([['description']], ['x'.repeat(300)]);
    expect(long.length).toBe(RUN_ID_MAX_LENGTH);
    expect(long).not.toBe(runId([['description']], ['x'.repeat(299) + 'y']));
  });
});

describe('where runs go', () => {
  it('a --seed run goes to NAME/seed=4, and a later plain run keeps it, the sweep runs and summary.csv', async () => {
    const out = tempDir();
    const base = file();
    expect((await cli('run', base, '--out', out, '-q', '--seed', '4', '--set', 'training.epochs=5')).code).toBe(0);
    expect((await cli('run', base, '--out', out, '-q')).code).toBe(0);
    const root = join(out, 'tiny');
    expect(readdirSync(root).sort()).toEqual(['config.json', 'epochs=5,seed=4', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json']);
    const swept = file('sweep:\n  seed: [1, 2]\n');
    expect((await cli('run', swept, '--out', out, '-q')).code).toBe(0);
    expect((await cli('run', base, '--out', out, '-q')).code).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['config.json', 'epochs=5,seed=4', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json', 'seed=1', 'seed=2', 'summary.csv']);
    expect(readFileSync(join(root, 'summary.csv'), 'utf8').split('\n')[2]).toMatch(/^seed=2,2,/);
    expect(JSON.parse(readFileSync(join(root, 'run.json'), 'utf8')).seed).toBe(1);
  });

  it('--seed or --set of a swept key runs that slice of the grid, in the same folders; with --sweep of it, a usage error', async () => {
    const out = tempDir();
    const f = file('sweep:\n  seed: [1, 2, 3]\n  model.layers.0.units: [2, 4]\n');
    expect((await cli('run', f, '--out', out, '-q')).code).toBe(0);
    const root = join(out, 'tiny');
    const before = readFileSync(join(root, 'seed=2,units=4', 'loss.csv'), 'utf8');
    // Completed runs of the same configuration are skipped on a rerun (runner/resume.ts): remove the slice first.
    expect((await cli('run', f, '--out', out, '--seed', '2')).stdout).toMatch(/^skipped 2 run\(s\) completed already/);
    for (const d of ['seed=2,units=2', 'seed=2,units=4']) rmSync(join(root, d), { recursive: true });
    const r = await cli('run', f, '--out', out, '--seed', '2');
    expect(r.stdout).toMatch(/^\[1\/2\] tiny\/seed=2,units=2: .*\n\[2\/2\] tiny\/seed=2,units=4: /);
    expect(readFileSync(join(root, 'seed=2,units=4', 'loss.csv'), 'utf8')).toBe(before);
    expect(readdirSync(root)).toHaveLength(7); // 6 runs and summary.csv: nothing new
    expect((await cli('run', f, '--out', out, '-q', '--seed', '7')).code).toBe(0);
    expect(readdirSync(root)).toContain('seed=7,units=4');
    expect((await cli('validate', f, '--seed', '1', '--sweep', 'seed=1,2')).code).toBe(2);
  });

  it('a --seed value the sweep lacks is no place in the grid: summary.csv lists it after the grid runs (guide 6)', async () => {
    const out = tempDir();
    const f = file('sweep:\n  seed: [0, 1, 2]\n');
    expect((await cli('run', f, '--out', out, '-q')).code).toBe(0);
    expect((await cli('run', f, '--out', out, '-q', '--seed', '42')).code).toBe(0);
    const root = join(out, 'tiny');
    const dirs = readFileSync(join(root, 'summary.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(dirs).toEqual(['seed=0', 'seed=1', 'seed=2', 'seed=42']); // seed=42 came second: it was recorded as grid index 0
    expect(JSON.parse(readFileSync(join(root, 'seed=42', 'run.json'), 'utf8')).sweep).toEqual({ index: 3, values: { seed: 42 } });
    expect(JSON.parse(readFileSync(join(root, 'seed=1', 'run.json'), 'utf8')).sweep.index).toBe(1);
  });

  it('--sweep replacing part of the file\'s grid in its folder: summary.csv lists this invocation\'s grid in its order, then the other folders in natural order', async () => {
    const out = tempDir();
    const f = file('sweep:\n  seed: [1, 2, 10]\n  training.optimizer.learning_rate: [0.5, 0.1]\n');
    const dirs = () => readFileSync(join(out, 'tiny', 'summary.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.slice(1, l.indexOf('"', 1))); // each dir holds a comma: quoted
    const file6 = ['seed=1,learning_rate=0.5', 'seed=1,learning_rate=0.1', 'seed=2,learning_rate=0.5', 'seed=2,learning_rate=0.1', 'seed=10,learning_rate=0.5', 'seed=10,learning_rate=0.1'];
    const other4 = ['seed=4,learning_rate=0.5', 'seed=4,learning_rate=0.1', 'seed=5,learning_rate=0.5', 'seed=5,learning_rate=0.1'];
    const natural = (ds: string[]) => [...ds].sort((a, b) => Number(/seed=(\d+)/.exec(a)![1]) - Number(/seed=(\d+)/.exec(b)![1]) || Number(/=(0\.\d+)/.exec(a)![1]) - Number(/=(0\.\d+)/.exec(b)![1]));
    expect((await cli('run', f, '--out', out, '-q')).code).toBe(0);
    expect(dirs()).toEqual(file6);
    expect((await cli('run', f, '--out', out, '-q', '--sweep', 'seed=4,5')).code).toBe(0);
    // It was sorted by the grid index of two grids: seed=1,learning_rate=0.5 then seed=4,learning_rate=0.5, …
    expect(dirs()).toEqual([...other4, ...natural(file6)]);
    // The file's grid again (every run skipped, summary.csv rewritten), a slice of it (--seed 2), a shard of it: the file's order first.
    for (const extra of [[], ['--seed', '2'], ['--shard', '2/2']]) {
      expect((await cli('run', f, '--out', out, '-q', ...extra)).code).toBe(0);
      expect(dirs(), extra.join(' ')).toEqual([...file6, ...natural(other4)]);
    }
  });

  it('a --set that a later --set or --seed replaces is left out of the folder name (it named a value the run does not have)', () => {
    const ids = (set: string[], seed?: number) => loadPlan(file(), { set, ...(seed === undefined ? {} : { seed }) }).runs.map((r) => r.runPath);
    expect(ids(['training.epochs=5', 'training.epochs=6'])).toEqual(['epochs=6']); // was training.epochs=5,training.epochs=6
    // The mapping replaces the learning rate set before it (the run's is adam's default, 0.001): was learning_rate=0.01,optimizer=type-adam.
    expect(ids(['training.optimizer.learning_rate=0.01', 'training.optimizer={type: adam}'])).toEqual(['optimizer=type-adam']);
    expect(ids(['training.optimizer={type: adam}', 'training.optimizer.learning_rate=0.01'])).toEqual(['optimizer=type-adam,learning_rate=0.01']);
    expect(ids(['seed=5'], 4)).toEqual(['seed=4']); // --seed is applied after every --set
  });

  it('refuses two experiments that would write the same folder, before anything runs', async () => {
    const out = tempDir();
    const r = await cli('run', file(), file('', 'other.yaml'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tiny\.yaml and .*other\.yaml would both write .*tiny: give one of them another name/);
    expect(existsSync(join(out, 'tiny'))).toBe(false);
  });
});
