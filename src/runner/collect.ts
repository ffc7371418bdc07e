// Finding the runs `mlplab compare` is given: result folders (run.json, config.json, loss.csv), folders that
// hold result folders at any depth (a sweep's, an --out folder, results/), a sweep's summary.csv (a `dir`
// column: each run's folder, relative to the summary's own folder), and experiment files whose results exist
// (results/NAME). Reads the runs' files; grouping and statistics are compare.ts's.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { systemReason, UserError } from '../errors.js';
import { isNumeric, readCsv, textRows } from '../data/csv.js';
import { loadExperiment } from '../config/load.js';
import type { LogRow } from '../files/losslog.js';
import { readRunObject, type RunRecord } from '../files/runfile.js';
import { checkRegularFile } from '../files/safefs.js';
import { naturalOrder } from './natural-order.js';

/** One finished run, as read back from its result folder. */
export interface StoredRun {
  /** The folder as found (relative to the current directory when inside it). */
  dir: string;
  name: string;
  seed: number;
  /** run.json's status (completed, or how the run ended otherwise). */
  status: string;
  /** config.json as written (the run's whole configuration after defaults and overrides). */
  config: Record<string, unknown>;
  /** run.json's `final`: the last loss-log row's metrics; null where one is not a number (R² of one row). */
  final: Record<string, number | null>;
  /** A sweep run's swept values (run.json's sweep.values), by key path as written in the sweep. */
  swept?: Record<string, unknown>;
  /** run.json's stopping: how a run with early stopping ended. */
  stopping?: RunRecord['stopping'];
  columns: string[];
  rows: LogRow[];
}

const EXPECTED =
  'expected a result folder (with run.json, config.json and loss.csv), a folder containing result folders, a summary.csv, or an experiment file that has been run';

const RUN_FILES = ['run.json', 'config.json', 'loss.csv'] as const;

/** The run folders that the paths name, each once, in byFolder's order whatever the paths' order. */
export function findRunFolders(paths: readonly string[]): string[] {
  if (paths.length === 0) throw new UserError('usage', `compare expects at least one PATH; ${EXPECTED}`);
  const seen = new Set<string>();
  const found: string[] = [];
  for (const path of paths) {
    for (const dir of runFoldersOf(path)) {
      const key = resolve(dir);
      if (!seen.has(key)) (seen.add(key), found.push(dir));
    }
  }
  return found.sort(byFolder);
}

/** Run folders by absolute path, name by name in natural order (seed=2 before seed=10); a total order. */
function byFolder(a: string, b: string): number {
  const pa = resolve(a).split(sep), pb = resolve(b).split(sep);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return naturalOrder(pa[i], pb[i]);
  return pa.length - pb.length;
}

function runFoldersOf(path: string): string[] {
  let stats;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw new UserError('io', `cannot read this path: ${systemReason(e)}; ${EXPECTED}`, { file: path }); // d.csv/: it said 'no such file or folder'
  }
  if (stats === undefined) throw new UserError('io', `no such file or folder; ${EXPECTED}`, { file: path });
  if (stats.isDirectory()) {
    const dirs = walk(path);
    if (dirs.length === 0) throw new UserError('io', `no run.json in this folder or any folder below it; ${EXPECTED}`, { file: path });
    return dirs;
  }
  // A file of a result folder (its loss.csv, run.json, …) stands for the folder.
  if ((RUN_FILES as readonly string[]).includes(basename(path)) && existsSync(join(dirname(path), 'run.json'))) return [dirname(path)];
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return summaryFolders(path);
  if (ext === '.yaml' || ext === '.yml') return experimentFolders(path);
  throw new UserError('io', `not a folder, .csv, .yaml or .yml file; ${EXPECTED}`, { file: path });
}

/** Folders with a run.json at or below dir; hidden folders (the atomic writer's staging) are skipped. */
function walk(dir: string): string[] {
  if (existsSync(join(dir, 'run.json'))) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .flatMap((e) => walk(join(dir, e.name))); // in any order: findRunFolders sorts
}

/** A summary.csv's `dir` column: each row's run folder, relative to the summary's folder (or absolute). */
function summaryFolders(file: string): string[] {
  checkRegularFile(file, 'a summary.csv'); // a FIFO: refused, not waited on
  const table = readCsv(file, ',', { file });
  const column = table.header.indexOf('dir');
  if (column < 0) {
    throw new UserError('data', `a summary needs a "dir" column (each run's folder, relative to this file); found columns: ${table.header.join(', ')}`, { file, line: 1, column: 1 });
  }
  return textRows(table).map((row, i) => {
    const dir = isAbsolute(row[column]) ? row[column] : join(dirname(file), row[column]);
    if (!existsSync(join(dir, 'run.json'))) {
      throw new UserError('io', `no run.json in "${row[column]}" (${dir}); the dir column names each run's result folder, relative to this file`, { file, line: table.lines[i], column: column + 1 });
    }
    return dir;
  });
}

