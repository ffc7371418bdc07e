// Property-based fuzzing (fast-check) of everything that reads input: random YAML documents, random edits of
// every shipped experiment, random CSV files. Through the library (loadExperiment + prepare) and the CLI
// (main(['validate', …])), the outcome is always success or a UserError: never another exception, never a
// stack trace, never a hang. FUZZ_RUNS=N sets the runs per property (a short campaign by default). The cases are
// drawn from a fixed seed, so `npm test` (and CI) is the same test every time; FUZZ_SEED=N draws others and
// FUZZ_SEED=random new ones each run, for a campaign (a failure prints its seed and path to replay it).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { chunkSource } from '../../src/data/csvread.js';
import { scanCsv, type CsvRecord } from '../../src/data/csvscan.js';
import { csvRow, csvText as writeCsv } from '../../src/files/losslog.js';
import { isUserError, loadExperiment, prepare } from '../../src/index.js';
import { applyEdits, csvText, edits, yamlSoup, yamlValue } from './arbitraries.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'mlplab-fuzz-'));
const EXPERIMENTS = readdirSync('experiments').filter((f) => f.endsWith('.yaml'));
let counter = 0;

/** Writes `text` as a fresh experiment file (a CSV beside it when given) and returns its path. */
function write(text: string, csv?: string): string {
  const file = join(dir, `e${counter++}.yaml`);
  writeFileSync(file, text);
  if (csv !== undefined) writeFileSync(join(dir, 'd.csv'), csv);
  return file;
}

/** The library: load and prepare succeed or throw a UserError. */
function library(file: string): void {
  try {
    prepare(loadExperiment(file));
  } catch (e) {
    if (!isUserError(e)) throw e;
  }
}

/** The CLI: exit 0 or 1, no internal error. */
async function cli(file: string): Promise<void> {
  let err = '';
  const code = await main(['validate', '-q', file], { out: () => {}, err: (t) => void (err += t) });
  expect(err).not.toMatch(/internal error|\n\s+at /);
  expect([0, 1]).toContain(code);
}

async function check(text: string, csv?: string): Promise<void> {
  const file = write(text, csv);
  library(file);
  await cli(file);
}

