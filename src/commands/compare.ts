// `mlplab compare PATH... [--by METRIC] [--curve COLUMN] [--log-scale] [--out DIR]`: groups the runs found at
// the paths (runs differing only by seed form one group), prints the aligned table best first, and writes
// compare.html, compare.svg (with its spec compare.vl.json) and compare.csv into DIR (default results/compare).

import { compareRuns, comparisonFiles, writeComparison } from '../runner/compare.js';
import { tableText } from '../report/table.js';
import { EXIT, type Command } from './command.js';

export const DEFAULT_COMPARE_OUT = 'results/compare';

export const compareCommand: Command = {
  name: 'compare',
  usage: 'mlplab compare PATH...     table and charts of result folders, sweeps, summary.csv or experiment files → results/compare/',
  async run(paths, options, io) {
    const comparison = compareRuns(paths, { by: options.by, curve: options.curve, logScale: options['log-scale'] });
    const outDir = options.out ?? DEFAULT_COMPARE_OUT;
    writeComparison(outDir, await comparisonFiles(comparison));
    io.out(tableText(comparison));
    if (comparison.skipped.length > 0) io.err(`left out ${comparison.skipped.length} run(s) that did not complete: ${comparison.skipped.join(', ')}\n`);
    if (!options.quiet) io.err(`${comparison.runs} run(s) in ${comparison.groups.length} group(s); wrote compare.html, compare.svg, compare.vl.json, compare.csv → ${outDir}\n`);
    return EXIT.ok;
  },
};
