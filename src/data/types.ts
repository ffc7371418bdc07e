// The shapes passed between the data modules and to the runner: what loadData needs (LoadContext)
// and what it returns (PreparedData). Types only; the code is in load.ts and its helpers.

import type { Place, Where } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { TargetKind } from '../metrics.js';
import type { LossName } from '../model/losses.js';
import type { ClassLabel } from './encode.js';
import type { Scaler } from './preprocess.js';

/** How the held-out rows were chosen: stratified by class, by label combination (multilabel), or not at all. */
export type Strata = 'class' | 'label_combination' | 'none';

export interface LoadContext {
  yamlFile?: string; // for messages (none for an experiment given as an object)
  baseDir: string; // folder of the YAML file; csv.path is relative to it
  seed: number; // experiment seed: streams 'split' and 'data' are drawn from it
  loss: LossName;
  outputUnits: number; // units of the last layer
  at: Where; // locates a YAML key, path from the file's root: ['data', 'csv', 'path']
  /** Where the last layer's units are written, for "N classes but M units" messages; default: the data source's key. */
  outputUnitsPlace?: Place;
}

export interface PreparedData {
  /** The one decision every consumer branches on (metrics, strata, confusion, predict, evaluate). */
  kind: TargetKind;
  train: { x: Matrix; y: Matrix };
  validation?: { x: Matrix; y: Matrix }; // absent when split.validation is 0
  test?: { x: Matrix; y: Matrix }; // absent when split.test is 0
  featureNames: string[]; // CSV column names; x1..xn for inline/generated
  targetNames: string[]; // one per column of y
  classes?: ClassLabel[]; // in encoding order, for classification; multilabel: the labels (target names)
  /** Binary and multilabel: an output above it is the second class (the label is on). */
  threshold?: number;
  /** A CSV label column the classes were read from (multiclass, binary); evaluate reads it again. */
  labelColumn?: string;
  /** How the test and validation rows were drawn (absent without a split). */
  strata?: Strata;
  scaler: Scaler;
  /** Regression targets' scaling (data.preprocess.targets), fitted on the training rows; y of every part is scaled. */
  targetScaler?: Scaler;
  /** Which rows of the source (0-based, in file or generation order) went to each part. */
  split: { train: Int32Array; test: Int32Array; validation: Int32Array };
  /** The files read for these data (absolute path → SHA-256 of the bytes read): run.json's inputs, from the one read. */
  read?: Record<string, string>;
}

/** One source's data before the split: all rows, targets already encoded. */
export interface Source {
  kind: TargetKind;
  x: Matrix; // rows × features
  y: Matrix; // rows × outputs
  featureNames: string[];
  targetNames: string[];
  classes?: ClassLabel[];
  threshold?: number;
  labelColumn?: string;
  /** Class index of each row (or label-combination index, multilabel), for a stratified split; none: unstratified. */
  strata?: Int32Array;
  /** The files read (absolute path → SHA-256 of the bytes read). */
  read?: Record<string, string>;
}
