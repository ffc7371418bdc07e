// mlplab's public API: experiment-level functions and types (load, validate, train and run, predict,
// gradcheck, model files, errors). The CLI (cli.ts) is a thin layer on these. Engine internals (networks,
// workspaces, forward and backward) are in 'mlplab/engine', documented as unstable.
//
//   import { loadExperiment, runExperiment, loadModel, predict } from 'mlplab';
//   const result = await runExperiment(loadExperiment('experiments/xor-softmax.yaml'));   // writes results/xor-softmax/

export { loadExperiment, experimentFromObject, type LoadOptions, type LoadedExperiment } from './config/load.js';
export type { ExperimentConfig } from './config/types.js';
export { loadPlan, type Plan, type PlannedRun } from './config/plan.js';
export { runPlans, type ExecuteOptions, type Finished, type RunOutcome } from './runner/execute.js';
export type { RunTask } from './runner/layout.js';
export { checkExperiment, type CheckReport, type Drift } from './runner/check.js';
export { compare, type CompareOptions, type CompareResult, type Comparison } from './runner/compare.js';
export type { GroupSummary, Stat, VersusTop } from './report/table.js';
export { UserError, UserErrors, isUserError, EXIT, type Place, type ErrorCode, type ExitCode } from './errors.js';
export { prepare, type Prepared } from './runner/prepare.js';
export { runFiles } from './runner/snapshot.js';
export { trainExperiment, runExperiment, type TrainOptions, type RunOptions, type RunResult } from './runner/run.js';
export { VERSION } from './version.js';
export { gradcheckExperiment, type ExperimentGradcheck } from './runner/gradcheck.js';
export { predict, predictCsv, type Prediction } from './runner/predict.js';
export { exportModel, exportModelFile, EXPORT_FORMATS, EXPORT_DTYPES, type ExportOptions, type ExportFormat, type ExportDtype } from './runner/export.js';
export { evaluateCsv, runRows, EVALUATION_FORMAT, type Evaluation } from './runner/evaluate.js';
export { readModelFile as loadModel, MODEL_FORMAT, type ModelFile, type ModelLayer } from './files/modelfile.js';
export { RUN_FORMAT, type RunRecord, type Confusion } from './files/runfile.js';
export type { LayerCheck, ParamCheck } from './training/gradcheck.js';
export { ACTIVATION_NAMES, type ActivationName } from './model/activations.js';
export { LOSS_NAMES, type LossName, type Reduction } from './model/losses.js';
export { OPTIMIZER_NAMES, type OptimizerConfig } from './training/optimizers/index.js';
export { SCHEDULE_NAMES, type ScheduleConfig } from './training/schedules/index.js';
export { INIT_SCHEMES, type InitScheme } from './model/init.js';
