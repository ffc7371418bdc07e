// What a run starts from: the experiment's data (read, encoded, split, scaled) and its network before
// training, from the seed's 'init' stream or from an `init.from` model file (checked here, once: the file,
// its layers and its input width). Every problem a file can have shows up here, before anything trains.

import { resolve } from 'node:path';
import { formatPath, isUserError, UserError, type KeyPath } from '../errors.js';
import type { LoadedExperiment } from '../config/load.js';
import { networkFromModel, readModelFile, type ModelFile } from '../files/modelfile.js';
import { readSafetensorsModel } from '../files/safetensors.js';
import { kindOf } from '../files/safefs.js';
import { loadData, type LoadContext, type PreparedData } from '../data/load.js';
import type { DataSpec } from '../data/schema.js';
import type { DataCache } from './datacache.js';
import { checkExperimentArgument } from './arguments.js';
import { initialize } from '../model/init.js';
import { DEFAULT_SLOPE } from '../model/activations.js';
import { createNetwork, type Network } from '../model/network.js';
import { Rng } from '../random.js';
import { scheduleMonitor } from '../training/schedules/index.js';
import { metricColumns } from './watch.js';
import { checkMemory, memoryShapeOf, type MemoryLimits } from './memory.js';

/** What a run starts from: the prepared data and the network before training. */
export interface Prepared {
  data: PreparedData;
  network: Network;
  /** Every file read to prepare the run (absolute path → SHA-256 of the bytes read): run.json's inputs. */
  read?: Record<string, string>;
}

/**
 * The files a run read (absolute path → SHA-256 of the bytes read): the data's and the network's (`init.from`).
 * NOTE: both, since a Prepared made by a library caller may carry the data's digests only in `data.read`.
 */
export const filesRead = (prepared: Prepared): Record<string, string> => ({ ...prepared.data.read, ...prepared.read });

/** What the experiment's data are made from: its data spec, and what loading them needs to know (LoadContext). */
export function dataRequest(exp: LoadedExperiment): { spec: DataSpec; ctx: LoadContext } {
  const { config, source, baseDir } = exp;
  const layers = config.model.layers;
  const unitsPath = ['model', 'layers', layers.length - 1, 'units'];
  const ctx: LoadContext = {
    yamlFile: source.file,
    baseDir,
    seed: config.seed,
    loss: config.loss,
    outputUnits: layers[layers.length - 1].units,
    at: (path) => ({ ...source.at(path), path: formatPath(path) }),
    outputUnitsPlace: { ...source.at(unitsPath), path: formatPath(unitsPath) },
  };
  return { spec: config.data, ctx };
}

/** Loads the experiment's data, prepared as its config says; from `cache` when given (made there once). */
export function prepareData(exp: LoadedExperiment, cache?: DataCache): PreparedData {
  const { spec, ctx } = dataRequest(exp);
  return cache ? cache.data(spec, ctx) : loadData(spec, ctx);
}

/**
 * Makes in `cache` the data of each experiment (a generated set checked against the memory first, as prepare
 * does), to be shared with --jobs workers; an experiment whose data fail is left to meet its error as it runs.
 */
export function prepareShared(exps: readonly LoadedExperiment[], cache: DataCache): void {
  for (const exp of exps) {
    try {
      checkGeneratedMemory(exp);
      const { spec, ctx } = dataRequest(exp);
      cache.prepare(spec, ctx);
    } catch (e) {
      if (!isUserError(e)) throw e;
    }
  }
}

/**
 * A generated set checked against the machine's memory before it is drawn. NOTE: with the least the run could need
 * (one feature and one training row; no check of the kernels' memory), so that it refuses nothing the check made
 * once the data are there would accept: with one feature and all rows training, it named a batch_size that check
 * refused and refused a full batch that the split's training rows fit.
 */
function checkGeneratedMemory(exp: LoadedExperiment, limits: MemoryLimits = {}): void {
  const generate = exp.config.data.generate;
  if (generate) checkMemory(exp, generate.samples ?? 0, 1, { ...limits, trainRows: 1, heapBudget: Infinity });
}

/** Does `cache` hold the experiment's data already (made for another run)? */
export function holdsData(cache: DataCache, exp: LoadedExperiment): boolean {
  const { spec, ctx } = dataRequest(exp);
  return cache.holds(spec, ctx);
}

