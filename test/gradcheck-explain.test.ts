// `mlplab gradcheck FILE --explain` through main(argv, io): a 2 → 2 tanh → 1 tanh network with known weights
// (init.from a model file written here) on XOR. Every number the table prints is checked against a forward
// pass and central differences computed in this file, not by the code under test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli.js';

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [-1, 1, 1, -1];
// Layer 1: w1[i][j] connects input i to unit j; layer 2: w2[j] connects hidden unit j to the output.
const W1 = [[0.5, -0.3], [0.8, 0.2]];
const B1 = [0.1, -0.2];
const W2 = [0.7, -0.6];
const B2 = [0.05];

/** mse (mean over the 4 rows × 1 output) of tanh(tanh(x·W1 + b1)·W2 + b2) against Y, written out by hand. */
function loss(w1: number[][], b1: number[], w2: number[], b2: number[]): number {
  let s = 0;
  X.forEach(([x0, x1], r) => {
    const h = [0, 1].map((j) => Math.tanh(x0 * w1[0][j] + x1 * w1[1][j] + b1[j]));
    const out = Math.tanh(h[0] * w2[0] + h[1] * w2[1] + b2[0]);
    s += (out - Y[r]) ** 2;
  });
  return s / 4;
}

/** The parameters as one list of [name, get, set] so each can be moved alone. */
type Param = { name: string; layer: number; get: () => number; set: (v: number) => void };
function params(w1: number[][], b1: number[], w2: number[], b2: number[]): Param[] {
  const list: Param[] = [];
  for (const i of [0, 1]) for (const j of [0, 1]) list.push({ name: `weight [${i}][${j}]`, layer: 1, get: () => w1[i][j], set: (v) => (w1[i][j] = v) });
  for (const j of [0, 1]) list.push({ name: `bias [${j}]`, layer: 1, get: () => b1[j], set: (v) => (b1[j] = v) });
  for (const j of [0, 1]) list.push({ name: `weight [${j}][0]`, layer: 2, get: () => w2[j], set: (v) => (w2[j] = v) });
  list.push({ name: 'bias [0]', layer: 2, get: () => b2[0], set: (v) => (b2[0] = v) });
  return list;
}

/** Central differences of `loss` for every parameter, with the step gradcheck documents: s = 1e-5·max(1, |θ|). */
function numericGradients(): Map<string, number> {
  const w1 = W1.map((r) => [...r]);
  const b1 = [...B1];
  const w2 = [...W2];
  const b2 = [...B2];
  const result = new Map<string, number>();
  for (const p of params(w1, b1, w2, b2)) {
    const theta = p.get();
    const s = 1e-5 * Math.max(1, Math.abs(theta));
    p.set(theta + s);
    const up = loss(w1, b1, w2, b2);
    p.set(theta - s);
    const down = loss(w1, b1, w2, b2);
    p.set(theta);
    result.set(`${p.layer} ${p.name}`, (up - down) / (theta + s - (theta - s)));
  }
  return result;
}

interface Row {
  name: string;
  analytic: number;
  numeric: number;
  error: number;
  why: string;
}

