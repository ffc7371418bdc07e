// One mlplab measurement in a process of its own (bench.ts spawns it): WORKLOAD SET REPS, where SET is scalar, wasm
// or `wasm 2 threads`; prints the Measured as JSON. NOTE: in one process, training first with one kernel set and then
// with another makes V8's call sites polymorphic, which slowed the second set (digits: 0.158 s against 0.10 alone).

import { scalarKernels, type Kernels } from '../src/kernels/index.js';
import { createWasmKernels } from '../src/kernels/wasm.js';
import { measure } from './measure.js';
import { WORKLOADS } from './workloads.js';

const [name, set, reps] = process.argv.slice(2);
const w = WORKLOADS.find((v) => v.name === name);
if (!w) throw new Error(`no workload ${name}`);
const kernels: Kernels = set === 'scalar' ? scalarKernels : createWasmKernels({ threads: set === 'wasm 2 threads' ? 2 : 1 });
process.stdout.write(JSON.stringify(measure(w, w.data(), kernels, Number(reps))) + '\n');
process.exit(0); // helper threads are unref'd; say so plainly