/** fast-check's seed: fixed unless FUZZ_SEED says otherwise (undefined: fast-check draws one). */
const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20261207);
if (SEED !== undefined && !Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be a whole number or random, got ${process.env.FUZZ_SEED}`);
const params = { numRuns: RUNS, seed: SEED };

describe('fuzz: always success or a located user error', () => {
  it('random token-soup YAML documents', async () => {
    await fc.assert(fc.asyncProperty(yamlSoup, (text) => check(text)), params);
  });

  it('random YAML mappings with experiment keys', async () => {
    await fc.assert(fc.asyncProperty(yamlValue, (text) => check(text)), params);
  });

  it('random edits of every shipped experiment', async () => {
    const texts = EXPERIMENTS.map((f) => readFileSync(join('experiments', f), 'utf8').replaceAll('../data/', `${process.cwd()}/data/`));
    const cases = fc.tuple(fc.constantFrom(...texts), edits);
    await fc.assert(fc.asyncProperty(cases, ([text, e]) => check(applyEdits(text, e))), { ...params, numRuns: RUNS * 2 });
  });

  it('random CSV files under a classification and a regression experiment', async () => {
    const exp = (loss: string, act: string, units: number) =>
      `data: { csv: { path: d.csv, target: y } }\nmodel: { layers: [{ units: 2, activation: tanh }, { units: ${units}, activation: ${act} }] }\nloss: ${loss}\ntraining: { epochs: 1 }\n`;
    const setups = fc.constantFrom(exp('cross_entropy', 'softmax', 2), exp('mse', 'linear', 1), exp('binary_cross_entropy', 'sigmoid', 1));
    await fc.assert(fc.asyncProperty(setups, csvText, (e, csv) => check(e, csv)), params);
  });
});

describe('fuzz: the CSV scanner', () => {
  /** The records of a text (or the error message), fed in the given byte chunks into a buffer of `size` bytes at first. */
  function scan(chunks: Uint8Array[], size?: number): string {
    const out: unknown[] = [];
    try {
      const record = (r: CsvRecord) => out.push([r.line, ...Array.from({ length: r.count }, (_, k) => [r.text(k), r.number(k)])]);
      scanCsv(chunkSource(chunks), ',', 'f.csv', record, size);
    } catch (e) {
      if (!isUserError(e)) throw e;
      out.push(e.format());
    }
    return JSON.stringify(out);
  }

  it('gives the same records however the bytes are split into chunks (inside a character too) and whatever the buffer', () => {
    const split = fc.tuple(csvText, fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 1, max: 12 }));
    fc.assert(
      fc.property(split, ([text, cuts, size]) => {
        const bytes = Buffer.from(text, 'utf8');
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((start, i) => bytes.subarray(start, [...at, bytes.length][i]));
        expect(scan(chunks, size)).toBe(scan([bytes]));
      }),
      { ...params, numRuns: RUNS * 5 },
    );
  });

  it('reads plain decimals exactly as Number() does', () => {
    const decimal = fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{1,20}$/), fc.stringMatching(/^(\.\d{0,20})?$/), fc.stringMatching(/^([eE][+-]?\d{1,3})?$/));
    fc.assert(
      fc.property(decimal, (parts) => {
        const text = parts.join('');
        let got = NaN;
        scanCsv(chunkSource([Buffer.from(`h\n${text}\n`)]), ',', 'f.csv', (r) => void (r.line === 2 && (got = r.number(0))));
        expect(Object.is(got, Number(text))).toBe(true);
      }),
      { ...params, numRuns: RUNS * 20 },
    );
  });
});

describe('fuzz: CSV writing', () => {
  it('csvRow writes a row exactly as csvText (csv-stringify) does', () => {
    const cell = fc.oneof(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '=', '-', 'é') }), fc.double(), fc.integer());
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 5 }), (row) => {
        const columns = row.map((_, i) => `c${i}`);
        expect(writeCsv(columns, []) + csvRow(row)).toBe(writeCsv(columns, [row]));
      }),
      { ...params, numRuns: RUNS * 20 },
    );
  });
});

describe('fuzz: model files', () => {
  const BASE = {
    format: 'mlplab.model/v1', inputs: 2, loss: 'cross_entropy',
    layers: [{ units: 3, activation: 'tanh', weights: [[1, 0, 1], [0, 1, 1]], bias: [0, 0, 0] }, { units: 2, activation: 'softmax', weights: [[1, 0], [0, 1], [1, 1]], bias: [0, 0] }],
    features: ['a', 'b'], targets: ['y=p', 'y=q'], classes: ['p', 'q'], threshold: 0.5,
    preprocess: { kind: 'standardize', offset: [0, 0], scale: [1, 1] },
  };
  /** Every key path of a JSON value (objects and arrays), the root excluded. */
  const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
    v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [[...at, Array.isArray(v) ? Number(k) : k], ...paths(x, [...at, Array.isArray(v) ? Number(k) : k])]) : [];
  const ALL = paths(BASE);
  const value = fc.constantFrom<unknown>(0, 1, -1, 2.5, 3, 'x', '', null, true, [], [1], {}, 'mlplab.model/v1', 'BIG');
  const change = fc.record({ path: fc.constantFrom(...ALL), value, remove: fc.boolean() });

  it('predict with a mutated model file: success or a user error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), async (changes) => {
        const m = structuredClone(BASE) as Record<string, unknown>;
        for (const c of changes) {
          const parent = c.path.slice(0, -1).reduce<any>((o, k) => (o === null || typeof o !== 'object' ? undefined : o[k]), m);
          if (parent === null || typeof parent !== 'object') continue;
          const key = c.path[c.path.length - 1];
          if (c.remove && !Array.isArray(parent)) delete parent[key];
          else parent[key] = structuredClone(c.value); // a fresh copy: constantFrom shares one [] and {} between runs
        }
        const file = join(dir, `m${counter++}.json`);
        writeFileSync(file, JSON.stringify(m).replaceAll('"BIG"', '1e400'));
        writeFileSync(join(dir, 'p.csv'), 'a,b\n1,2\n3,4\n');
        let err = '';
        const code = await main(['predict', file, join(dir, 'p.csv')], { out: () => {}, err: (t) => void (err += t) });
        expect(err).not.toMatch(/internal error|\n\s+at /);
        expect([0, 1]).toContain(code);
      }),
      { ...params, numRuns: RUNS * 2 },
    );
  });
});
