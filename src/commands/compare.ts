// `mlplab compare PATH... [--by METRIC] [--curve COLUMN] [--log-scale | --linear] [--alpha P] [--out DIR]`: groups the runs
// found at the paths (runs differing only by seed form one group), prints the aligned table best first with
// the verdict (best, or tied, at significance level P), and writes compare.html, compare.svg (with its spec
// compare.vl.json) and compare.csv into DIR (default results/compare).

import { UserError } from '../errors.js';
import { compare } from '../runner/compare.js';
import { EXIT, type Command, type Options } from './command.js';

/** --alpha as a number between 0 and 1, the text quoted when it is not (the library checks the range too). */
function alphaOption(options: Options): number | undefined {
  const text = options.alpha;
  if (text === undefined) return undefined;
  const alpha = /^\s*(\d+\.?\d*|\.\d+)(e-?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
  if (!(alpha > 0 && alpha < 1)) throw new UserError('usage', `--alpha expects a significance level between 0 and 1 (like 0.05 or 0.01), found "${text}"`);
  return alpha;
}

export const compareCommand: Command = {
  name: 'compare',
  usage: 'mlplab compare PATH...     table and charts of result folders, sweeps, summary.csv or experiment files → results/compare/',
  options: ['by', 'curve', 'log-scale', 'linear', 'alpha', 'out'],
  out: 'the folder to write compare.* in',
  async run(paths, options, io) {
    if (options['log-scale'] && options.linear) throw new UserError('usage', '--log-scale and --linear: give one of them (without either, a loss spanning more than two decades is drawn on a log axis)');
    const logScale = options['log-scale'] ? { logScale: true } : options.linear ? { logScale: false } : {};
    const comparison = await compare(paths, { by: options.by, curve: options.curve, ...logScale, alpha: alphaOption(options), out: options.out });
    io.out(comparison.text);
    if (comparison.skipped.length > 0) io.err(`left out ${comparison.skipped.length} run(s) that did not complete: ${comparison.skipped.join(', ')}\n`);
    if (!options.quiet) io.err(`${comparison.runs} run(s) in ${comparison.groups.length} group(s); wrote compare.html, compare.svg, compare.vl.json, compare.csv → ${comparison.out}\n`);
    return EXIT.ok;
  },
};
