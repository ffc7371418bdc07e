// `mlplab compare` through main(argv, io): grouping of runs that differ only by seed, mean ± std and the
// mean's interval (against numpy's and scipy's, test/fixtures/compare-stats.json), sorting by --by in each
// direction, the verdict (best only where significant, else tied; the tests' numbers against scipy's,
// test/fixtures/scipy-stats.json), the accepted kinds of PATH (folders at any depth, summary.csv, experiment
// files) and located errors for paths with no results and unreadable loss logs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { cli, tempDirs } from './helpers/cli.js';
import { compare } from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tempDir = tempDirs('mlplab-compare');

interface Fixture {
  name: string;
  seed: number;
  lr: number;
  activation?: string;
  acc: number;
  loss: number;
}

/** A result folder as `mlplab run` writes one (the files compare reads), with a 3-row loss log ending at `loss`. */
function writeRun(dir: string, f: Fixture, reorder = false, status = 'completed'): void {
  mkdirSync(dir, { recursive: true });
  const training = { epochs: 20, optimizer: { type: 'sgd', learning_rate: f.lr } };
  const model = { layers: [{ units: 2, activation: f.activation ?? 'tanh' }] };
  const config = reorder ? { training, model, seed: f.seed, name: f.name } : { name: f.name, seed: f.seed, model, training };
  const final = { train_loss: f.loss, train_accuracy: 1, test_loss: f.loss * 2, test_accuracy: f.acc };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: f.name, seed: f.seed, status, final }));
  const rows = [[0, 0, 1, 0.5, 2, 0.5], [10, 10, (1 + f.loss) / 2, 0.9, 1, 0.8], [20, 20, f.loss, 1, f.loss * 2, f.acc]];
  writeFileSync(join(dir, 'loss.csv'), ['epoch,step,train_loss,train_accuracy,test_loss,test_accuracy', ...rows.map((r) => r.join(','))].join('\n') + '\n');
}

// Group A: xor at lr 0.1, seeds 1–3; group B: xor at lr 0.5, seeds 1–2; group C: xor-relu, one seed.
const A = [0.9, 0.8, 1.0].map((acc, i) => ({ name: 'xor', seed: i + 1, lr: 0.1, acc, loss: [0.3, 0.2, 0.1][i] }));
const B = [0.95, 0.97].map((acc, i) => ({ name: 'xor', seed: i + 1, lr: 0.5, acc, loss: [0.05, 0.07][i] }));
const C = [{ name: 'xor-relu', seed: 1, lr: 0.1, activation: 'relu', acc: 0.5, loss: 0.01 }];

/** A sweep-like tree: ROOT/sweep/lr=…,seed=…/ (two levels for B), plus C on its own. */
function fixtureTree(): { root: string; sweep: string; single: string } {
  const root = tempDir();
  A.forEach((f, i) => writeRun(join(root, 'sweep', `lr=0.1,seed=${f.seed}`), f, i === 1));
  B.forEach((f) => writeRun(join(root, 'sweep', 'lr=0.5', `seed=${f.seed}`), f));
  writeRun(join(root, 'single'), C[0]);
  return { root, sweep: join(root, 'sweep'), single: join(root, 'single') };
}

// Each group's test accuracy: mean, standard deviation (numpy, ddof=1, as the table states) and the mean's
// interval at alpha 0.05 and 0.1 (scipy), by scripts/oracles/compare-stats.py.
type GroupOracle = { values: number[]; mean: number; std: number; ci: Record<string, [number, number]> };
const seedGroups = (JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'compare-stats.json'), 'utf8')) as { seed_groups: Record<'A' | 'B', GroupOracle> }).seed_groups;
const oracleA = seedGroups.A;
const oracleB = seedGroups.B;
const [meanA, meanB] = [oracleA.mean, oracleB.mean];
/** Within 1e-12 relative to the expected value. */
const near12 = (x: number | string, y: number) => expect(Math.abs(Number(x) - y), `${x} vs ${y}`).toBeLessThanOrEqual(1e-12 * Math.abs(y));
const LABEL_A = 'xor: optimizer.learning_rate=0.1';
const LABEL_B = 'xor: optimizer.learning_rate=0.5';

