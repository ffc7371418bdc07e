// `mlplab gradcheck FILE`: builds the declared network (data, seed, init) and compares every parameter's
// analytic gradient with central finite differences on a few training rows, printing per layer the largest
// relative error and pass/fail, in words a learner can follow. Exit 1 when any layer fails.

import { UserError } from '../config/errors.js';
import { takeRows } from '../matrix.js';
import { losses } from '../model/losses.js';
import { buildNetwork } from '../runner.js';
import { gradcheck, type LayerCheck } from '../training/gradcheck.js';
import type { Checked, Io, ParsedOptions } from '../cli.js';

const SAMPLES = 4;
const H = 1e-6;
const TOLERANCE = 1e-6;

type LoadAll = (files: string[], values: ParsedOptions['values'], io: Io) => { checked: Checked[]; failed: boolean };

export function gradcheckCommand(files: string[], values: ParsedOptions['values'], io: Io, loadAll: LoadAll): number {
  if (files.length !== 1) throw new UserError('usage', `gradcheck expects one experiment FILE, found ${files.length}`);
  const loaded = loadAll(files, values, io);
  if (loaded.failed) return 1;
  const checked = loaded.checked;
  const { exp, data } = checked[0];
  const cfg = exp.config;
  const net = buildNetwork(exp, data.train.x.cols);
  const rows = Array.from({ length: Math.min(SAMPLES, data.train.x.rows) }, (_, i) => i);
  const results = gradcheck(net, takeRows(data.train.x, rows), takeRows(data.train.y, rows), cfg.loss, cfg.reduction, { h: H, tolerance: TOLERANCE });
  const fused = losses[cfg.loss].reads === 'logits';
  io.out(
    `gradcheck ${cfg.name}: ${cfg.loss} (${cfg.reduction}) on ${rows.length} training rows, initial weights from seed ${cfg.seed}\n` +
      `  For every weight and bias w, the backward pass's dL/dw is compared with the central difference\n` +
      `  (L(w + h) - L(w - h)) / 2h, h = ${H}. Relative error = |analytic - numeric| / max(|analytic|, |numeric|);\n` +
      `  a layer passes when its largest relative error is below ${TOLERANCE}.\n`,
  );
  for (const r of results) io.out(describeLayer(r, r.layer === results.length && fused ? cfg.loss : undefined) + '\n');
  const failed = results.filter((r) => !r.pass);
  if (failed.length === 0) {
    io.out('All gradients match: the backward pass computes the derivatives of this loss.\n');
    return 0;
  }
  io.out(
    `FAILED in layer${failed.length > 1 ? 's' : ''} ${failed.map((r) => r.layer).join(', ')}. ` +
      `A failing layer's derivative (its activation's backward, or at the output the loss gradient) does not match the loss.\n` +
      `If the layer uses relu or leaky_relu, a pre-activation within h of 0 (the kink) can also cause a small failure.\n`,
  );
  return 1;
}

function describeLayer(r: LayerCheck, fusedLoss?: string): string {
  const w = r.worst;
  const where = w.kind === 'weight' ? `weight [${w.index[0]}][${w.index[1]}] (input ${w.index[0]} → unit ${w.index[1]})` : `bias [${w.index[0]}]`;
  const act = fusedLoss ? `${r.activation} + ${fusedLoss}, fused` : r.activation;
  return (
    `  layer ${r.layer} (${r.nIn} → ${r.nOut}, ${act}): ${r.params} parameters, largest relative error ${w.relError.toExponential(2)} ` +
    `at ${where}: analytic ${fmt(w.analytic)}, numeric ${fmt(w.numeric)}  ${r.pass ? 'pass' : 'FAIL'}`
  );
}

const fmt = (v: number) => Number(v.toPrecision(8)).toString();
