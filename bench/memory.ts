// Peak resident memory of a workload, each way in a fresh process of plain Node (no tsx, whose loader alone
// takes ≈45 MB): trained by train() (memory-child.ts, bundled by esbuild), and by `mlplab run` from an
// experiment file with the same rows as a CSV, as a user trains it (needs dist/: npm run build).

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { argmaxRow } from '../src/matrix.js';
import { SEED, type Dataset, type Workload } from './workloads.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface PeakMemory {
  /** Peak RSS in bytes: train() in a child process, and the whole `mlplab run` process. */
  train: number;
  run: number;
  /** The size of the CSV file `mlplab run` read. */
  csvBytes: number;
  /** The final loss on the training rows both ways (equal: both trained the same thing). */
  losses: [number, number];
}

/** Runs node ARGS with bench/maxrss.cjs preloaded: its stdout and its peak resident memory in bytes. */
function measured(args: string[]): { stdout: string; peak: number } {
  const r = spawnSync(process.execPath, ['-r', join(ROOT, 'bench/maxrss.cjs'), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench memory: node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout, peak: Number(/^peak RSS (\d+)$/m.exec(r.stderr)![1]) };
}

/** The rows as a CSV file: the features in shortest round-trip form, then the label (or the targets). */
function writeCsv(file: string, w: Workload, data: Dataset): void {
  const { x, y } = data;
  const targets = w.classify ? ['label'] : Array.from({ length: y.cols }, (_, c) => `y${c}`);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, [...Array.from({ length: x.cols }, (_, c) => `x${c}`), ...targets].join(',') + '\n');
    for (let r = 0; r < x.rows; r++) {
      const cells = Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols), String);
      cells.push(...(w.classify ? [String(argmaxRow(y, r))] : Array.from(y.data.subarray(r * y.cols, (r + 1) * y.cols), String)));
      writeSync(fd, cells.join(',') + '\n');
    }
  } finally {
    closeSync(fd);
  }
}

/** The workload as an experiment file (JSON is YAML): same layers, init, seed, loss, batches and epochs. */
export function experiment(w: Workload, csv: string, data: Dataset): string {
  const target = w.classify ? 'label' : Array.from({ length: data.y.cols }, (_, c) => `y${c}`);
  const training = { epochs: w.epochs, batch_size: w.batchSize, shuffle: true, optimizer: w.optimizer };
  return JSON.stringify({ name: w.name, seed: SEED, data: { csv: { path: csv, target } }, model: { layers: w.layers, init: { scheme: w.init } }, loss: w.loss, training }, null, 2);
}

export async function peakMemory(w: Workload): Promise<PeakMemory> {
  const dir = mkdtempSync(join(os.tmpdir(), 'mlplab-bench-memory-'));
  try {
    const child = join(dir, 'child.mjs');
    await build({
      entryPoints: [join(ROOT, 'bench/memory-child.ts')],
      outfile: child,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'bench/memory-child.ts')).href) },
      // NOTE: the packages bundled in (yaml) are CommonJS and require Node's modules.
      // (Renamed on import: the bundled sources import createRequire themselves.)
      banner: { js: "import { createRequire as mlplabBenchRequire } from 'node:module'; const require = mlplabBenchRequire(import.meta.url);" },
    });
    const trained = measured([child, w.name]);
    const data = w.data();
    writeCsv(join(dir, 'data.csv'), w, data);
    writeFileSync(join(dir, 'experiment.yaml'), experiment(w, 'data.csv', data));
    const out = join(dir, 'out');
    const run = measured([join(ROOT, 'bin/mlplab.js'), 'run', join(dir, 'experiment.yaml'), '-q', '--out', out]);
    const runLoss = JSON.parse(readFileSync(join(out, w.name, 'run.json'), 'utf8')).final.train_loss as number;
    return { train: trained.peak, run: run.peak, csvBytes: statSync(join(dir, 'data.csv')).size, losses: [Number(trained.stdout), runLoss] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
