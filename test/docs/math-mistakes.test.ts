// docs/math.md shows what `gradcheck --explain` prints for two classic mistakes, measured on a scratch copy of
// mlplab with the mistake edited in. This rebuilds each mistake without editing anything (a registry with a wrong
// tanh; a loss object called with its arguments swapped) and checks that every quoted line is printed again, so
// the page's numbers are reproducible and cannot go stale.
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

/** gradcheck --explain's report for xor-tanh, with the initial network rebuilt from `registry` and the given loss. */
function explainXorTanh(registry: typeof activations, loss: LossRef): string {
  const exp = loadExperiment(join(ROOT, 'experiments', 'xor-tanh.yaml'));
  const { data, network: right } = prepare(exp);
  const net: Network = createNetwork(right.inputs, exp.config.model.layers, registry);
  net.layers.forEach((l, k) => (l.w.set(right.layers[k].w), l.b.set(right.layers[k].b)));
  const rows = Array.from({ length: Math.min(GRADCHECK.samples, data.train.x.rows) }, (_, i) => i); // tanh: no kinks
  const layers = gradcheck(net, takeRows(data.train.x, rows), takeRows(data.train.y, rows), loss, exp.config.reduction, GRADCHECK);
  return gradcheckReport(exp.config, { rows: rows.length, skipped: 0, layers, pass: layers.every((l) => l.pass) }, true);
}

function expectQuoted(quoted: string[], report: string): void {
  expect(quoted.length).toBeGreaterThanOrEqual(5);
  const printed = report.split('\n');
  for (const line of quoted) expect(printed, `quoted line not printed: ${line}`).toContain(line);
}

describe('docs/math.md, classic mistakes 1 and 2', () => {
  it("mistake 1's gradcheck output: tanh's derivative applied to a, 1 − tanh²(a)", () => {
    const tanhTwice: Activation = {
      ...activations.tanh,
      backward(a, da, dz, rows, cols) {
        for (let i = 0; i < rows * cols; i++) dz[i] = da[i] * (1 - Math.tanh(a[i]) ** 2); // the mistake
      },
    };
    expectQuoted(blockAfter('### Mistake 1'), explainXorTanh({ ...activations, tanh: tanhTwice }, 'mse'));
  });

  it("mistake 2's gradcheck output: targets and outputs passed to mse in swapped order", () => {
    const mse = losses.mse;
    const swapped: Loss = {
      ...mse,
      total: (v, y, rows, cols) => mse.total(y, v, rows, cols),
      backward: (v, y, d, rows, cols, scale) => mse.backward(y, v, d, rows, cols, scale),
    };
    expectQuoted(blockAfter('### Mistake 2'), explainXorTanh(activations, swapped));
  });
});
