// Catalogue of bad data and YAML inputs (issue 10): CSV cells, inline rows, degenerate setups, YAML limits.
// Each entry: the files, the command, the one expected stderr line and exit code (see helpers.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { catalogue, experiment, type Case } from './helpers.js';

const csvData = (target = 'y', extra = '') => `  csv: { path: d.csv, target: ${target}${extra} }`;
const inline = (inputs: string, targets: string) => `  inline:\n    inputs: ${inputs}\n    targets: ${targets}`;
const XOR_IN = '[[0, 0], [0, 1], [1, 0], [1, 1]]';
const XOR_OUT = '[[1, 0], [0, 1], [0, 1], [1, 0]]';
const validate = ['validate', '{dir}/e.yaml'];
const csvCase = (name: string, csv: string, error: string, target?: string): Case => ({
  name,
  files: { 'e.yaml': experiment(csvData(target)), 'd.csv': csv },
  argv: validate,
  error: error.replaceAll('{csv}', '{dir}/d.csv'),
});

const NOT_UTF8 = 'expected UTF-8 text, but this field holds bytes that are not UTF-8 (is the file saved in another encoding, such as Latin-1? save it as UTF-8)';
const CSV: Case[] = [
  csvCase('a CSV cell 1e400 (beyond float64)', 'a,b,y\n1,2,p\n3,1e400,q\n', '{csv}:3:2: expected a finite number in column "b" (a feature), but found "1e400", which is beyond the range of a 64-bit float'),
  csvCase('a CSV cell Infinity', 'a,b,y\n1,2,p\nInfinity,1,q\n', '{csv}:3:1: expected a number in column "a" (a feature), but found "Infinity"'),
  csvCase('a CSV cell NaN', 'a,b,y\n1,NaN,p\n2,1,q\n', '{csv}:2:2: expected a number in column "b" (a feature), but found "NaN"'),
  csvCase('a hexadecimal CSV cell', 'a,b,y\n0x10,2,p\n2,1,q\n', '{csv}:2:1: expected a number in column "a" (a feature), but found "0x10"'),
  csvCase('an empty feature cell', 'a,b,y\n1,,p\n2,1,q\n', '{csv}:2:2: expected a number in column "b" (a feature), but found an empty field'),
  csvCase('an empty label', 'a,b,y\n1,2,\n2,1,q\n', '{csv}:2:3: expected a class label in column "y" (the target), but found an empty field'),
  csvCase('a ragged row', 'a,b,y\n1,2,p\n2,1\n', '{csv}:3:1: expected 3 fields, as in the header row, but found 2'),
  csvCase('an unclosed quote', 'a,b,y\n1,2,p\n2,1,"q\n', '{csv}:3:3: the CSV file could not be read: a quoted field is never closed (a " without its closing ")'),
  csvCase('a quote inside an unquoted field', 'a,b,y\n1,2,p"x\n2,1,q\n', '{csv}:2:3: the CSV file could not be read: a quote (") inside a field that does not start with one; enclose the field in quotes and double the quotes inside it'),
  csvCase('text after a closing quote', 'a,b,y\n1,2,"p"x\n2,1,q\n', '{csv}:2:3: the CSV file could not be read: unexpected text after a closing quote; expected the delimiter or the end of the line'),
  csvCase('an empty CSV file', '', '{csv}:1:1: the CSV file is empty; expected a header row naming the columns, then data rows'),
  csvCase('a header without rows', 'a,b,y\n', '{csv}:2:1: the CSV file has a header row but no data rows'),
  csvCase('a missing header', '1,2,3\n4,5,6\n', '{csv}:1:1: the header row seems missing: expected the first row to name the columns, but found only numbers (1, 2, 3)'),
  csvCase('a duplicate column name', 'a,a,y\n1,2,p\n', '{csv}:1:2: expected distinct column names, but "a" appears twice in the header row'),
  csvCase('an empty column name', 'a,,y\n1,2,p\n', '{csv}:1:2: expected a name for every column, but column 2 of the header row is empty'),
  csvCase('single-class CSV labels', 'a,b,y\n1,2,p\n2,1,p\n', '{dir}/e.yaml:4:31: data.csv.target: expected at least two classes in the targets, but found a single class (p)'),
  csvCase('three classes for two output units', 'a,b,y\n1,2,p\n2,1,q\n3,3,r\n', '{dir}/e.yaml:8:16: model.layers[1].units: expected 3 output units (one unit per class, with cross_entropy), since the data have 3 classes (p, q, r), but the last layer has 2'),
  csvCase('a binary CSV file (NUL byte)', 'a,b,y\n1,2,p\n3,\0\0,q\n', '{csv}:3:3: expected a text CSV file, but found a NUL byte (is this a binary file?)'),
  // Latin-1 bytes: decoded leniently, café and cafè were both "caf\uFFFD", one class instead of two.
  { name: 'a Latin-1 CSV label', files: { 'e.yaml': experiment(csvData()), 'd.csv': Buffer.from('a,b,y\n1,2,caf\xe9\n3,4,caf\xe8\n', 'latin1') }, argv: validate, error: `{dir}/d.csv:2:3: ${NOT_UTF8}` },
  { name: 'a Latin-1 quoted CSV label', files: { 'e.yaml': experiment(csvData()), 'd.csv': Buffer.from('a,b,y\n1,2,p\n3,4,"caf\xe9"\n', 'latin1') }, argv: validate, error: `{dir}/d.csv:3:3: ${NOT_UTF8}` },
  { name: 'a Latin-1 CSV header', files: { 'e.yaml': experiment(csvData()), 'd.csv': Buffer.from('a,b\xe9,y\n1,2,p\n3,4,q\n', 'latin1') }, argv: validate, error: `{dir}/d.csv:1:2: ${NOT_UTF8}` },
  // One branch of target's anyOf has the value's type: its own complaint, not "expected a string or an array".
  csvCase('a target listed twice', 'a,b,y\n1,2,p\n', '{dir}/e.yaml:4:31: data.csv.target: expected distinct items, but items 1 and 2 are both "y"', '[y, y]'),
  csvCase('an empty target name', 'a,b,y\n1,2,p\n', '{dir}/e.yaml:4:31: data.csv.target: expected a string of at least 1 character(s), found ""', "''"),
  csvCase('a feature listed twice', 'a,b,y\n1,2,p\n', '{dir}/e.yaml:4:44: data.csv.features: expected distinct items, but items 1 and 2 are both "a"', 'y, features: [a, a]'),
  csvCase('a quote as the delimiter', 'a,b,y\n1,2,p\n', `{dir}/e.yaml:4:45: data.csv.delimiter: expected a delimiter other than a quote or a line break, found "\\""`, `y, delimiter: '"'`),
  { name: 'a CSV path that is a folder', files: { 'e.yaml': experiment('  csv: { path: ., target: y }') }, argv: validate, error: `{dir}/e.yaml:4:16: data.csv.path: expected a CSV file at "." (read as {dir}: the path is relative to the experiment file's folder), but it is a folder` },
  csvCase('a target column that does not exist', 'a,b,y\n1,2,p\n', '{dir}/e.yaml:4:31: data.csv.target: expected a column named "z" in {dir}/d.csv, but its columns are: a, b, y', 'z'),
];

