// `mlplab evaluate`: on a run's own test rows (--rows test --run DIR) it reproduces the run's reported test
// metrics and confusion matrix exactly (classification; regression with scaled targets; early stopping with
// restored weights); on every row its accuracy matches predict's labels; its usage and data errors are clear.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { evaluateCsv, loadModel, runRows } from '../src/index.js';
import { loadExperiment, predict, readCsvForTests, runExperiment } from './helpers/evaluate-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'mlplab-evaluate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('mlplab evaluate --rows test --run DIR', () => {
  for (const [name, data] of [['iris', 'data/iris.csv'], ['body', 'data/body.csv'], ['diabetes', 'data/diabetes.csv']] as const) {
    it(`${name}: reproduces the run's test metrics exactly`, async () => {
      const run = await runExperiment(loadExperiment(`experiments/${name}.yaml`), { outDir: join(out, name) });
      const file = join(out, `${name}.json`);
      const r = await cli('evaluate', join(out, name, 'model.json'), data, '--rows', 'test', '--run', join(out, name), '--out', file, '-q');
      expect(r.code, r.stderr).toBe(0);
      const e = JSON.parse(readFileSync(file, 'utf8'));
      expect(e.count).toBe(run.run.test_rows!.length);
      expect(e.loss).toBe(run.final.test_loss);
      if (run.run.confusion) {
        expect(e.accuracy).toBe(run.final.test_accuracy);
        const { on: _on, ...confusion } = run.run.confusion;
        expect(e.confusion).toEqual(confusion);
        expect(e.classification_report).toEqual(run.run.classification_report);
        expect(r.stdout).toMatch(/confusion \(rows: true class, columns: predicted\)/);
      } else {
        expect(e.r2).toBe(run.final.test_r2);
        expect([e.rmse, e.mae]).toEqual([run.final.test_rmse, run.final.test_mae]);
      }
      expect(r.stdout).toContain(`loss      ${run.final.test_loss}`);
      if (run.run.validation_rows) {
        const v = await cli('evaluate', join(out, name, 'model.json'), data, '--rows', 'validation', '--run', join(out, name));
        expect(v.code, v.stderr).toBe(0);
        expect(v.stdout).toContain(`loss      ${run.final.validation_loss}`);
        expect(v.stdout).toContain(`r2        ${run.final.validation_r2}`);
      }
    });
  }
});

