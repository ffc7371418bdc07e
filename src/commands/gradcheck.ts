// `mlplab gradcheck FILE`: builds the declared network (data, seed, init) and compares every parameter's
// analytic gradient with central finite differences on a few training rows, printing per layer the largest
// relative error and pass/fail, in words a learner can follow; with --explain, a few parameters per layer with
// both derivatives side by side. A file that sweeps keys bearing on the gradients (an activation, the loss, the
// layers; not seed, fold, sample, training or log) is checked once per such setting, each report headed by its
// values (runner/gradcheck.ts gradcheckConfigurations). Exit 1 when any layer fails. With -q, as `check -q` prints
// only its drifts: nothing when every layer passes, else the failing layers and the verdict (gradcheckFailures);
// errors as always.

import { UserError, type ExitCode } from '../errors.js';
import { losses } from '../model/losses.js';
import type { ExperimentConfig } from '../config/types.js';
import { GRADCHECK, gradcheckConfigurations, gradcheckExperiment, type ExperimentGradcheck } from '../runner/gradcheck.js';
import { DataCache } from '../runner/datacache.js';
import { prepare } from '../runner/prepare.js';
import type { Example, LayerCheck } from '../training/gradcheck.js';
import { EXIT, loadAll, loadOptions, type Command, type Io, type Options } from './command.js';

export const gradcheckCommand: Command = {
  name: 'gradcheck',
  usage: 'mlplab gradcheck FILE      compare analytic gradients with finite differences (--explain: show some side by side)',
  options: ['set', 'seed', 'explain'],
  run: checkGradients,
};

function checkGradients(files: string[], values: Options, io: Io): ExitCode {
  if (files.length !== 1) throw new UserError('usage', `gradcheck expects one experiment FILE, found ${files.length}`);
  const loaded = loadAll(files, values, io);
  if (loaded.failed) return EXIT.input;
  const { exp, prepared } = loaded.checked[0];
  const configurations = gradcheckConfigurations(files[0], loadOptions(values), exp);
  const data = new DataCache();
  let pass = true;
  for (const { label, exp: e } of configurations) {
    const check = gradcheckExperiment(e, e === exp ? prepared : prepare(e, {}, data));
    io.out(values.quiet ? gradcheckFailures(e.config, check, label) : gradcheckReport(e.config, check, values.explain === true, label));
    pass &&= check.pass;
  }
  return pass ? EXIT.ok : EXIT.input;
}

/** The report's first words: the experiment, and the swept values of the configuration when the file sweeps any. */
const heading = (cfg: ExperimentConfig, label: string) => `gradcheck ${cfg.name}${label === '' ? '' : ` (${label})`}`;

/** What gradcheck prints: the method in words, one line per layer (with `explain`, a table under each), and the verdict. */
export function gradcheckReport(cfg: ExperimentConfig, check: ExperimentGradcheck, explain = false, label = ''): string {
  const { h, tolerance } = GRADCHECK;
  let text =
    `${heading(cfg, label)}: ${cfg.loss} (${cfg.reduction}) on ${check.rows} training rows, initial weights from ${cfg.model.init.from ?? `seed ${cfg.seed}`}\n` +
    `  For every weight and bias w, the backward pass's dL/dw is compared with the central difference\n` +
    `  (L(w + s) - L(w - s)) / 2s, s = ${h}·max(1, |w|). Relative error = |analytic - numeric| / max(|analytic|, |numeric|)\n` +
    `  (near zero, where rounding noise dominates, the difference is measured against a small floor instead);\n` +
    `  a parameter that fails is checked again with (4·D(s/2) - D(s)) / 3, D(s) that difference, free of its s² error;\n` +
    `  a layer passes when its largest relative error is below ${tolerance}.\n` +
    (check.skipped > 0 ? `  Skipped ${check.skipped} training row(s) where a relu/leaky_relu pre-activation sits at its kink (0), or within a step of the check of it: no derivative exists there.\n` : '') +
    (explain ? EXPLAIN : '');
  const results = check.layers;
  for (const r of results) {
    text += describeLayer(cfg, check, r) + '\n';
    if (explain) text += explainTable(r.examples);
  }
  return text + (check.pass ? 'All gradients match: the backward pass computes the derivatives of this loss.\n' : failedVerdict(results));
}