/** The table's data lines (after the header and the dashes): [mark ('*' or ''), group, n, seeds, metrics…]. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const end = lines.indexOf('');
  return lines.slice(2, end).map((l) => [l[0].trim(), ...l.slice(3).split(/ {2,}/).map((c) => c.trim())]);
}

describe('mlplab compare', () => {
  it('groups runs differing only by seed, sorts by test accuracy (descending); no best without significance', async () => {
    const { sweep, single } = fixtureTree();
    const out = join(tempDir(), 'cmp');
    const r = await cli('compare', sweep, single, '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows.map((row) => row[1])).toEqual([LABEL_B, LABEL_A, 'xor-relu']);
    // B (2 runs) against A (3 runs, other seeds): Welch, far from significant; against C (1 run): untestable.
    expect(rows.map((row) => row[0])).toEqual(['=', '=', '=']);
    expect(r.stdout).toContain('= tied for best by test_accuracy (higher is better)');
    expect(rows[1]).toContain('Welch t');
    expect(rows[2]).toContain('too few runs');

    const csv = parse(readFileSync(join(out, 'compare.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csv.map((c) => [c.group, c.n, c.best, c.tied, c.vs_top_test])).toEqual([[LABEL_B, '2', '0', '1', ''], [LABEL_A, '3', '0', '1', 'Welch t'], ['xor-relu', '1', '0', '1', '']]);
    expect(oracleA.values).toEqual(A.map((f) => f.acc));
    expect(oracleB.values).toEqual(B.map((f) => f.acc));
    for (const [row, oracle] of [[csv[0], oracleB], [csv[1], oracleA]] as const) {
      near12(row.test_accuracy_mean, oracle.mean);
      near12(row.test_accuracy_std, oracle.std);
      near12(row.test_accuracy_ci_low, oracle.ci['0.05'][0]);
      near12(row.test_accuracy_ci_high, oracle.ci['0.05'][1]);
    }
    expect(Number(csv[1].vs_top_diff)).toBeCloseTo(meanA - meanB, 14);
    expect(csv[2].test_accuracy_std).toBe(''); // one run: no spread, no interval
    expect(csv[2].test_accuracy_ci_low).toBe('');
    // The table shows the same numbers rounded to 4 significant digits; the other metrics as mean ± std.
    const [lo, hi] = [Number(csv[1].test_accuracy_ci_low), Number(csv[1].test_accuracy_ci_high)];
    expect(rows[1]).toContain(`${Number(meanA.toPrecision(4))} [${Number(lo.toPrecision(4))}, ${Number(hi.toPrecision(4))}]`);
    expect(lo).toBeLessThan(meanA);
    expect(hi - meanA).toBeCloseTo(meanA - lo, 14);
    for (const f of ['compare.html', 'compare.svg', 'compare.vl.json']) expect(existsSync(join(out, f))).toBe(true);
  });

  it('--by a loss sorts ascending; runs given twice (folder and summary) count once', async () => {
    const { root, sweep, single } = fixtureTree();
    const summary = join(root, 'summary.csv');
    writeFileSync(summary, 'dir,status\nsingle,completed\n"sweep/lr=0.1,seed=1",completed\n');
    const r = await cli('compare', summary, sweep, single, '--by', 'train_loss', '--out', join(root, 'cmp'), '--quiet');
    expect(r.code).toBe(0);
    const rows = tableRows(r.stdout);
    // Mean final train loss: C 0.01, B (0.05 + 0.07) / 2 = 0.06, A (0.3 + 0.2 + 0.1) / 3 = 0.2.
    expect(rows.map((row) => row[1])).toEqual(['xor-relu', LABEL_B, LABEL_A]);
    expect(rows.map((row) => row[2])).toEqual(['1', '2', '3']);
    expect(r.stdout).toContain('best by train_loss (lower is better)');
  });

  it('a summary.csv alone gives its runs; a dir that is not a run is located at its line and column', async () => {
    const { root } = fixtureTree();
    writeFileSync(join(root, 'summary.csv'), `status,dir\ncompleted,sweep/lr=0.5/seed=1\ncompleted,${join(root, 'sweep/lr=0.5/seed=2')}\n`);
    const ok = await cli('compare', join(root, 'summary.csv'), '--out', join(root, 'cmp'), '--quiet');
    expect(ok.code).toBe(0);
    expect(tableRows(ok.stdout)).toHaveLength(1);
    writeFileSync(join(root, 'bad.csv'), 'status,dir\ncompleted,sweep/lr=0.5/seed=1\ncompleted,nowhere\n');
    const bad = await cli('compare', join(root, 'bad.csv'), '--out', join(root, 'cmp2'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^${join(root, 'bad.csv')}:3:2: no run.json in "nowhere"`));
    expect(existsSync(join(root, 'cmp2'))).toBe(false);
  });

  it('paths with no results: exit 1, the path named, what was expected said', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'empty'));
    for (const path of [join(root, 'missing'), join(root, 'empty')]) {
      const r = await cli('compare', path, '--out', join(root, 'cmp'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${path}: `);
      expect(r.stderr).toContain('expected a result folder (with run.json, config.json and loss.csv)');
      expect(r.stderr).not.toContain('    at ');
    }
    expect((await cli('compare')).code).toBe(2);
    const { single } = fixtureTree();
    const into = await cli('compare', single, '--out', single);
    expect(into.code).toBe(1);
    expect(into.stderr).toContain(`${single}: this folder holds a run (run.json)`);
    const { sweep } = fixtureTree();
    const by = await cli('compare', sweep, '--by', 'test_f1', '--out', join(root, 'cmp'));
    expect(by.code).toBe(2);
    expect(by.stderr).toContain('--by test_f1: no run has this metric; expected one of: train_loss, train_accuracy, test_loss, test_accuracy');
  });
});

describe('mlplab compare: the verdict against scipy (test/fixtures/scipy-stats.json)', () => {
  const oracle = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'scipy-stats.json'), 'utf8')) as {
    pairs: Record<string, { a: number[]; b: number[] }>;
    paired: { pair: string; p: number; low: number; high: number; diff: number; wilcoxon?: { p: number } }[];
    welch: { name: string; p: number; low: number; high: number; diff: number }[];
  };
  const { a, b } = oracle.pairs.n8_ties_zeros; // a beats b on every seed but two ties: p = 0.0025 paired
  /** Group a at lr 0.1 (seeds 0..7) and group b at lr 0.5 (seeds from bFirst on). */
  function tree(bFirst: number): string {
    const root = tempDir();
    a.forEach((acc, i) => writeRun(join(root, `lr=0.1,seed=${i}`), { name: 'xor', seed: i, lr: 0.1, acc, loss: 0.1 }));
    b.forEach((acc, i) => writeRun(join(root, `lr=0.5,seed=${bFirst + i}`), { name: 'xor', seed: bFirst + i, lr: 0.5, acc, loss: 0.1 }));
    return root;
  }
  const csvOf = (dir: string) => parse(readFileSync(join(dir, 'compare.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const near = (x: string, y: number) => expect(Math.abs(Number(x) - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));

  it('the same seeds: paired t-test and Wilcoxon, significant: the top group marked best (*)', async () => {
    const out = join(tempDir(), 'cmp');
    const r = await cli('compare', tree(0), '--out', out, '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(tableRows(r.stdout).map((row) => row.slice(0, 2))).toEqual([['*', LABEL_A], ['', LABEL_B]]);
    expect(r.stdout).toContain(`* best by test_accuracy (higher is better): ${LABEL_A} is better than every other group`);
    const [top, other] = csvOf(out);
    expect([top.best, top.tied, other.best, other.tied, other.vs_top_test, other.vs_top_df]).toEqual(['1', '0', '0', '0', 'paired t', '7']);
    const expected = oracle.paired.find((p) => p.pair === 'n8_ties_zeros')!; // scipy's a − b; the table shows b − a
    near(other.vs_top_diff, -expected.diff);
    near(other.vs_top_ci_low, -expected.high);
    near(other.vs_top_ci_high, -expected.low);
    near(other.vs_top_p, expected.p);
    expect(other.wilcoxon_method).toBe('normal');
    near(other.wilcoxon_p, expected.wilcoxon!.p);
  });

  it("other seeds: Welch's t-test, not significant: tied (=); --alpha 0.001 unmakes the paired verdict", async () => {
    const out = join(tempDir(), 'cmp');
    const r = await cli('compare', tree(100), '--out', out, '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(tableRows(r.stdout).map((row) => row[0])).toEqual(['=', '=']);
    const [, other] = csvOf(out);
    const expected = oracle.welch.find((w) => w.name === 'n8_ties_zeros')!;
    expect(other.vs_top_test).toBe('Welch t');
    near(other.vs_top_p, expected.p);
    near(other.vs_top_ci_low, -expected.high);
    expect(other.wilcoxon_p).toBe('');
    const strict = await cli('compare', tree(0), '--alpha', '0.001', '--out', out, '-q');
    expect(tableRows(strict.stdout).map((row) => row[0])).toEqual(['=', '=']);
    expect(strict.stdout).toContain('(99.9% CI)');
    // found: the text as given (1e-400 was said to be 0, 2.0 to be 2)
    for (const bad of ['0', '1', 'x', '5%', '1e-400', '2.0']) {
      const e = await cli('compare', tree(0), '--alpha', bad, '--out', out);
      expect(e.code).toBe(2);
      expect(e.stderr).toBe(`--alpha expects a significance level between 0 and 1 (like 0.05 or 0.01), found "${bad}"\n(see mlplab --help)\n`);
    }
  });
});

describe('mlplab compare: runs that did not complete, --curve', () => {
  it('leaves out runs whose status is not completed, saying which; --curve names a loss-log column', async () => {
    const { root, sweep } = fixtureTree();
    writeRun(join(sweep, 'lr=0.1,seed=9'), { ...A[0], seed: 9, acc: 0 }, false, 'diverged');
    const r = await cli('compare', sweep, '--out', join(root, 'cmp'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`left out 1 run(s) that did not complete: ${join(sweep, 'lr=0.1,seed=9')} (diverged)`);
    expect(tableRows(r.stdout).map((row) => [row[1], row[2]])).toEqual([[LABEL_B, '2'], [LABEL_A, '3']]);
    const curve = await cli('compare', sweep, '--curve', 'test_loss', '--out', join(root, 'cmp'), '-q');
    expect(curve.code).toBe(0);
    expect(readFileSync(join(root, 'cmp', 'compare.vl.json'), 'utf8')).toContain('"title": "test_loss by epoch');
    const bad = await cli('compare', sweep, '--curve', 'test_f1', '--out', join(root, 'cmp'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--curve test_f1: no loss log has this column; expected one of: train_loss, train_accuracy, test_loss, test_accuracy');
  });
});

describe('mlplab compare: labels and single files', () => {
  it('labels groups of one name by the settings that differ; a file of a result folder stands for the folder', async () => {
    const root = tempDir();
    writeRun(join(root, 'a'), { name: 'xor', seed: 1, lr: 0.1, activation: 'relu', acc: 0.75, loss: 0.2 });
    writeRun(join(root, 'b'), { name: 'xor', seed: 1, lr: 0.1, activation: 'tanh', acc: 1, loss: 0.1 });
    const r = await cli('compare', join(root, 'a', 'loss.csv'), join(root, 'b', 'run.json'), '--out', join(root, 'cmp'), '-q');
    expect(r.code).toBe(0);
    // One run each: no test is possible, so no best.
    expect(tableRows(r.stdout).map((row) => row.slice(0, 3))).toEqual([['=', 'xor: layers[0].activation=tanh', '1'], ['=', 'xor: layers[0].activation=relu', '1']]);
  });
});

describe('mlplab compare on real runs (spawned in a temporary folder: results/ and the default --out)', () => {
  it('an experiment file whose results exist; the default output results/compare/', (ctx) => {
    const bin = join(ROOT, 'bin', 'mlplab.js');
    ctx.skip(!existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first');
    const cwd = tempDir();
    copyFileSync(join(ROOT, 'experiments', 'xor-softmax.yaml'), join(cwd, 'xor.yaml'));
    const spawn = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
    const missing = spawn('compare', 'xor.yaml');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('xor.yaml: no results for this experiment: results/xor-softmax does not exist (run it first: mlplab run xor.yaml)');
    for (const seed of ['1', '2']) expect(spawn('run', 'xor.yaml', '--set', 'training.epochs=50', '--seed', seed, '--out', `results/xor-softmax/seed=${seed}`, '-q').status).toBe(0);
    const r = spawn('compare', 'xor.yaml', '-q');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(0, 4)).toEqual(['', 'xor-softmax', '2', '1, 2']); // one group: nothing to be best against
    const svg = readFileSync(join(cwd, 'results', 'compare', 'compare.svg'), 'utf8');
    expect(svg).toContain('xor-softmax');
    expect(readFileSync(join(cwd, 'results', 'compare', 'compare.html'), 'utf8')).toContain(svg.trim().slice(0, 200));
  });
});

describe('compare() in the library API', () => {
  it('gives what the CLI prints and writes: the groups, their statistics, the table text and the page', async () => {
    const { compare } = await import('../src/index.js');
    const { sweep, single } = fixtureTree();
    const cliOut = join(tempDir(), 'cli');
    const r = await cli('compare', sweep, single, '--alpha', '0.1', '--out', cliOut, '-q');
    expect(r.code).toBe(0);
    const apiOut = join(tempDir(), 'api');
    const result = await compare([sweep, single], { alpha: 0.1, out: apiOut });
    expect(result.text).toBe(r.stdout);
    expect(result.out).toBe(apiOut);
    expect(result.groups.map((g) => [g.label, g.n, g.tied, g.vsTop?.test])).toEqual([[LABEL_B, 2, true, undefined], [LABEL_A, 3, true, 'Welch t'], ['xor-relu', 1, true, undefined]]);
    expect(result.groups[1].stats.test_accuracy.mean).toBeCloseTo(meanA, 14);
    near12(result.groups[1].stats.test_accuracy.std!, oracleA.std);
    near12(result.groups[1].stats.test_accuracy.ci![0], oracleA.ci['0.1'][0]);
    near12(result.groups[1].stats.test_accuracy.ci![1], oracleA.ci['0.1'][1]);
    expect(result.alpha).toBe(0.1);
    for (const f of ['compare.html', 'compare.svg', 'compare.vl.json', 'compare.csv']) {
      expect(readFileSync(join(apiOut, f), 'utf8')).toBe(readFileSync(join(cliOut, f), 'utf8'));
      expect(result.files[f]).toBe(readFileSync(join(apiOut, f), 'utf8'));
    }
    expect(result.page).toBe(result.files['compare.html']);
    // out: false writes nothing (and says so) but gives the files; a bad alpha is a usage error, as on the command line.
    const unwritten = await compare([sweep], { out: false });
    expect(unwritten.out).toBeUndefined();
    expect(unwritten.page).toContain('<table id="groups">');
    await expect(compare([sweep], { alpha: 1.5, out: false })).rejects.toThrow('--alpha expects a significance level between 0 and 1');
  });
});

describe('mlplab compare: many groups', () => {
  it('the charts draw the 10 best groups in natural order and say so; the table and compare.csv have all', async () => {
    const root = tempDir();
    const rates = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];
    rates.forEach((lr, i) => writeRun(join(root, `lr=${lr}`), { name: 'xor', seed: 1, lr, acc: 0.5 + i / 40, loss: 1 - i / 20 }));
    const result = await (await import('../src/index.js')).compare([root], { out: false });
    expect(result.groups).toHaveLength(12);
    expect(result.charts[0].curves.map((c) => c.label)).toEqual(rates.slice(2).map((lr) => `xor: optimizer.learning_rate=${lr}`));
    expect(result.page).toContain('train_loss by epoch for the 10 best groups by test_accuracy (of 12; the table has them all)');
    expect(result.files['compare.csv'].trim().split('\n')).toHaveLength(13);
  });

  it("compare.csv's dirs: a JSON array of the group's folders, split back whatever their names hold (space, comma, quote)", async () => {
    const root = tempDir();
    const names = ['seed 1', 'seed,2', 'seed"3', "seed '4' [x]"];
    names.forEach((n, i) => writeRun(join(root, n), { name: 'xor', seed: i + 1, lr: 0.1, acc: 0.5 + i / 10, loss: 0.1 }));
    const result = await compare([root], { out: false });
    const [row] = parse(result.files['compare.csv'], { columns: true }) as Record<string, string>[];
    expect(JSON.parse(row.dirs)).toEqual(result.groups[0].dirs);
    expect([...(JSON.parse(row.dirs) as string[])].sort()).toEqual(names.map((n) => join(root, n)).sort());
  });
});

describe('mlplab compare: loss logs', () => {
  it('a loss log as mlplab writes it is read quickly; any other (quotes, a bad cell) by the CSV reader, errors located', async () => {
    const root = tempDir();
    writeRun(join(root, 'a'), { name: 'xor', seed: 1, lr: 0.1, acc: 0.75, loss: 0.2 });
    writeRun(join(root, 'b'), { name: 'xor', seed: 2, lr: 0.1, acc: 1, loss: 0.1 });
    writeFileSync(join(root, 'b', 'loss.csv'), '"epoch",step,train_loss\n0,0,1\n10,10,"0.5"\n');
    const quoted = await compare([root], { out: false });
    expect(quoted.charts[0].curves[0].points.map((p) => [p.epoch, p.n])).toEqual([[0, 2], [10, 2], [20, 1]]);
    writeFileSync(join(root, 'b', 'loss.csv'), 'epoch,step,train_loss\n0,0,1\n10,10,abc\n');
    const error = await compare([root], { out: false }).catch((e: { format(): string }) => e.format());
    expect(error).toBe(`${join(root, 'b', 'loss.csv')}:3:3: expected a number in column "train_loss", found "abc"`);
  });

  it('an empty loss log is a located user error (exit 1, as an unreadable run.json), not an internal one', async () => {
    const root = tempDir();
    writeRun(join(root, 'a'), { name: 'xor', seed: 1, lr: 0.1, acc: 0.75, loss: 0.2 });
    writeRun(join(root, 'b'), { name: 'xor', seed: 2, lr: 0.1, acc: 1, loss: 0.1 });
    writeFileSync(join(root, 'b', 'loss.csv'), '');
    const out = join(root, 'cmp');
    const r = await cli('compare', root, '--out', out);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `${join(root, 'b', 'loss.csv')}:1:1: expected a loss log: a header line (epoch,step,…), found an empty file\n`]);
    expect(existsSync(out)).toBe(false);
    writeFileSync(join(root, 'b', 'loss.csv'), '\n'); // a blank line: the CSV reader's located sentence
    const blank = await cli('compare', root, '--out', out);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toMatch(new RegExp(`^${join(root, 'b', 'loss.csv')}:1:1: .*empty`));
  });
});

describe('mlplab compare: the loss charts\' y axis', () => {
  it('log by default for a loss spanning more than two decades (as loss.svg), linear otherwise; --log-scale and --linear override', async () => {
    const { sweep } = fixtureTree(); // train_loss from 1 down to 0.1 … 0.05: one decade
    const out = join(tempDir(), 'cmp');
    const title = () => (JSON.parse(readFileSync(join(out, 'compare.vl.json'), 'utf8')) as { layer: { encoding: { y: { title: string; scale: { type: string } } } }[] }).layer[1].encoding.y;
    expect((await cli('compare', sweep, '--out', out, '-q')).code).toBe(0);
    expect(title()).toMatchObject({ title: 'train_loss', scale: { type: 'linear' } });
    expect((await cli('compare', sweep, '--log-scale', '--out', out, '-q')).code).toBe(0);
    expect(title()).toMatchObject({ title: 'train_loss (log scale)', scale: { type: 'log' } });
    const root = tempDir();
    writeRun(join(root, 'deep'), { name: 'xor', seed: 1, lr: 0.1, acc: 1, loss: 0.001 }); // 1 → 0.001: three decades
    expect((await cli('compare', root, '--out', out, '-q')).code).toBe(0);
    expect(title().scale.type).toBe('log');
    expect((await cli('compare', root, '--linear', '--out', out, '-q')).code).toBe(0);
    expect(title().scale.type).toBe('linear');
    const both = await cli('compare', root, '--linear', '--log-scale', '--out', out);
    expect([both.code, both.stderr]).toEqual([2, '--log-scale and --linear: give one of them (without either, a loss spanning more than two decades is drawn on a log axis)\n(see mlplab --help)\n']);
  });
});

describe('compare --out through a file', () => {
  it('is exit 1 naming the folder (it was an internal ENOTDIR error from a recursive mkdir)', async () => {
    const { single, root } = fixtureTree();
    writeFileSync(join(root, 'afile'), 'x');
    const r = await cli('compare', single, '--out', join(root, 'afile', 'cmp'));
    expect(r.stderr).toBe(`${join(root, 'afile', 'cmp')}: cannot create the folder: a part of the path is a file, not a folder (ENOTDIR)\n`);
    expect(r.code).toBe(1);
  });
});
