// docs/math.md shows what `gradcheck --explain` prints for two classic mistakes, and how mistake 1 trains over
// ten seeds, measured on a scratch copy of mlplab with the mistake edited in. This rebuilds each mistake without
// editing anything (a registry with a wrong tanh; a loss object called with its arguments swapped) and checks
// that every quoted line and table cell comes out again, so the page's numbers are reproducible and cannot go stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradcheckReport } from '../../src/commands/gradcheck.js';
import { loadExperiment } from '../../src/config/load.js';
import { takeRows } from '../../src/matrix.js';
import { activations, type Activation } from '../../src/model/activations.js';
import { losses, type Loss } from '../../src/model/losses.js';
import { createNetwork, type LossRef, type Network } from '../../src/model/network.js';
import { GRADCHECK } from '../../src/runner/gradcheck.js';
import { prepare } from '../../src/runner/prepare.js';
import { trainExperiment } from '../../src/runner/run.js';
import { gradcheck } from '../../src/training/gradcheck.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs', 'math.md'), 'utf8').split('\n');

/** The first plain fenced block (```, no language) after the heading that starts with `heading`. */
function blockAfter(heading: string): string[] {
  const at = DOC.findIndex((l) => l.startsWith(heading));
  expect(at, `docs/math.md has no heading "${heading}"`).toBeGreaterThan(-1);
  for (let i = at + 1; i < DOC.length; i++) {
    if (!DOC[i].startsWith('```')) continue;
    const close = DOC.findIndex((l, j) => j > i && l === '```');
    if (DOC[i] === '```') return DOC.slice(i + 1, close);
    i = close; // a ```math block: skip it
  }
  return [];
}

/** An experiment's data and initial network, the network rebuilt with the activations of `registry`. */
function prepareWith(name: string, registry: typeof activations, seed?: number) {
  const exp = loadExperiment(join(ROOT, 'experiments', `${name}.yaml`), { seed });
  const { data, network: right } = prepare(exp);
  const net: Network = createNetwork(right.inputs, exp.config.model.layers, registry);
  net.layers.forEach((l, k) => (l.w.set(right.layers[k].w), l.b.set(right.layers[k].b)));
  return { exp, data, net };
}

/** gradcheck --explain's report for xor-tanh, with the initial network rebuilt from `registry` and the given loss. */
function explainXorTanh(registry: typeof activations, loss: LossRef): string {
  const { exp, data, net } = prepareWith('xor-tanh', registry);
  const rows = Array.from({ length: Math.min(GRADCHECK.samples, data.train.x.rows) }, (_, i) => i); // tanh: no kinks
  const layers = gradcheck(net, takeRows(data.train.x, rows), takeRows(data.train.y, rows), loss, exp.config.reduction, GRADCHECK);
  return gradcheckReport(exp.config, { rows: rows.length, skipped: 0, layers, pass: layers.every((l) => l.pass) }, true);
}

function expectQuoted(quoted: string[], report: string): void {
  expect(quoted.length).toBeGreaterThanOrEqual(5);
  const printed = report.split('\n');
  for (const line of quoted) expect(printed, `quoted line not printed: ${line}`).toContain(line);
}

const tanhTwice: Activation = {
  ...activations.tanh,
  backward(a, da, dz, rows, cols) {
    for (let i = 0; i < rows * cols; i++) dz[i] = da[i] * (1 - Math.tanh(a[i]) ** 2); // the mistake
  },
};

/** Final training loss as "mean ± std" (sample std) and "K of 10" runs at 100% accuracy, over seeds 1 to 10. */
function overSeeds(name: string, registry: typeof activations): [string, string] {
  const finals = Array.from({ length: 10 }, (_, i) => {
    const { exp, data, net } = prepareWith(name, registry, i + 1);
    return trainExperiment(exp, { prepared: { data, network: net } }).final;
  });
  const losses = finals.map((f) => f.train_loss);
  const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
  const std = Math.sqrt(losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (losses.length - 1));
  return [`${mean.toPrecision(3)} ± ${std.toPrecision(3)}`, `${finals.filter((f) => f.train_accuracy === 1).length} of 10`];
}

/** The cells after the first two of the docs table row for (experiment, right/wrong). */
function tableRow(name: string, derivative: 'right' | 'wrong'): string[] {
  const row = DOC.find((l) => l.startsWith(`| ${name} | ${derivative}`));
  expect(row, `no table row for ${name}, ${derivative}`).toBeDefined();
  return row!.split('|').slice(3, -1).map((c) => c.trim());
}

describe('docs/math.md, classic mistakes 1 and 2', () => {
  it("mistake 1's table: final loss and runs at 100% over seeds 1 to 10, right and wrong tanh derivative", () => {
    for (const name of ['xor-tanh', 'xor-softmax']) {
      expect(overSeeds(name, activations), `${name}, right`).toEqual(tableRow(name, 'right'));
      expect(overSeeds(name, { ...activations, tanh: tanhTwice }), `${name}, wrong`).toEqual(tableRow(name, 'wrong'));
    }
  });

  it("mistake 1's gradcheck output: tanh's derivative applied to a, 1 − tanh²(a)", () => {
    expectQuoted(blockAfter('### Mistake 1'), explainXorTanh({ ...activations, tanh: tanhTwice }, 'mse'));
  });

  it("mistake 2's gradcheck output: targets and outputs passed to mse in swapped order", () => {
    const mse = losses.mse;
    const swapped: Loss = {
      ...mse,
      total: (v, y, rows, cols) => mse.total(y, v, rows, cols),
      backward: (v, y, d, rows, cols, reduction) => mse.backward(y, v, d, rows, cols, reduction),
    };
    expectQuoted(blockAfter('### Mistake 2'), explainXorTanh(activations, swapped));
  });
});