/** Keeps in `cache` data prepared without it (a single run's, split in place), for the other runs that use them. */
export function keepData(cache: DataCache, exp: LoadedExperiment, data: PreparedData): void {
  const { spec, ctx } = dataRequest(exp);
  cache.put(spec, ctx, data);
}

/** The experiment's network before training: from the seed's 'init' stream or from init.from. */
export function buildNetwork(exp: LoadedExperiment, inputs: number, read: Record<string, string> = {}): Network {
  const { config } = exp;
  const { from, ...spec } = config.model.init;
  if (from !== undefined) {
    const net = networkFromModel(initModel(exp, from, inputs, read));
    config.model.layers.forEach((l, k) => (net.layers[k].dropout = l.dropout ?? 0)); // training options are the experiment's
    return net;
  }
  const net = createNetwork(inputs, config.model.layers);
  initialize(net, { ...spec, scheme: spec.scheme ?? 'xavier_uniform' }, Rng.stream(config.seed, 'init'));
  return net;
}

/** Reads init.from and checks it fits: a readable model file, the same layers, the data's input width. */
function initModel(exp: LoadedExperiment, from: string, inputs: number, read: Record<string, string>): ModelFile {
  const path: KeyPath = ['model', 'init', 'from'];
  const fail = (message: string) => new UserError('check', message, { ...exp.source.at(path), path: formatPath(path) });
  let model: ModelFile;
  try {
    const file = resolve(exp.baseDir, from);
    // A .safetensors file: mlplab's export, or PyTorch's state_dict (its activations are then model.layers').
    const onRead = (sha256: string) => void (read[file] = sha256);
    model = /\.safetensors$/i.test(from) ? readSafetensorsModel(file, { layers: exp.config.model.layers, loss: exp.config.loss }, onRead) : readModelFile(file, onRead);
  } catch (e) {
    if (!isUserError(e)) throw e;
    if (e instanceof UserError && e.code === 'io' && kindOf(resolve(exp.baseDir, from)) === 'missing') throw fail(`model file not found: "${from}" (paths are relative to the experiment file's folder)`);
    throw fail(`${from}: ${e.message}`);
  }
  const layers = exp.config.model.layers;
  // leaky_relu's slope too: the network takes the file's, which would otherwise train in place of the experiment's.
  const shape = (l: (typeof layers)[number] | ModelFile['layers'][number]) => `${l.units} ${l.activation}${l.activation === 'leaky_relu' ? ` (slope ${l.slope ?? DEFAULT_SLOPE})` : ''}`;
  const want = layers.map(shape).join(', ');
  const found = model.layers.map(shape).join(', ');
  if (want !== found) throw fail(`the layers of ${from} do not match model.layers: expected [${want}], found [${found}]`);
  if (model.inputs !== inputs) throw fail(`${from} takes ${model.inputs} inputs, but the data have ${inputs} features`);
  return model;
}

/**
 * Loads the data (from `cache`, when given: made once for the invocation) and builds the initial network; the run
 * checked alone against the memory (`limits`: memory.ts checkMemory's; the runs at once are prepare-plans.ts checkJobsMemory's).
 */
export function prepare(exp: LoadedExperiment, limits: MemoryLimits = {}, cache?: DataCache): Prepared {
  checkExperimentArgument('prepare', exp);
  checkGeneratedMemory(exp, limits);
  const data = prepareData(exp, cache);
  checkMonitors(exp, data);
  const { rows, inputs, trainRows } = memoryShapeOf(data);
  checkMemory(exp, rows, inputs, { ...limits, trainRows });
  const read = { ...data.read };
  return { data, network: buildNetwork(exp, data.train.x.cols, read), read };
}

/** A monitored metric (early stopping, a plateau schedule) must be a column of this run's loss log. */
function checkMonitors(exp: LoadedExperiment, data: PreparedData): void {
  const { schedule, early_stopping: es } = exp.config.training;
  const columns = metricColumns(data);
  const watched: [KeyPath, string | undefined][] = [
    [['training', 'schedule', 'monitor'], scheduleMonitor(schedule)],
    [['training', 'early_stopping', 'monitor'], es?.monitor],
  ];
  for (const [path, monitor] of watched) {
    if (monitor === undefined || columns.includes(monitor)) continue;
    const hint = monitor.startsWith('validation_') && !data.validation ? ' (validation_* needs data.split.validation > 0)' : '';
    throw new UserError('check', `monitor ${monitor} is not a metric of this run; its loss log has: ${columns.join(', ')}${hint}`, { ...exp.source.at(path), path: formatPath(path) });
  }
}