/** What gradcheck -q prints: nothing when every layer passes; else each failing layer's line and the verdict. */
export function gradcheckFailures(cfg: ExperimentConfig, check: ExperimentGradcheck, label = ''): string {
  if (check.pass) return '';
  return (label === '' ? '' : `${heading(cfg, label)}:\n`) + check.layers.filter((r) => !r.pass).map((r) => describeLayer(cfg, check, r) + '\n').join('') + failedVerdict(check.layers);
}

/**
 * The verdict names the highest failing layer: the gradient flows down from the loss, so a wrong derivative fails its
 * own layer and every layer below it (they take their gradients through it), while the layers above it pass.
 */
function failedVerdict(results: readonly LayerCheck[]): string {
  const failed = results.filter((r) => !r.pass);
  const top = failed[failed.length - 1].layer;
  return (
    `FAILED in layer${failed.length > 1 ? 's' : ''} ${failed.map((r) => r.layer).join(', ')}. ` +
    `The error enters at layer ${top}, the highest that fails: its activation's backward (or at the output the loss gradient) does not match the loss` +
    (failed.length > 1 ? `, and the layers below it take their gradients through it, so they fail with it.\n` : '.\n') +
    `(Rows with a relu/leaky_relu pre-activation within 1e-4 of its kink, or within a step of the check, were left out, so kinks are not the cause.)\n`
  );
}

/** A layer's line: its largest error and pass or FAIL (the output layer's activation named with a loss fused with it). */
function describeLayer(cfg: ExperimentConfig, check: ExperimentGradcheck, r: LayerCheck): string {
  const { tolerance } = GRADCHECK;
  const fusedLoss = r.layer === check.layers.length && losses[cfg.loss].reads === 'logits' ? cfg.loss : undefined;
  const w = r.worst;
  const where = w.kind === 'weight' ? `weight [${w.index[0]}][${w.index[1]}] (input ${w.index[0]} → unit ${w.index[1]})` : `bias [${w.index[0]}]`;
  const act = fusedLoss ? `${r.activation} + ${fusedLoss}, fused` : r.activation;
  return (
    `  layer ${r.layer} (${r.nIn} → ${r.nOut}, ${act}): ${r.params} parameters, largest relative error ${w.error.toExponential(2)} ` +
    `at ${where}: analytic ${fmt(w.analytic)}, numeric ${fmt(w.numeric)}  ${r.pass ? 'pass' : 'FAIL'}` +
    (r.pass && r.measured === 0
      ? `, but every derivative of this layer is below ${((tolerance * r.floor) / 2).toExponential(2)}, too small for the check to tell a wrong one from a right one (saturated or dead units on these rows)`
      : '')
  );
}

const fmt = (v: number) => Number(v.toPrecision(8)).toString();

const EXPLAIN =
  `  --explain: under each layer, up to three of its parameters: the one with the largest error, then the weights with\n` +
  `  the largest and the median |dL/dw|. "analytic" is what backward computed, "numeric" the central difference, both\n` +
  `  to 12 significant digits; "~digits" is -log10(relative error) rounded down: about how many significant digits agree.\n` +
  `  A correct backward pass agrees to about 9 digits: the central difference itself is only that accurate (its\n` +
  `  truncation error grows as s², its rounding error as 1e-16/s). A wrong derivative disagrees in the first digit or two.\n`;

const COLUMNS = ['parameter', 'analytic dL/dw', 'numeric (central diff.)', 'rel. error', '~digits', 'shown as'];

/** One layer's examples as an aligned table. */
function explainTable(examples: readonly Example[]): string {
  const rows = examples.map((e) => [
    e.kind === 'weight' ? `weight [${e.index[0]}][${e.index[1]}]` : `bias [${e.index[0]}]`,
    sci(e.analytic),
    sci(e.numeric),
    e.error.toExponential(1),
    digits(e.error),
    e.why + (Math.max(Math.abs(e.analytic), Math.abs(e.numeric)) < e.floor ? ` (below the floor ${e.floor.toExponential(2)}: error = |difference| / floor)` : ''),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '      ' + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ') + '\n';
  return line(COLUMNS) + rows.map(line).join('');
}

/** 12 significant digits in exponent form, a space where the minus sign would be, so digits line up. */
const sci = (v: number) => (v < 0 || Object.is(v, -0) ? '' : ' ') + v.toExponential(11);

/** About how many significant digits agree: ⌊−log10(error)⌋, within the 0 to 16 float64 holds. */
function digits(error: number): string {
  if (Number.isNaN(error)) return '-';
  return error === 0 ? '16' : String(Math.min(16, Math.max(0, Math.floor(-Math.log10(error)))));
}
