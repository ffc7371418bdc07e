// Using what was trained: predict reproduces a run's test accuracy; a model round-trips through
// init.from with 0 epochs to identical outputs; predict's errors are clear; the library API trains XOR.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli.js';
import { isUserError } from '../src/errors.js';
import { zeros } from '../src/matrix.js';
import { experimentFromObject, loadExperiment, loadModel, predict, prepare, runExperiment, trainExperiment, type RunRecord, type RunResult } from '../src/index.js';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mlplab-predict-'));

describe('mlplab predict', () => {
  const out = tmp();
  let run: RunResult;
  let runJson: RunRecord;
  beforeAll(async () => {
    run = await runExperiment(loadExperiment('experiments/iris.yaml'), { outDir: join(out, 'iris') });
    runJson = JSON.parse(readFileSync(join(out, 'iris', 'run.json'), 'utf8'));
  });

  it("reproduces the test accuracy that run.json reports, on the held-out rows", async () => {
    const lines = readFileSync('data/iris.csv', 'utf8').trim().split(/\r?\n/);
    const testRows: number[] = runJson.test_rows!;
    expect(testRows.length).toBe(30);
    const csv = join(out, 'test.csv');
    writeFileSync(csv, [lines[0], ...testRows.map((r) => lines[r + 1])].join('\n') + '\n');
    const io = capture();
    expect(await main(['predict', join(out, 'iris', 'model.json'), csv], io)).toBe(0);
    const predicted: { predicted: string }[] = parse(io.stdout, { columns: true });
    const truth = testRows.map((r) => lines[r + 1].split(',').at(-1));
    const hits = predicted.filter((p, i) => p.predicted === truth[i]).length;
    expect(hits / testRows.length).toBe(runJson.final.test_accuracy);
    expect(runJson.final.test_accuracy).toBe(run.final.test_accuracy);
  });

  it('writes the id columns, the class and one probability column per class summing to 1', async () => {
    const io = capture();
    const file = join(out, 'pred.csv');
    expect(await main(['predict', join(out, 'iris', 'model.json'), 'data/iris.csv', '--id', 'species', '--out', file], io)).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(file, 'utf8'), { columns: true });
    expect(Object.keys(rows[0])).toEqual(['species', 'predicted', 'p_setosa', 'p_versicolor', 'p_virginica']);
    expect(rows).toHaveLength(150);
    for (const r of rows) expect(Number(r.p_setosa) + Number(r.p_versicolor) + Number(r.p_virginica)).toBeCloseTo(1, 12);
  });

  it('reports missing and extra columns and foreign model files', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'missing.csv'), 'sepal_length,sepal_width,petal_length\n1,2,3\n');
    writeFileSync(join(dir, 'semicolons.csv'), 'sepal_length;sepal_width;petal_length;petal_width\n1;2;3;4\n');
    writeFileSync(join(dir, 'extra.csv'), 'sepal_length,sepal_width,petal_length,petal_width,colour\n1,2,3,4,red\n');
    writeFileSync(join(dir, 'late.csv'), '\r\n\r\nsepal_length,sepal_width,petal_length\r\n1,2,3\r\n'); // empty lines before the header
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ format: 'mlplab.model/v2', layers: [] }));
    const model = join(out, 'iris', 'model.json');
    const cases: [string[], RegExp][] = [
      [[model, join(dir, 'missing.csv')], /missing\.csv:1:1: missing column\(s\) "petal_width"; the model takes the features: sepal_length, sepal_width, petal_length, petal_width; the file's columns are: sepal_length, sepal_width, petal_length\n$/],
      // What was found, too: a file of another separator shows its header whole (it said only what was missing).
      [[model, join(dir, 'semicolons.csv')], /semicolons\.csv:1:1: missing column\(s\) "sepal_length", .*; the file's columns are: sepal_length;sepal_width;petal_length;petal_width\n$/],
      [[model, join(dir, 'extra.csv')], /extra\.csv:1:1: unexpected column\(s\) "colour".*--id/],
      // At the header's own line, not line 1 (the empty lines before it are skipped).
      [[model, join(dir, 'late.csv')], /late\.csv:3:1: missing column\(s\) "petal_width"; /],
      [[join(dir, 'other.json'), 'data/iris.csv'], /other\.json: format: expected a model file of format "mlplab\.model\/v1", found format "mlplab\.model\/v2"/],
      // An --id column that is not there is named as the --id's, not as one of the model's features.
      [[model, 'data/iris.csv', '--id', 'sample'], /^data\/iris\.csv:1:1: expected the column "sample" \(--id\), but the file's columns are: sepal_length, .*, species\n$/],
    ];
    for (const [args, message] of cases) {
      const io = capture();
      expect(await main(['predict', ...args], io)).toBe(1);
      expect(io.stderr).toMatch(message);
      expect(io.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('mlplab predict --id', () => {
  it('refuses a column given twice (the output had two columns of one name) as a usage error', async () => {
    const dir = tmp();
    await runExperiment(loadExperiment('experiments/xor-softmax.yaml', { set: ['training.epochs=1'] }), { outDir: join(dir, 'x') });
    const model = join(dir, 'x', 'model.json');
    writeFileSync(join(dir, 'd.csv'), 'id,x1,x2\na,0,1\n');
    const io = capture();
    expect(await main(['predict', model, join(dir, 'd.csv'), '--id', 'id', '--id', 'id'], io)).toBe(2);
    expect(io.stderr).toBe('--id id is given twice; expected each column once\n(see mlplab --help)\n');
    expect(io.stdout).toBe('');
  });
});

describe('model round trip', () => {
  it('a model loaded with init.from and trained for 0 epochs predicts exactly the same numbers', async () => {
    const dir = tmp();
    const wine = loadExperiment('experiments/wine.yaml');
    const first = await runExperiment(wine, { outDir: join(dir, 'wine') });
    const again = trainExperiment(
      loadExperiment('experiments/wine.yaml', { set: [`model.init={from: "${join(dir, 'wine', 'model.json')}"}`, 'training.epochs=0'] }),
    );
    const x = prepare(wine).data.test!.x;
    expect(again.model!.layers).toEqual(first.model!.layers);
    expect(Array.from(predict(again.model!, x).outputs.data)).toEqual(Array.from(predict(first.model!, x).outputs.data));
    expect(again.final.test_accuracy).toBe(first.final.test_accuracy);
    expect(again.final.test_loss).toBe(first.final.test_loss);
  });
});

describe('library API', () => {
  it('trains XOR from an object and predicts with the model', () => {
    const xor = experimentFromObject({
      seed: 1,
      data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 0], [0, 1], [0, 1], [1, 0]] } },
      model: { layers: [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
      loss: 'cross_entropy',
      training: { epochs: 2000, batch_size: 4, optimizer: { type: 'sgd', learning_rate: 0.5, momentum: 0.9 } },
    });
    const trained = trainExperiment(xor);
    expect(trained.final.train_accuracy).toBe(1);
    expect(predict(trained.model!, [[0, 0], [0, 1], [1, 0], [1, 1]]).predicted).toEqual([0, 1, 1, 0]);
  });

  it('refuses rows of another width than the model takes, naming the row (never a prediction from zeros)', () => {
    const { model } = trainExperiment(
      experimentFromObject({
        data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] } },
        model: { layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] },
        loss: 'binary_cross_entropy',
        training: { epochs: 1, batch_size: 4, optimizer: { type: 'sgd', learning_rate: 0.1 } },
      }),
    );
    const refused = (rows: number[][]) => {
      try {
        predict(model!, rows);
      } catch (e) {
        expect(isUserError(e)).toBe(true);
        return (e as Error).message;
      }
      return 'predicted';
    };
    expect(refused([[0, 1], [1]])).toBe('the model takes 2 features, found 1 in row 2');
    expect(refused([[0, 1], [1, 0, 1], [0, 0]])).toBe('the model takes 2 features, found 3 in row 2');
    expect(refused([[0, 1], [1, 0]])).toBe('predicted');
    // A value that is not a finite number would give NaN outputs, read as the first class: refused, as predictCsv refuses text.
    expect(refused([[0, 1], [1, NaN]])).toBe('expected a finite number for feature 2 (x2) of row 2, found NaN');
    expect(refused([[Infinity, 1]])).toBe('expected a finite number for feature 1 (x1) of row 1, found Infinity');
    expect(refused([['1' as unknown as number, 1]])).toBe('expected a finite number for feature 1 (x1) of row 1, found "1"');
    // Rows as typed arrays are rows of numbers too (.flat() left them whole, so they were refused).
    const typed = [Float64Array.of(0, 1), Float64Array.of(1, 1)] as unknown as number[][];
    expect(refused(typed)).toBe('predicted');
    expect(predict(model!, typed).rows).toEqual(predict(model!, [[0, 1], [1, 1]]).rows);
    expect(refused([Float64Array.of(0, NaN)] as unknown as number[][])).toBe('expected a finite number for feature 2 (x2) of row 1, found NaN');
    // No rows: no predictions, as for a matrix of 0 rows (it said "the model takes 2 features, found 0").
    const none = predict(model!, []);
    expect(none).toEqual(predict(model!, zeros(0, 2)));
    expect({ rows: none.rows, predicted: none.predicted, columns: none.columns, shape: [none.outputs.rows, none.outputs.cols] }).toEqual({ rows: [], predicted: [], columns: ['predicted', 'p_0', 'p_1'], shape: [0, 1] });
  });

  it('loads a model file written by a run', async () => {
    const dir = tmp();
    await runExperiment(loadExperiment('experiments/iris.yaml'), { outDir: join(dir, 'iris') });
    expect(predict(loadModel(join(dir, 'iris', 'model.json')), [[5.1, 3.5, 1.4, 0.2]]).predicted).toEqual(['setosa']);
  });
});

