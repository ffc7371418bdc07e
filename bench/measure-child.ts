// One mlplab measurement in a process of its own (bench.ts spawns it): WORKLOAD SET REPS [OPTIMIZER], where SET is
// scalar, wasm or `wasm 2 threads` and OPTIMIZER sgd or adam (default: the workload's own); prints the Measured as JSON. NOTE: in one process, training first with one kernel set and then
// with another makes V8's call sites polymorphic, which slowed the second set (digits: 0.158 s against 0.10 alone).

import { scalarKernels, type Kernels } from '../src/kernels/index.js';
import { createWasmKernels } from '../src/kernels/wasm.js';
import { measure } from './measure.js';
import { OPTIMIZER_TYPES, WORKLOADS, withOptimizer, type OptimizerType } from './workloads.js';

const [name, set, reps, optimizer] = process.argv.slice(2);
const base = WORKLOADS.find((v) => v.name === name);
if (!base) throw new Error(`no workload ${name}`);
if (optimizer !== undefined && !(OPTIMIZER_TYPES as readonly string[]).includes(optimizer)) throw new Error(`no optimizer ${optimizer}`);
const w = optimizer === undefined ? base : withOptimizer(base, optimizer as OptimizerType);
const kernels: Kernels = set === 'scalar' ? scalarKernels : createWasmKernels({ threads: set === 'wasm 2 threads' ? 2 : 1 });
process.stdout.write(JSON.stringify(measure(w, w.data(), kernels, Number(reps))) + '\n');
process.exit(0); // helper threads are unref'd; say so plainly