/** An experiment file's results: results/NAME (a run, or a folder of runs). */
function experimentFolders(file: string): string[] {
  const dir = join('results', loadExperiment(file).config.name);
  if (!existsSync(dir)) throw new UserError('io', `no results for this experiment: ${dir} does not exist (run it first: mlplab run ${file})`, { file });
  const dirs = walk(dir);
  if (dirs.length === 0) throw new UserError('io', `no run.json in ${dir} or below it (run it first: mlplab run ${file})`, { file });
  return dirs;
}

function readJson(file: string): Record<string, unknown> {
  return readRunObject(file, { notJson: (e) => `not readable as JSON: ${e.message}`, notObject: 'expected a JSON object' });
}

/** run.json's sweep.values, when it is a sweep run. */
function sweptOf(run: Record<string, unknown>): { swept?: Record<string, unknown> } {
  const values = (run.sweep as { values?: unknown } | undefined)?.values;
  return values !== null && typeof values === 'object' ? { swept: values as Record<string, unknown> } : {};
}

/** Reads a run folder's run.json, config.json and loss.csv. */
export function readRun(dir: string): StoredRun {
  const missing = RUN_FILES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw new UserError('io', `not a complete result folder: missing ${missing.join(', ')}`, { file: dir });
  const shown = relative('.', dir).startsWith('..') ? dir : relative('.', dir) || '.';
  const run = readJson(join(dir, 'run.json'));
  const config = readJson(join(dir, 'config.json'));
  if (typeof run.final !== 'object' || run.final === null) throw new UserError('io', 'expected "final": the last metrics, as mlplab run writes it', { file: join(dir, 'run.json') });
  const { columns, rows } = readLossLog(join(dir, 'loss.csv'));
  const status = typeof run.status === 'string' ? run.status : 'completed';
  const stopping = typeof run.stopping === 'object' && run.stopping !== null ? { stopping: run.stopping as RunRecord['stopping'] } : {};
  return { dir: shown, name: String(run.name ?? basename(dir)), seed: Number(run.seed), status, config, final: run.final as Record<string, number | null>, columns, rows, ...sweptOf(run), ...stopping };
}

/** A number as mlplab writes one in a loss log (what isNumeric accepts, less the forms mlplab never writes). */
const PLAIN_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
/** Loss logs up to this size are read whole by quickLossLog. */
const QUICK_LIMIT = 32 << 20;

/**
 * A loss log as mlplab writes it (a header starting with epoch, plain numbers or NaN, no quotes, no blanks),
 * read with a split per line: compare reads hundreds. Anything else is undefined, to be read by the general
 * CSV reader with its located errors.
 */
function quickLossLog(file: string): { columns: string[]; rows: LogRow[] } | undefined {
  if (statSync(file).size > QUICK_LIMIT) return undefined;
  const text = readFileSync(file, 'utf8');
  if (text.includes('"') || text.includes('\r')) return undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new UserError('data', 'expected a loss log: a header line (epoch,step,…), found an empty file', { file, line: 1 });
  const columns = lines[0].split(',');
  if (columns[0] !== 'epoch') return undefined;
  const rows: LogRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== columns.length) return undefined;
    const row: Record<string, number> = {};
    for (let c = 0; c < cells.length; c++) {
      if (!PLAIN_NUMBER.test(cells[c]) && cells[c] !== 'NaN') return undefined;
      row[columns[c]] = Number(cells[c]);
    }
    rows.push(row as LogRow);
  }
  return { columns, rows };
}

function readLossLog(file: string): { columns: string[]; rows: LogRow[] } {
  checkRegularFile(file, 'a loss log'); // a FIFO: refused, not waited on
  const quick = quickLossLog(file);
  if (quick !== undefined) return quick;
  const table = readCsv(file, ',', { file });
  if (table.header[0] !== 'epoch') throw new UserError('data', `expected a loss log whose first column is "epoch", found "${table.header[0]}"`, { file, line: 1, column: 1 });
  const rows = textRows(table).map((cells, i) => {
    const row: Record<string, number> = {};
    cells.forEach((cell, c) => {
      if (!isNumeric(cell) && cell !== 'NaN') throw new UserError('data', `expected a number in column "${table.header[c]}", found "${cell}"`, { file, line: table.lines[i], column: c + 1 });
      row[table.header[c]] = Number(cell);
    });
    return row as LogRow;
  });
  return { columns: table.header, rows };
}
