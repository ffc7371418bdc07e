import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnIndices, labelColumn, numericColumns, readCsv } from '../../src/data/csv.js';
import { loadData } from '../../src/data/load.js';
import { fakeAt, tempDir, userError } from './helpers.js';

const DATA = fileURLToPath(new URL('../../data', import.meta.url));
const pathPlace = { file: 'exp.yaml', line: 4, column: 11, path: 'data.csv.path' };

describe('shipped CSV files', () => {
  it('reads iris: 150 rows, 4 numeric features, 3 classes in sorted order', () => {
    const at = fakeAt();
    const data = loadData(
      { csv: { path: 'iris.csv', target: 'species' } },
      { yamlFile: 'exp.yaml', baseDir: DATA, seed: 1, loss: 'cross_entropy', outputUnits: 3, at },
    );
    expect(data.kind).toBe('multiclass');
    expect([data.train.x.rows, data.train.x.cols]).toEqual([150, 4]);
    expect([data.train.y.rows, data.train.y.cols]).toEqual([150, 3]);
    expect(data.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(data.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    // First row of the file: 5.1,3.5,1.4,0.2,setosa (no split, no scaling: row order is the file's).
    expect(Array.from(data.train.x.data.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(Array.from(data.train.y.data.subarray(0, 3))).toEqual([1, 0, 0]);
    // 50 of each class, as the data set is documented.
    const perClass = [0, 1, 2].map((c) => Array.from({ length: 150 }, (_, r) => data.train.y.data[r * 3 + c]).reduce((a, b) => a + b));
    expect(perClass).toEqual([50, 50, 50]);
  });

  it('reads wine, digits and diabetes with their documented shapes', () => {
    const wine = readCsv(join(DATA, 'wine.csv'), ',', pathPlace);
    expect([wine.rowCount, wine.header.length]).toEqual([178, 14]);
    const digits = readCsv(join(DATA, 'digits.csv'), ',', pathPlace);
    expect([digits.rowCount, digits.header.length]).toEqual([1797, 65]);
    const diabetes = readCsv(join(DATA, 'diabetes.csv'), ',', pathPlace);
    expect([diabetes.rowCount, diabetes.header.length]).toEqual([442, 11]);
    expect(diabetes.header.at(-1)).toBe('progression');
    expect(Array.from(diabetes.lines.slice(0, 2))).toEqual([2, 3]);
  });

  it('orders numeric labels numerically (digits 0..9)', () => {
    const data = loadData(
      { csv: { path: 'digits.csv', target: 'digit' } },
      { yamlFile: 'exp.yaml', baseDir: DATA, seed: 1, loss: 'cross_entropy', outputUnits: 10, at: fakeAt() },
    );
    expect(data.classes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('CSV errors', () => {
  const tmp = tempDir();

  it('places a missing file at the YAML key data.csv.path', () => {
    const e = userError(() => readCsv(join(tmp.dir, 'nope.csv'), ',', pathPlace));
    expect(e.code).toBe('data');
    expect(e.place).toEqual(pathPlace);
    expect(e.message).toContain('nope.csv');
    expect(e.message).toContain('no such file');
  });

  it('names the path as written in the experiment file and as read, through loadData', () => {
    const ctx = { yamlFile: 'exp.yaml', baseDir: tmp.dir, seed: 1, loss: 'mse' as const, outputUnits: 1, at: fakeAt() };
    const e = userError(() => loadData({ csv: { path: '../missing.csv', target: 'y' } }, ctx));
    expect(e.place.path).toBe('data.csv.path');
    expect(e.message).toBe(
      `expected a CSV file at "../missing.csv" (read as ${join(tmp.dir, '..', 'missing.csv')}: ` +
        "the path is relative to the experiment file's folder), but there is no such file",
    );
  });

  it('reports an empty file at line 1', () => {
    const file = tmp.write('empty.csv', '');
    const e = userError(() => readCsv(file, ',', pathPlace));
    expect(e.place).toEqual({ file, line: 1 });
    expect(e.message).toMatch(/empty/);
  });

  it('reports a header row with no data rows', () => {
    const file = tmp.write('header-only.csv', 'a,b\n');
    expect(userError(() => readCsv(file, ',', pathPlace)).message).toMatch(/no data rows/);
  });

  it('says the header row seems missing when the first row is all numbers', () => {
    const file = tmp.write('noheader.csv', '1,2,3\n4,5,6\n');
    const e = userError(() => readCsv(file, ',', pathPlace));
    expect(e.place).toEqual({ file, line: 1 });
    expect(e.message).toMatch(/header row seems missing/);
  });

  it('places header problems at the line of the header when empty lines come before it', () => {
    // Empty lines are skipped: the header is on line 3, so its problems are too (they said line 1).
    const twice = tmp.write('late-twice.csv', '\n\na,a,y\n1,2,0\n');
    expect(userError(() => readCsv(twice, ',', pathPlace)).place).toEqual({ file: twice, line: 3, column: 2 });
    const numbers = tmp.write('late-numbers.csv', '\r\n\r\n1,2,3\r\n4,5,6\r\n');
    expect(userError(() => readCsv(numbers, ',', pathPlace)).place).toEqual({ file: numbers, line: 3 });
    const empty = tmp.write('late-empty.csv', '\n\na,,y\n1,2,0\n');
    expect(userError(() => readCsv(empty, ',', pathPlace)).place).toEqual({ file: empty, line: 3, column: 2 });
  });

  it('places "no data rows" at the line after the header, a header with a line break in a quoted name too', () => {
    const file = tmp.write('header-break.csv', '"a\nb",c\n');
    expect(userError(() => readCsv(file, ',', pathPlace)).place).toEqual({ file, line: 3 });
    const late = tmp.write('header-late.csv', '\n\na,b\n\n');
    expect(userError(() => readCsv(late, ',', pathPlace)).place).toEqual({ file: late, line: 4 });
  });

  it('reads a quoted number as the same number unquoted: blanks and line breaks around it, not other Unicode spaces', () => {
    // JavaScript's trim() took a no-break space (U+00A0) and U+FEFF off a quoted number, which unquoted is an error.
    const nbsp = tmp.write('nbsp.csv', 'x,y\n1,a\n"\u00a05",b\n');
    const e = userError(() => numericColumns(readCsv(nbsp, ',', pathPlace), [0], 'a feature'));
    expect(e.place).toEqual({ file: nbsp, line: 3, column: 1 });
    expect(e.message).toBe('expected a number in column "x" (a feature), but found "\u00a05"');
    const unquoted = tmp.write('nbsp-bare.csv', 'x,y\n1,a\n\u00a05,b\n');
    expect(userError(() => numericColumns(readCsv(unquoted, ',', pathPlace), [0], 'a feature')).place).toEqual({ file: unquoted, line: 3, column: 1 });
    const bom = tmp.write('bom-inside.csv', 'x,y\n1,a\n"\ufeff5",b\n');
    expect(userError(() => numericColumns(readCsv(bom, ',', pathPlace), [0], 'a feature')).place).toEqual({ file: bom, line: 3, column: 1 });
    const blanks = readCsv(tmp.write('blanks.csv', 'x,y\n" 5\t",a\n"\n6\r\n",b\n', ), ',', pathPlace);
    expect(Array.from(numericColumns(blanks, [0], 'a feature').data)).toEqual([5, 6]);
  });

  it('reports a ragged row at its line, with the expected and found field counts', () => {
    // Line 1 header, line 2 fine, line 3 blank (skipped), line 4 has 4 fields.
    const file = tmp.write('ragged.csv', 'a,b,c\n1,2,3\n\n4,5,6,7\n');
    const e = userError(() => readCsv(file, ',', pathPlace));
    expect(e.place).toEqual({ file, line: 4 });
    expect(e.message).toBe('expected 3 fields, as in the header row, but found 4');
    expect(e.format()).toBe(`${file}:4:1: expected 3 fields, as in the header row, but found 4`);
  });

  it('reports a non-numeric feature at line and field number, naming the column and the value', () => {
    const file = tmp.write('text.csv', 'x1,x2,y\n1,2,a\n3,oops,b\n');
    const table = readCsv(file, ',', pathPlace);
    const e = userError(() => numericColumns(table, [0, 1], 'a feature'));
    expect(e.place).toEqual({ file, line: 3, column: 2 });
    expect(e.message).toBe('expected a number in column "x2" (a feature), but found "oops"');
  });

  it('reports an empty feature field', () => {
    const file = tmp.write('blank.csv', 'x1,x2,y\n1,,a\n');
    const e = userError(() => numericColumns(readCsv(file, ',', pathPlace), [0, 1], 'a feature'));
    expect(e.place).toEqual({ file, line: 2, column: 2 });
    expect(e.message).toMatch(/found an empty field/);
  });

  it('places a missing target or feature column at its YAML key and lists the columns', () => {
    const file = tmp.write('cols.csv', 'height,weight,label\n1,2,a\n');
    const table = readCsv(file, ',', pathPlace);
    const at = fakeAt();
    const e = userError(() => columnIndices(table, 'lable', at, ['data', 'csv', 'target']));
    expect(e.place.path).toBe('data.csv.target');
    expect(e.message).toBe(`expected a column named "lable" in ${file}, but its columns are: height, weight, label`);
    const f = userError(() => columnIndices(table, ['height', 'wieght'], at, ['data', 'csv', 'features']));
    expect(f.place.path).toBe('data.csv.features[1]');
  });

  it('accepts another delimiter, quoted fields, CRLF line ends and a BOM', () => {
    const file = tmp.write('semi.csv', '\ufeffa;"b c";label\r\n1,5;2;"x;y"\r\n3;4;z\r\n');
    const e = userError(() => numericColumns(readCsv(file, ';', pathPlace), [0, 1], 'a feature'));
    expect(e.message).toContain('"1,5"'); // a decimal comma is not a number
    const table = readCsv(tmp.write('semi2.csv', '\ufeffa;"b c";label\r\n1.5;2;"x;y"\r\n3;4;z\r\n'), ';', pathPlace);
    expect(table.header).toEqual(['a', 'b c', 'label']);
    expect(Array.from(numericColumns(table, [0, 1], 'a feature').data)).toEqual([1.5, 2, 3, 4]);
    expect(labelColumn(table, 2)).toEqual(['x;y', 'z']);
  });

  it('gives the starting line of a row after a quoted field spanning lines', () => {
    const file = tmp.write('multi.csv', 'a,note\n1,"two\nlines"\nx,ok\n');
    const e = userError(() => numericColumns(readCsv(file, ',', pathPlace), [0], 'a feature'));
    expect(e.place).toEqual({ file, line: 4, column: 1 });
  });

  it('gives the starting line of a row after a quoted field spanning lines that end in a lone CR (old Mac)', () => {
    const file = tmp.write('multi-cr.csv', 'a,note\r1,"two\rlines"\rx,ok\r');
    const e = userError(() => numericColumns(readCsv(file, ',', pathPlace), [0], 'a feature'));
    expect(e.place).toEqual({ file, line: 4, column: 1 });
    const crlf = tmp.write('multi-crlf.csv', 'a,note\r\n1,"two\r\nlines"\r\nx,ok\r\n');
    expect(userError(() => numericColumns(readCsv(crlf, ',', pathPlace), [0], 'a feature')).place).toEqual({ file: crlf, line: 4, column: 1 });
  });

  it('reports a regression target that is not numeric, through loadData', () => {
    tmp.write('labels.csv', 'x,kind\n1,cat\n2,dog\n');
    const ctx = { yamlFile: 'exp.yaml', baseDir: tmp.dir, seed: 1, loss: 'mse' as const, outputUnits: 1, at: fakeAt() };
    const e = userError(() => loadData({ csv: { path: 'labels.csv', target: 'kind' } }, ctx));
    expect(e.place).toEqual({ file: join(tmp.dir, 'labels.csv'), line: 2, column: 2 });
    expect(e.message).toMatch(/^expected a number in column "kind" \(a target: loss mse makes this a regression/);
  });
});
