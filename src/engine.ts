// mlplab/engine: the numeric internals, for experiments with the engine itself. UNSTABLE: how parameters
// are stored, and these signatures, may change in any release (the speed work will change them); depend on
// 'mlplab' (index.ts) for anything that must keep working. Nothing of the runner's is here: an experiment's data and
// initial network come from index.ts's prepare().

export { createNetwork, cloneNetwork, forward, backward, lossOf, createWorkspace, outputWidth, type Network, type Layer, type LayerSpec, type Workspace } from './model/network.js';
export { defaultKernels, kernelsNamed, scalarKernels, setKernelThreads, wasmKernels, KERNEL_NAMES, type Kernels, type KernelName } from './kernels/index.js';
export { activations, type Activation } from './model/activations.js';
export { losses, type Loss } from './model/losses.js';
export { initialize, type InitSpec } from './model/init.js';
export { Evaluator } from './model/evaluator.js';
export { train, type TrainLoopOptions } from './training/train.js';
export { createOptimizer, type Optimizer, type Param } from './training/optimizers/index.js';
export { createSchedule, type Schedule } from './training/schedules/index.js';
export { clipGradNorm } from './training/clip.js';
export { EarlyStopping } from './training/early-stopping.js';
export { gradcheck, relativeError, type GradcheckOptions } from './training/gradcheck.js';
export { toModelFile, networkFromModel } from './files/modelfile.js';
export type { PreparedData } from './data/load.js';
export { Rng } from './random.js';
export { fromRows, toRows, zeros, type Matrix } from './matrix.js';