describe('predict by target kind', () => {
  it('multilabel: one 0/1 column per label (output above 0.5), then one probability column per label', () => {
    const exp = experimentFromObject({
      data: { inline: { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1, 1, 0], [0, 0, 0], [1, 0, 1], [0, 1, 1]] } },
      model: { layers: [{ units: 8, activation: 'tanh' }, { units: 3, activation: 'sigmoid' }] },
      loss: 'binary_cross_entropy',
      training: { epochs: 500, batch_size: 4, optimizer: { type: 'adam', learning_rate: 0.05 } },
    });
    const { model, final } = trainExperiment(exp);
    expect(model!.kind).toBe('multilabel');
    expect(final.train_accuracy).toBe(1); // subset accuracy: every label of every row (argmax gave 0.25)
    const p = predict(model!, [[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(p.columns).toEqual(['y1', 'y2', 'y3', 'p_y1', 'p_y2', 'p_y3']);
    expect(p.rows.map((r) => r.slice(0, 3))).toEqual([[1, 1, 0], [0, 0, 0], [1, 0, 1], [0, 1, 1]]);
    p.rows.forEach((r) => r.slice(3).forEach((v, j) => expect((v as number) > 0.5).toBe(r[j] === 1)));
    expect(p.predicted).toBeUndefined();
  });
});