const INLINE: Case[] = [
  { name: 'an inline .inf', files: { 'e.yaml': experiment(inline('[[0, .inf], [0, 1], [1, 0], [1, 1]]', XOR_OUT)) }, argv: validate, error: '{dir}/e.yaml:5:18: data.inline.inputs[0][1]: expected a finite number, found ".inf", which is infinite' },
  { name: 'an inline 1e400', files: { 'e.yaml': experiment(inline('[[0, 0], [0, 1], [1, 1e400], [1, 1]]', XOR_OUT)) }, argv: validate, error: '{dir}/e.yaml:5:34: data.inline.inputs[2][1]: expected a finite number, found "1e400", which is beyond the range of a 64-bit float' },
  { name: 'an inline -.inf target', files: { 'e.yaml': experiment(inline(XOR_IN, '[[1, 0], [0, 1], [0, 1], [-.inf, 0]]')) }, argv: validate, error: '{dir}/e.yaml:6:40: data.inline.targets[3][0]: expected a finite number, found "-.inf", which is infinite' },
  { name: 'an inline .nan', files: { 'e.yaml': experiment(inline('[[.nan, 0], [0, 1], [1, 0], [1, 1]]', XOR_OUT)) }, argv: validate, error: '{dir}/e.yaml:5:15: data.inline.inputs[0][0]: expected a finite number, found ".nan", which is not a number' },
  { name: 'single-class one-hot inline targets', files: { 'e.yaml': experiment(inline(XOR_IN, '[[1, 0], [1, 0], [1, 0], [1, 0]]')) }, argv: validate, error: '{dir}/e.yaml:6:14: data.inline.targets: expected at least two classes in the targets, but every row has the same class: class 0 (column 1 of the targets)' },
  {
    name: 'single-class 0/1 inline targets (sigmoid)',
    files: { 'e.yaml': experiment(inline(XOR_IN, '[[1], [1], [1], [1]]'), '    - { units: 3, activation: tanh }\n    - { units: 1, activation: sigmoid }', 'binary_cross_entropy') },
    argv: validate,
    error: '{dir}/e.yaml:6:14: data.inline.targets: expected at least two classes in the targets, but every row has the same class: targets above 0.5',
  },
  {
    name: 'a one-unit softmax output layer',
    files: { 'e.yaml': experiment(inline(XOR_IN, '[[0], [1], [1], [0]]'), '    - { units: 3, activation: tanh }\n    - { units: 1, activation: softmax }') },
    argv: validate,
    error: /^\{dir\}\/e\.yaml:10:16: model\.layers\[1\]\.units: a softmax layer needs at least 2 units, found 1: a softmax over one unit always outputs 1; .*$/,
  },
  {
    name: 'cross-validation with a validation split too',
    files: { 'e.yaml': experiment(`${inline(XOR_IN, XOR_OUT)}\n  split: { folds: 2, validation: 0.25 }`) },
    argv: validate,
    error: '{dir}/e.yaml:7:22: data.split.validation: validation and folds both choose the validation rows: with folds: 2, each run validates on its own fold; remove validation (or folds)',
  },
  { name: 'more folds than rows', files: { 'e.yaml': experiment(`${inline(XOR_IN, XOR_OUT)}\n  split: { folds: 5 }`) }, argv: validate, error: '{dir}/e.yaml:7:19: data.split.folds: expected at least one row per fold, but there are 4 rows for 5 folds; use fewer folds' },
  { name: 'a fold past the folds', files: { 'e.yaml': experiment(`${inline(XOR_IN, XOR_OUT)}\n  split: { folds: 2, fold: 3 }`) }, argv: validate, error: '{dir}/e.yaml:7:28: data.split.fold: expected a fold from 1 to 2 (folds: 2), found 3' },
];