describe('mlplab evaluate on every row', () => {
  it('accuracy agrees with the labels predict gives', async () => {
    await runExperiment(loadExperiment('experiments/iris.yaml'), { outDir: join(out, 'iris-all') });
    const model = JSON.parse(readFileSync(join(out, 'iris-all', 'model.json'), 'utf8'));
    const table = readCsvForTests('data/iris.csv');
    const x = table.rows.map((row) => row.slice(0, 4).map(Number));
    const predicted = predict(model, x).predicted!;
    const correct = predicted.filter((p, i) => p === table.rows[i][4]).length;
    const file = join(out, 'all.json');
    expect((await cli('evaluate', join(out, 'iris-all', 'model.json'), 'data/iris.csv', '--out', file, '-q')).code).toBe(0);
    const e = JSON.parse(readFileSync(file, 'utf8'));
    expect(e.count).toBe(150);
    expect(e.accuracy).toBe(correct / 150);
    expect(e.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(150);
  });

  it('refuses --rows without --run, and an unknown class, located', async () => {
    const model = join(out, 'iris-all', 'model.json');
    const usage = await cli('evaluate', model, 'data/iris.csv', '--rows', 'test');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--rows and --run DIR go together/);
    const bad = join(out, 'bad.csv');
    const text = readFileSync('data/iris.csv', 'utf8').replace(/setosa/, 'setosaa');
    writeFileSync(bad, text);
    const r = await cli('evaluate', model, bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:2:5: unknown class "setosaa" in column "species"; the model knows: setosa, versicolor, virginica/);
  });

  it('multilabel and one-hot target columns hold 0 or 1, as in training: anything else is refused, located', async () => {
    const fix = 'test/fixtures/evaluate';
    const edit = (src: string, name: string, row: number, from: RegExp, to: string) => {
      const lines = readFileSync(src, 'utf8').split('\n');
      lines[row] = lines[row].replace(from, to);
      writeFileSync(join(out, name), lines.join('\n'));
      return join(out, name);
    };
    const labels = edit('data/digit-properties.csv', 'labels.csv', 3, /,[01],([01]),([01])$/, ',2,$1,$2');
    const ml = await cli('evaluate', join(fix, 'digit-properties.model.json'), labels);
    expect(ml.code).toBe(1);
    expect(ml.stderr).toMatch(/labels\.csv:4:65: expected 0 or 1 in column "even" \(a 0\/1 label\), but found 2/);
    const none = edit(join(fix, 'xor-onehot.csv'), 'onehot.csv', 2, /,0,1$/, ',0,0');
    const oh = await cli('evaluate', join(fix, 'xor-onehot.model.json'), none);
    expect(oh.code).toBe(1);
    expect(oh.stderr).toMatch(/onehot\.csv:3:1: expected exactly one 1 in the one-hot target columns y1, y2, but found 0/);
    const half = edit(join(fix, 'xor-onehot.csv'), 'half.csv', 2, /,0,1$/, ',0.5,0.5');
    expect((await cli('evaluate', join(fix, 'xor-onehot.model.json'), half)).stderr).toMatch(/half\.csv:3:3: expected 0 or 1 in column "y1" \(a one-hot class column\), but found 0\.5/);
  });

  it("a file without the model's features says what it has (a file of another separator shows its header whole)", async () => {
    const file = join(out, 'semicolons.csv');
    writeFileSync(file, readFileSync('data/iris.csv', 'utf8').replaceAll(',', ';'));
    await runExperiment(loadExperiment('experiments/iris.yaml', { set: ['training.epochs=1'] }), { outDir: join(out, 'iris-semi') });
    const r = await cli('evaluate', join(out, 'iris-semi', 'model.json'), file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${file}:1:1: missing feature column(s) "sepal_length", "sepal_width", "petal_length", "petal_width"; the model takes: sepal_length, sepal_width, petal_length, petal_width; the file's columns are: sepal_length;sepal_width;petal_length;petal_width;species\n`);
    // Empty lines before the header are skipped: the header's problems are at its own line (they said line 1).
    const late = join(out, 'late.csv');
    writeFileSync(late, '\n\nsepal_length,sepal_width,petal_length,petal_width\n1,2,3,4\n');
    expect((await cli('evaluate', join(out, 'iris-semi', 'model.json'), late)).stderr).toBe(`${late}:3:1: expected the one-hot columns "species=setosa", "species=versicolor", "species=virginica" or the label column "species", as the model was trained on; the file has: sepal_length, sepal_width, petal_length, petal_width\n`);
    const noFeature = join(out, 'late-features.csv');
    writeFileSync(noFeature, '\n\nsepal_length,species\n1,setosa\n');
    expect((await cli('evaluate', join(out, 'iris-semi', 'model.json'), noFeature)).stderr).toMatch(/late-features\.csv:3:1: missing feature column\(s\) "sepal_width"/);
  });

  it("--rows validation with a file shorter than the run's data names the validation rows", async () => {
    await runExperiment(loadExperiment('experiments/wine.yaml', { set: ['training.epochs=1', 'data.split.validation=0.2'] }), { outDir: join(out, 'wine-v') });
    const short = join(out, 'wine-short.csv');
    writeFileSync(short, readFileSync('data/wine.csv', 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    // the command compares the file with the run's data first (runRows with the file): another file
    const r = await cli('evaluate', join(out, 'wine-v', 'model.json'), short, '--rows', 'validation', '--run', join(out, 'wine-v'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wine-short\.csv: not the data file the run read: /);
    // the library's runRows without the file leaves that to evaluateCsv, which finds rows the file lacks
    const model = loadModel(join(out, 'wine-v', 'model.json'));
    expect(() => evaluateCsv(model, short, runRows(join(out, 'wine-v'), 'validation'), 'validation')).toThrow(/the run's validation rows include row \d+, but the file has 2 data rows: is it the run's data file\?/);
  });

  it("--rows with a data file other than the run's (same rows, a value changed) is refused: its row numbers are the run's file's (it printed other metrics as the run's)", async () => {
    const csv = join(out, 'wine-own.csv');
    writeFileSync(csv, readFileSync('data/wine.csv', 'utf8'));
    const exp = loadExperiment('experiments/wine.yaml', { set: ['training.epochs=1', `data.csv.path=${csv}`] });
    await runExperiment(exp, { outDir: join(out, 'wine-own') });
    const same = await cli('evaluate', join(out, 'wine-own', 'model.json'), csv, '--rows', 'test', '--run', join(out, 'wine-own'));
    expect(same.code, same.stderr).toBe(0);
    const lines = readFileSync(csv, 'utf8').split('\n');
    lines[5] = lines[5].replace(/^[^,]*/, '99'); // one feature of one row
    writeFileSync(csv, lines.join('\n'));
    const r = await cli('evaluate', join(out, 'wine-own', 'model.json'), csv, '--rows', 'test', '--run', join(out, 'wine-own'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${csv.replace(/[.]/g, '\\.')}: not the data file the run read: its SHA-256 is [0-9a-f]{12}…, run\\.json records [0-9a-f]{12}… for .*wine-own\\.csv; --rows test takes the run's row numbers, which are that file's\\n$`));
    // a run.json whose input has lost its path (damaged): the file is not named 'undefined'
    const runJson = join(out, 'wine-own', 'run.json');
    const record = JSON.parse(readFileSync(runJson, 'utf8'));
    delete record.inputs[0].path;
    writeFileSync(runJson, JSON.stringify(record));
    const lost = await cli('evaluate', join(out, 'wine-own', 'model.json'), csv, '--rows', 'test', '--run', join(out, 'wine-own'));
    expect(lost.stderr).toMatch(/, run\.json records [0-9a-f]{12}… for its data file; --rows test takes/);
    expect(lost.code).toBe(1);
  });

  it('--run of a folder without run.json says so in words, not as a raw ENOENT', async () => {
    await runExperiment(loadExperiment('experiments/wine.yaml', { set: ['training.epochs=1', 'data.split.test=0.2'] }), { outDir: join(out, 'wine-t') });
    const empty = mkdtempSync(join(tmpdir(), 'mlplab-evaluate-norun-'));
    const r = await cli('evaluate', join(out, 'wine-t', 'model.json'), 'data/wine.csv', '--rows', 'test', '--run', empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${join(empty, 'run.json')}: cannot read the run record: no such file (is --run DIR a run's results folder?)\n`);
    rmSync(empty, { recursive: true });
  });

  it("--run of a damaged run.json or config.json: said at the file and key, exit 1 (it said evaluateCsv's usage error, exit 2, or crashed on null)", async () => {
    await runExperiment(loadExperiment('experiments/wine.yaml', { set: ['training.epochs=1', 'data.split.test=0.2'] }), { outDir: join(out, 'wine-d') });
    const dir = join(out, 'wine-d');
    const [run, config] = [join(dir, 'run.json'), join(dir, 'config.json')].map((f) => [f, readFileSync(f, 'utf8')] as const);
    const edit = ([file, text]: readonly [string, string], key: string, value: unknown) => {
      const j = JSON.parse(text);
      if (key === 'delimiter') j.data.csv.delimiter = value;
      else j[key] = value;
      writeFileSync(file, JSON.stringify(j));
    };
    const evaluate = () => cli('evaluate', join(dir, 'model.json'), 'data/wine.csv', '--rows', 'test', '--run', dir);
    const cases: [readonly [string, string], string, unknown, string][] = [
      [run, 'test_rows', [3, 1.5], 'test_rows[1]: expected a 0-based data row number, found 1.5 (a number)'],
      [run, 'test_rows', ['x'], 'test_rows[0]: expected a 0-based data row number, found "x" (a string)'],
      [run, 'test_rows', [4, 7, 4], 'test_rows[2]: expected each data row once, found row 4 again (is run.json damaged?)'],
      [run, 'test_rows', 'all', 'test_rows: expected a list of 0-based data row numbers, found "all" (a string)'],
      [config, 'delimiter', ';;', 'data.csv.delimiter: expected one character, found ";;" (a string)'],
      [config, 'delimiter', 5, 'data.csv.delimiter: expected one character, found 5 (a number)'],
    ];
    for (const [file, key, value, message] of cases) {
      edit(file, key, value);
      const r = await evaluate();
      expect(r.stderr, JSON.stringify(value)).toBe(`${file[0]}: ${message}\n`);
      expect(r.code).toBe(1);
      writeFileSync(file[0], file[1]);
    }
    writeFileSync(run[0], '');
    const cut = await evaluate();
    expect(cut.stderr).toBe(`${run[0]}: cannot read the run record: expected JSON, found text that is not (Unexpected end of JSON input)\n`);
    expect(cut.code).toBe(1);
    writeFileSync(run[0], 'null\n');
    const r = await evaluate();
    expect(r.stderr).toBe(`${run[0]}: cannot read the run record: expected a JSON object, found null\n`);
    expect(r.code).toBe(1);
    writeFileSync(run[0], run[1]);
    expect((await evaluate()).code).toBe(0);
  });

  it('numeric classes: a label is one only as a plain decimal, as training reads them ("1.0" is class 1, "0x1" unknown)', async () => {
    await runExperiment(loadExperiment('experiments/wine.yaml', { set: ['training.epochs=1'] }), { outDir: join(out, 'wine-1') });
    const model = join(out, 'wine-1', 'model.json');
    const lines = readFileSync('data/wine.csv', 'utf8').trim().split('\n');
    const label = (text: string) => {
      const file = join(out, 'wine-label.csv');
      writeFileSync(file, [lines[0], lines[1].replace(/,[^,]*$/, `,${text}`)].join('\n') + '\n');
      return cli('evaluate', model, file);
    };
    expect((await label('1.0')).code).toBe(0);
    for (const text of ['0x1', '0b1', 'Infinity']) {
      const r = await label(text);
      expect(r.code, text).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`wine-label\\.csv:2:14: unknown class "${text}" in column "cultivar"; the model knows: 0, 1, 2`));
    }
  });
});
