// A finished run's files (loss.csv, model.json, config.json, run.json). config.json is a complete experiment
// file: `mlplab run results/NAME/config.json` trains the same run again, because the files it reads are
// written as absolute paths, and run.json records SHA-256 digests of it and of them (of the data: the bytes read
// for training, from that one read).

import { resolve } from 'node:path';
import type { ExperimentConfig } from '../config/types.js';
import { sha256, sha256File } from '../files/hash.js';
import { lossLogCsv } from '../files/losslog.js';
import { modelJsonPieces } from '../files/modelfile.js';
import type { RunRecord } from '../files/runfile.js';
import type { RunResult } from './session.js';

/** The key paths of a config that name files, and their values (relative to the experiment's folder). */
function inputsOf(cfg: ExperimentConfig): { key: string; set(value: string): void; value: string }[] {
  const out: { key: string; set(value: string): void; value: string }[] = [];
  const csv = (cfg.data as { csv?: { path: string } }).csv;
  if (csv) out.push({ key: 'data.csv.path', value: csv.path, set: (v) => void (csv.path = v) });
  const init = cfg.model.init;
  if (init.from !== undefined) out.push({ key: 'model.init.from', value: init.from, set: (v) => void (init.from = v) });
  return out;
}

/** The files of a run written to outDir: its loss log, config.json with absolute paths, and run.json with the digests. */
export function runFiles(result: RunResult, outDir: string): { files: Record<string, string>; run: RunRecord } {
  const { files, run } = snapshotFiles(result);
  const model: Record<string, string> = result.model ? { 'model.json': [...modelJsonPieces(result.model)].join('') } : {}; // none unless completed
  return { files: { 'loss.csv': lossLogCsv(result.columns, result.rows), ...model, ...files }, run };
}

/** runFiles without the loss log (runExperiment streams it while training) and model.json (modelJsonPieces). */
export function snapshotFiles(result: RunResult): { files: Record<string, string>; run: RunRecord } {
  // NOTE: the digests are of the bytes trained on, taken while they were read (data/csvread.ts, init.from in
  // prepare.ts); reading a file again is only for a result made without them (a hand-made RunResult).
  const { configText, inputs } = configSnapshot(result.config, result.baseDir, (path) => result.read?.[path] ?? sha256File(path));
  const run: RunRecord = { ...result.run, config_sha256: sha256(configText), inputs };
  const files: Record<string, string> = {
    'config.json': configText,
    'run.json': JSON.stringify(run, null, 2) + '\n',
  };
  return { files, run };
}

/** config.json's text for a run of this configuration (its input paths made absolute from baseDir), and the
 *  inputs' digests: what a run writes, known before it trains (resume.ts compares them with a folder's). */
export function configSnapshot(cfg: ExperimentConfig, baseDir: string, digest = sha256File): { configText: string; inputs: RunRecord['inputs'] } {
  const config = structuredClone(cfg);
  // NOTE: absolute, so a snapshot reruns from anywhere, and runs at different depths below results/ (a plain
  // run, a sweep run) have equal configs apart from what was varied (compare groups runs by config.json).
  const inputs = inputsOf(config).map(({ key, value, set }) => {
    const path = resolve(baseDir, value);
    set(path);
    return { key, path, sha256: digest(path) };
  });
  return { configText: JSON.stringify(config, null, 2) + '\n', inputs };
}