/** The explain table under "  layer N (" in the output. */
function tableOf(stdout: string, layer: number): Row[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  layer ${layer} (`));
  expect(start, `no line for layer ${layer}`).toBeGreaterThan(-1);
  expect(lines[start + 1]).toMatch(/^ {6}parameter +analytic dL\/dw +numeric \(central diff\.\) +rel\. error +~digits +shown as$/);
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    const m = /^ {6}((?:weight \[\d+\]\[\d+\])|(?:bias \[\d+\])) +(\S+) +(\S+) +(\S+) +(\d+|-) +(.+)$/.exec(line);
    if (!m) break;
    rows.push({ name: m[1], analytic: Number(m[2]), numeric: Number(m[3]), error: Number(m[4]), why: m[6] });
  }
  return rows;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

let dir = '';
let result = { code: -1, stdout: '', stderr: '' };
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlplab-explain-'));
  const model = {
    format: 'mlplab.model/v1',
    inputs: 2,
    loss: 'mse',
    layers: [
      { units: 2, activation: 'tanh', weights: W1, bias: B1 },
      { units: 1, activation: 'tanh', weights: W2.map((w) => [w]), bias: B2 },
    ],
  };
  writeFileSync(join(dir, 'start.json'), JSON.stringify(model));
  writeFileSync(
    join(dir, 'explain.yaml'),
    `data:\n  inline:\n    inputs: ${JSON.stringify(X)}\n    targets: ${JSON.stringify(Y.map((y) => [y]))}\n` +
      `model:\n  layers:\n    - { units: 2, activation: tanh }\n    - { units: 1, activation: tanh }\n  init: { from: start.json }\nloss: mse\n`,
  );
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t) };
  const code = await main(['gradcheck', join(dir, 'explain.yaml'), '--explain'], io);
  result = { code, stdout, stderr };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mlplab gradcheck --explain', () => {
  it('passes, and says what the columns mean', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--explain: under each layer, up to three of its parameters');
    expect(result.stdout).toContain('All gradients match');
  });

  it('names where the initial weights come from: the init.from model file, not the seed (it said "from seed 0")', () => {
    expect(result.stdout.split('\n')[0]).toBe('gradcheck explain: mse (mean) on 4 training rows, initial weights from start.json');
  });

  it('prints, per layer, analytic and numeric derivatives that match central differences computed here', () => {
    const numeric = numericGradients();
    for (const layer of [1, 2]) {
      const rows = tableOf(result.stdout, layer);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) {
        const mine = numeric.get(`${layer} ${row.name}`)!;
        expect(mine, `layer ${layer} ${row.name}`).toBeDefined();
        // Printed to 12 digits; the same difference quotient, summed in another order, agrees to ~1e-10.
        expect(relative(row.numeric, mine), `numeric of layer ${layer} ${row.name}`).toBeLessThan(1e-9);
        expect(relative(row.analytic, mine), `analytic of layer ${layer} ${row.name}`).toBeLessThan(1e-7);
        const floor = Math.max(1e-8, (Number.EPSILON * Math.max(1, loss(W1, B1, W2, B2))) / 1e-5 / 1e-8);
        const error = Math.abs(row.analytic - row.numeric) / Math.max(Math.abs(row.analytic), Math.abs(row.numeric), floor);
        expect(Math.abs(row.error - error), `error of layer ${layer} ${row.name}`).toBeLessThan(0.1 * error + 1e-12);
      }
    }
  });

  it('shows the worst parameter first, then the weights with the largest and the median |dL/dw| of the rest', () => {
    const numeric = numericGradients();
    const lines = result.stdout.split('\n');
    for (const layer of [1, 2]) {
      const rows = tableOf(result.stdout, layer);
      const summary = lines.find((l) => l.startsWith(`  layer ${layer} (`))!;
      expect(rows[0].why.startsWith('largest error')).toBe(true);
      expect(summary).toContain(`at ${rows[0].name}`);
      const rest = [...numeric.entries()]
        .filter(([k]) => k.startsWith(`${layer} weight`) && k !== `${layer} ${rows[0].name}`)
        .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
        .map(([k]) => k.slice(2));
      expect(rows[1]).toMatchObject({ name: rest[0], why: 'largest gradient' });
      if (rest.length > 1) expect(rows[2]).toMatchObject({ name: rest[Math.floor(rest.length / 2)], why: 'median gradient' });
      expect(rows).toHaveLength(1 + Math.min(2, rest.length));
    }
  });

  it('prints no table without --explain', async () => {
    let stdout = '';
    const code = await main(['gradcheck', join(dir, 'explain.yaml')], { out: (t) => void (stdout += t), err: () => {} });
    expect(code).toBe(0);
    expect(stdout).not.toContain('analytic dL/dw');
    expect(stdout).not.toContain('--explain');
  });
});
