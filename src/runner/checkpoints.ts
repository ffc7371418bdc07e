// A run's checkpoints (training.checkpoint: { every: N }) and its resume from one. While training, every N epochs
// the loss log written so far is flushed into the staging folder and checkpoint.json (files/checkpoint.ts) is
// written atomically beside it; after training it is kept only in an interrupted run's folder (NAME.interrupted/),
// the one place a resume looks. Resuming (`mlplab run --resume`, resume.ts) reads that checkpoint, refuses it when
// the configuration or its inputs (the data, an init.from model) differ, and starts the new staging folder with the loss log cut back to the
// checkpoint's epoch and the checkpoint itself (so a resumed run interrupted again before its next checkpoint
// still has one). A run killed outright (SIGKILL, a power loss) leaves no NAME.interrupted/, but its staging folder
// (.NAME.partial-PID-TIME/, its process gone) holds its last checkpoint: a resume takes it from there, and that
// staging folder stays until the resumed run completes (recovery, recover.ts, removes every other). Leaves out which runs resume (resume.ts) and
// the training state itself (session.ts, train.ts).

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LoadedExperiment } from '../config/load.js';
import type { ExperimentConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { checkCheckpointEpoch, checkCheckpointFits, checkCheckpointShapes, checkpointText, readCheckpoint, type Checkpoint } from '../files/checkpoint.js';
import { sha256, sha256File } from '../files/hash.js';
import { logPieces, logRows, logText, type LogRow } from '../files/losslog.js';
import { writeFileAtomically, type StagedFolder } from '../files/outputs.js';
import type { RunRecord, RunStatus } from '../files/runfile.js';
import { writerGone } from '../files/lock.js';
import { checkRegularFile, kindOf, removeEntry } from '../files/safefs.js';
import { filesRead, type Prepared } from './prepare.js';
import type { SessionHooks, SessionState } from './session.js';
import { configSnapshot } from './snapshot.js';

const CHECKPOINT_FILE = 'checkpoint.json';

/** The checkpoint an interrupted run of folder outDir left: outDir.interrupted/checkpoint.json. */
const interruptedCheckpoint = (outDir: string): string => join(`${outDir}.interrupted`, CHECKPOINT_FILE);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The name of a staging folder beside outDir (.NAME.partial-PID-TIME), its PID and TIME captured. */
const stagingName = (outDir: string): RegExp => new RegExp(`^\\.${escape(basename(outDir))}\\.partial-(\\d+)-(\\d+)$`);

/** TIME, when `name` is a staging folder's of outDir (stagingName, `pattern`) whose writer is surely gone (lock.ts writerGone). */
function deadStagingTime(pattern: RegExp, name: string): number | undefined {
  const m = pattern.exec(name);
  return m !== null && writerGone(Number(m[1]), Number(m[2])) ? Number(m[2]) : undefined;
}

/**
 * Is `folder` one that checkpointToResume(outDir) takes a checkpoint from: outDir.interrupted/, or a staging folder
 * of a killed writer beside outDir? Only such a folder is a run's to remove once it is superseded; a checkpoint
 * elsewhere (the library's `resume: 'mine/checkpoint.json'`) is the user's, and stays with all beside it.
 */
function isRunsCheckpointFolder(outDir: string, folder: string): boolean {
  if (resolve(folder) === resolve(`${outDir}.interrupted`)) return true;
  return resolve(dirname(folder)) === resolve(dirname(outDir)) && deadStagingTime(stagingName(outDir), basename(folder)) !== undefined;
}

/**
 * The checkpoint a run of folder outDir continues from with --resume: outDir.interrupted/checkpoint.json (whatever
 * is there), else that of the newest staging folder a killed writer left beside outDir (.NAME.partial-PID-TIME/,
 * PID no longer running).
 */
export function checkpointToResume(outDir: string): string | undefined {
  const interrupted = interruptedCheckpoint(outDir);
  // Anything there is read as a checkpoint is (a link followed; a FIFO or a folder refused: fittingCheckpoint), never passed over.
  if (kindOf(interrupted) !== 'missing') return interrupted;
  const pattern = stagingName(outDir);
  let newest: { file: string; time: number } | undefined;
  let names: string[];
  try {
    names = readdirSync(dirname(outDir));
  } catch {
    return undefined; // no parent folder yet: nothing to resume
  }
  for (const name of names) {
    const time = deadStagingTime(pattern, name);
    if (time === undefined) continue;
    const file = join(dirname(outDir), name, CHECKPOINT_FILE);
    if (kindOf(file) === 'file' && (newest === undefined || time > newest.time)) newest = { file, time };
  }
  return newest?.file;
}

/**
 * What a checkpoint is checked against: the SHA-256 of the config.json this run writes, and of its inputs (the data
 * CSV, an init.from model): the input's own digest when there is one (as run.json's inputs list it), else the
 * digest of their `key digest` lines (none: data drawn or inline, which config.json holds).
 */
export function runDigests(cfg: ExperimentConfig, baseDir: string, digest: (path: string) => string = sha256File): { configSha256: string; dataSha256: string; inputKeys: string[] } {
  const { configText, inputs } = configSnapshot(cfg, baseDir, digest);
  return { configSha256: sha256(configText), dataSha256: inputsSha256(inputs), inputKeys: inputs.map((i) => i.key) };
}

/** runDigests of a run about to train: its inputs' digests those of the bytes read for it (`read`), else of the files. */
const digestsOfRun = (exp: LoadedExperiment, read: Record<string, string> | undefined) =>
  runDigests(exp.config, exp.baseDir, (path) => read?.[path] ?? sha256File(path));

const inputsSha256 = (inputs: RunRecord['inputs']): string => (inputs.length === 1 ? inputs[0].sha256 : sha256(inputs.map((i) => `${i.key} ${i.sha256}\n`).join('')));

/** Refuses a file of a checkpoint's folder unless it is a regular file (a FIFO: never waited on); a missing one is the reader's to say. */
const checkReadable = (file: string, what: string) => void (existsSync(file) && checkRegularFile(file, what));

/** Reads and checks the checkpoint at `file` for a run of this configuration (a UserError naming the file if it does not fit). */
export function fittingCheckpoint(file: string, digests: { configSha256: string; dataSha256: string; inputKeys?: readonly string[] }): Checkpoint {
  checkReadable(file, 'a checkpoint');
  const cp = readCheckpoint(file);
  checkCheckpointFits(cp, digests, file);
  return cp;
}

/** A resume's starting point: the checkpoint, its text and state, and the loss log it continues (checked, not read into memory). */
export interface ResumePoint {
  checkpoint: Checkpoint;
  text: string;
  state: SessionState;
  /** The checkpoint's file. */
  file: string;
  /** The loss log beside it, whose first checkpoint.logBytes bytes the resumed run's log starts with. */
  logFile: string;
}

/**
 * Refuses a loss log whose first checkpoint.logBytes bytes are not those logged: fewer of them (`got.bytes`), or
 * others (`got.sha256`, when the checkpoint records theirs).
 */
function checkLogPrefix(checkpoint: Checkpoint, file: string, logFile: string, got: { bytes: number; sha256?: string }): void {
  if (got.bytes < checkpoint.logBytes) {
    throw new UserError('check', `cannot resume from this checkpoint: its loss.csv holds ${got.bytes} bytes, fewer than the ${checkpoint.logBytes} logged up to its epoch ${checkpoint.train.epoch}; run without --resume to start again`, { file });
  }
  const now = got.sha256;
  if (now !== undefined && checkpoint.logSha256 !== undefined && now !== checkpoint.logSha256) {
    const message = `cannot resume from this checkpoint: loss.csv changed since it was written (the first ${checkpoint.logBytes} bytes, logged to epoch ${checkpoint.train.epoch}, had SHA-256 ${checkpoint.logSha256.slice(0, 12)}…, now ${now.slice(0, 12)}…); run without --resume to start again`;
    throw new UserError('check', message, { file: logFile });
  }
}

/** The SHA-256 of the first checkpoint.logBytes bytes of logFile, read in pieces (undefined: the checkpoint records none). */
function logPrefixSha256(checkpoint: Checkpoint, logFile: string): string | undefined {
  if (checkpoint.logSha256 === undefined) return undefined;
  const hash = createHash('sha256');
  for (const piece of logPieces(logFile, checkpoint.logBytes)) hash.update(piece);
  return hash.digest('hex');
}

/**
 * Reads the checkpoint at `file` and the loss log beside it, for a run of this configuration (its data's digests
 * from the bytes read for training, its arrays the shapes of the prepared network and data, its epoch one the run
 * writes a checkpoint after); refuses a checkpoint that does not fit. Call it before opening the
 * run's folder, and open it with the checkpoint's folder spared (run.ts): recovery removes killed writers' staging folders.
 */
export function readResumePoint(exp: LoadedExperiment, prepared: Prepared, file: string): ResumePoint {
  const checkpoint = fittingCheckpoint(file, digestsOfRun(exp, filesRead(prepared)));
  const sizes = prepared.network.layers.flatMap((l) => [l.w.length, l.b.length]);
  checkCheckpointShapes(checkpoint, sizes, prepared.data.train.x.rows, file);
  checkCheckpointEpoch(checkpoint, exp.config.training.epochs, file);
  const logFile = join(dirname(file), 'loss.csv');
  checkReadable(logFile, 'a loss log');
  // NOTE: the log is hashed in pieces here and copied in pieces by runCheckpoints, never read whole: a log of 10^6
  // rows was read, decoded and parsed into as many row objects (hundreds of MB) before the run continued.
  const size = existsSync(logFile) ? statSync(logFile).size : 0;
  checkLogPrefix(checkpoint, file, logFile, { bytes: size, sha256: size < checkpoint.logBytes ? undefined : logPrefixSha256(checkpoint, logFile) });
  const { train, weights, schedule, earlyStopping } = checkpoint;
  const state = { weights, train, watch: { epoch: train.epoch, schedule, ...(earlyStopping ? { earlyStopping } : {}) } };
  return { checkpoint, text: readFileSync(file, 'utf8'), state, file, logFile };
}

/**
 * Appends the loss log's first checkpoint.logBytes bytes to the resumed run's log, piece by piece, checking them as
 * readResumePoint did (the same refusals, should the log have changed since: the copy is what it checked).
 */
function copyLog(point: ResumePoint, appendLog: (text: string) => void): void {
  const hash = createHash('sha256');
  let bytes = 0;
  const counted = function* () {
    for (const piece of logPieces(point.logFile, point.checkpoint.logBytes)) yield (hash.update(piece), (bytes += piece.length), piece);
  };
  for (const text of logText(counted())) appendLog(text);
  checkLogPrefix(point.checkpoint, point.file, point.logFile, { bytes, sha256: point.checkpoint.logSha256 && hash.digest('hex') });
}

/** A run's loss log and checkpoints in its staging folder: what runExperiment needs of them. */
export interface RunCheckpoints {
  /** The session's starting state when resuming; its rows read back from the run's loss log, one at a time, as they are iterated. */
  resume?: SessionState & { rows: Iterable<LogRow> };
  /** Appends to loss.csv (counting its bytes, which a checkpoint records). */
  appendLog(text: string): void;
  /** The session's checkpoint hook, given the loss log's flush; undefined without training.checkpoint. */
  hook(flushLog: () => void): SessionHooks['checkpoint'];
  /**
   * After training: removes the checkpoint unless the run was interrupted (only NAME.interrupted/ keeps one);
   * the epoch of the checkpoint kept, if any.
   */
  settle(status: RunStatus): number | undefined;
  /**
   * After a resumed run completed and its folder is in place: removes the NAME.interrupted/ it continued, which it
   * supersedes (left there, its checkpoint would make a later --resume of an edited configuration a refusal); a
   * checkpoint anywhere else (another run's, a folder of the user's own) is left where it is.
   */
  retire(): void;
}

/**
 * Sets up the loss log and checkpoints of a run staged in `folder`; with `point` (readResumePoint), its loss log
 * so far and the checkpoint are put into the staging folder first. Nothing is computed without either.
 */
export function runCheckpoints(exp: LoadedExperiment, read: Record<string, string> | undefined, folder: StagedFolder, point?: ResumePoint): RunCheckpoints {
  const every = exp.config.training.checkpoint?.every;
  const file = join(folder.staging, CHECKPOINT_FILE);
  const digests = every === undefined ? undefined : digestsOfRun(exp, read);
  let logBytes = 0;
  // NOTE: the log's digest is kept as it is written (a checkpoint takes a copy), not computed from the file.
  const logHash = every === undefined ? undefined : createHash('sha256');
  const appendLog = (text: string) => {
    folder.append('loss.csv', text);
    logBytes += Buffer.byteLength(text);
    logHash?.update(text);
  };
  let epoch: number | undefined;
  const as = { path: join(folder.dir, CHECKPOINT_FILE), doing: 'write the checkpoint' }; // as StagedFolder names its files
  if (point !== undefined) {
    epoch = point.checkpoint.train.epoch;
    copyLog(point, appendLog);
    writeFileAtomically(file, point.text, as);
  }
  // The rows logged so far, read back from the copy (this run's own file) as the session iterates them.
  const rows = point && { [Symbol.iterator]: () => logRows(logText(logPieces(join(folder.staging, 'loss.csv'), point.checkpoint.logBytes))) };
  return {
    ...(point ? { resume: { ...point.state, rows: rows! } } : {}),
    appendLog,
    hook: (flushLog) =>
      every === undefined
        ? undefined
        : {
            every,
            save({ weights, train, watch }) {
              flushLog();
              writeFileAtomically(file, checkpointText({ ...digests!, weights, train, schedule: watch.schedule, ...(watch.earlyStopping ? { earlyStopping: watch.earlyStopping } : {}), logBytes, logSha256: logHash!.copy().digest('hex') }), as);
              epoch = train.epoch;
            },
          },
    settle(status) {
      if (status === 'interrupted') return epoch;
      // NOTE: only when one was written, and by unlink: rmSync loads Node's rimraf (≈1 ms of every start, test/start.test.ts).
      if (epoch !== undefined && existsSync(file)) unlinkSync(file);
      return undefined;
    },
    retire() {
      // a killed writer's staging folder: left by recovery until now (run.ts, recover.ts spare)
      if (point !== undefined && isRunsCheckpointFolder(folder.dir, dirname(point.file))) removeEntry(dirname(point.file));
    },
  };
}
