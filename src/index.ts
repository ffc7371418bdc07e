// mlplab's library API: everything the CLI does, as typed functions. The CLI (cli.ts) is a thin layer on these.
//
//   import { loadExperiment, runExperiment, loadModel, predict } from 'mlplab';
//   const result = runExperiment(loadExperiment('experiments/xor-softmax.yaml'), { dryRun: true });

export { loadExperiment, experimentFromObject, type LoadOptions, type LoadedExperiment } from './config/load.js';
export type { ExperimentConfig } from './config/types.js';
export { UserError, UserErrors, isUserError, type Place, type ErrorCode } from './errors.js';
export { runExperiment, prepare, prepareData, buildNetwork, VERSION, type Prepared, type RunOptions, type RunResult } from './runner/run.js';
export { readModelFile as loadModel, toModelFile, networkFromModel, MODEL_FORMAT, type ModelFile, type ModelLayer } from './files/modelfile.js';
export { predict, predictCsv, type Prediction } from './runner/predict.js';
export { gradcheck, relativeError, type GradcheckOptions, type LayerCheck } from './training/gradcheck.js';
export { train, type TrainOptions } from './training/train.js';
export { OPTIMIZER_NAMES, type OptimizerConfig } from './training/optimizers.js';
export { ACTIVATION_NAMES, activations, type Activation, type ActivationName } from './model/activations.js';
export { LOSS_NAMES, losses, type Loss, type LossName, type Reduction } from './model/losses.js';
export { createNetwork, forward, backward, lossOf, createWorkspace, type Network, type Layer, type LayerSpec } from './model/network.js';
export { initialize, INIT_SCHEMES, type InitScheme, type InitSpec } from './model/init.js';
export { Evaluator } from './model/evaluate.js';
export { Rng } from './random.js';
export { fromRows, toRows, type Matrix } from './matrix.js';
export type { PreparedData } from './data/load.js';