const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n');
const YAML: Case[] = [
  { name: 'a billion-laughs alias bomb', files: { 'e.yaml': bomb + '\n' }, argv: validate, error: /^\{dir\}\/e\.yaml:2:10: the aliases \(\*name\) expand to far more than the file's size \(\d+ characters\): refused as a resource-exhaustion attack$/ },
  { name: 'a sweep entry that is not a list (found by fuzzing)', files: { 'e.yaml': experiment(inline(XOR_IN, XOR_OUT)) + 'sweep:\n  seed: 0[0, 1]\n' }, argv: validate, error: '{dir}/e.yaml:17:9: sweep.seed: expected a non-empty list of values to sweep, found "0[0, 1]"' },
  {
    name: 'a Latin-1 experiment file',
    files: { 'e.yaml': Buffer.from('name: cat\ndescription: caf\xe9\n', 'latin1') },
    argv: validate,
    error: '{dir}/e.yaml:2:17: expected UTF-8 text, but found the byte 0xe9, which is not UTF-8 here (is the file saved in another encoding, such as Latin-1? save it as UTF-8)',
  },
  { name: 'a UTF-8 file with a U+FFFD of its own is read', files: { 'e.yaml': 'name: cat\ndescription: caf\uFFFD\nseed: [\n' }, argv: validate, error: /^\{dir\}\/e\.yaml:3:7: YAML syntax error: / },
  { name: 'an expect: entry with no bounds', files: { 'e.yaml': experiment(inline(XOR_IN, XOR_OUT)) + 'expect:\n  train_accuracy: {}\n' }, argv: validate, error: '{dir}/e.yaml:17:19: expect.train_accuracy: expected at least 1 key, found an empty mapping' },
  { name: 'a binary file (NUL byte)', files: { 'e.yaml': 'name: x\0\n' }, argv: validate, error: '{dir}/e.yaml:1:8: expected a YAML text file, but found a NUL byte (is this a binary file?)' },
  { name: 'flow nesting 5000 deep', files: { 'e.yaml': `name: ${'['.repeat(5000)}${']'.repeat(5000)}\n` }, argv: validate, error: '{dir}/e.yaml:1:70: expected nesting at most 64 levels deep, but the document nests deeper here' },
  { name: 'block nesting 200 deep', files: { 'e.yaml': Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') }, argv: validate, error: '{dir}/e.yaml:65:65: expected nesting at most 64 levels deep, but the document nests deeper here' },
  { name: 'a 2,000,000-character line', files: { 'e.yaml': `name: "${'x'.repeat(2_000_000)}"\n` }, argv: validate, error: '{dir}/e.yaml:1:1: expected lines of at most 1000000 characters, but line 1 has 2000008' },
];

describe('bad CSV data', () => catalogue(CSV));
describe('bad inline data and degenerate setups', () => catalogue(INLINE));
describe('hostile YAML', () => catalogue(YAML));

describe('ordinary files may use aliases freely', () => {
  it('validates 202 rows written with 400 alias uses (the yaml default limit is 100)', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? '*zero' : '*one'));
    const targets = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? '*a' : '*b'));
    const data = `  inline:\n    inputs: [&zero [0, 0], &one [1, 1], ${rows.join(', ')}]\n    targets: [&a [1, 0], &b [0, 1], ${targets.join(', ')}]`;
    const file = join(mkdtempSync(join(tmpdir(), 'mlplab-alias-')), 'e.yaml');
    writeFileSync(file, experiment(data));
    let err = '';
    expect(await main(['validate', '-q', file], { out: () => {}, err: (t) => void (err += t) })).toBe(0);
    expect(err).toBe('');
  });
});
