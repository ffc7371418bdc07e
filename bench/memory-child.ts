// The child process of bench/memory.ts: trains one workload (its data made here, as bench/workloads.ts makes it)
// with the default kernels, as bench/measure.ts times it, and prints the final loss (bench/maxrss.cjs, preloaded,
// prints the peak memory). Bundled by esbuild and run by plain Node: no TypeScript loader in the process measured.

import { defaultKernels } from '../src/kernels/index.js';
import { Evaluator } from '../src/model/evaluator.js';
import { Rng } from '../src/random.js';
import { train } from '../src/training/train.js';
import { initialNetwork } from './measure.js';
import { SEED, WORKLOADS } from './workloads.js';

const w = WORKLOADS.find((v) => v.name === process.argv[2]);
if (!w) throw new Error(`memory-child: no workload ${process.argv[2]}`);
const data = w.data();
const net = initialNetwork(w, data, defaultKernels());
train(net, data.x, data.y, { epochs: w.epochs, batchSize: w.batchSize, shuffle: true, loss: w.loss, reduction: 'mean', optimizer: w.optimizer, rng: Rng.stream(SEED, 'shuffle') });
const loss = new Evaluator(net).run(data.x, data.y, w.loss);
process.stdout.write(`${loss}\n`);
