// TF.js peers for `npm run bench`: tfjs-core (float32) on its cpu and wasm backends trains the workloads that
// bench/bench.ts exported to FOLDER, as bench/peers.py does, and prints one JSON line per (peer, workload).
// Usage: node bench/tfjs/peer.mjs FOLDER REPS [BUDGET_S] (fewer repetitions once BUDGET_S of training is spent).

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const [folder, repsArg, budgetArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 3);
const budget = Number(budgetArg ?? Infinity);
const meta = JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8'));
const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
console.log = console.info = (...a) => process.stderr.write(a.join(' ') + '\n'); // stdout carries JSON only

/** Warm-up: a quarter of the epochs (as bench/measure.ts), at most this many steps (xor has 10,000). */
const WARMUP_STEPS = 100;

let tf;
try {
  tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-cpu');
  require('@tensorflow/tfjs-backend-wasm');
  require('@tensorflow/tfjs-layers'); // registers every op's gradient (tfjs-core's Node build has none)
} catch (e) {
  emit({ peer: 'tfjs', skipped: `@tensorflow packages not loadable (npm ci --prefix bench/tfjs): ${e.message}` });
  process.exit(0);
}
const wasm = require('@tensorflow/tfjs-backend-wasm');
tf.enableProdMode();

function arr(name, Type = Float64Array) {
  const b = readFileSync(join(folder, name));
  return new Type(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function load(w) {
  return {
    x: Float32Array.from(arr(w.x)),
    y: Float32Array.from(arr(w.y)),
    params: w.layers.map((l) => ({ ...l, w: Float32Array.from(arr(l.w)), b: Float32Array.from(arr(l.b)) })),
    order: w.order ? arr(w.order, Int32Array) : null,
  };
}

/** Dense layers as tfjs-layers runs them: a fused matMul + bias (+ relu), other activations applied after it. */
function forward(vars, x) {
  let h = x;
  vars.forEach(({ W, b, activation }, k) => {
    const last = k === vars.length - 1;
    const fused = !last && activation === 'relu' ? 'relu' : 'linear';
    h = tf.fused.matMul({ a: h, b: W, bias: b, activation: fused });
    if (!last && activation === 'sigmoid') h = tf.sigmoid(h);
    if (!last && activation === 'tanh') h = tf.tanh(h);
  });
  return h; // logits (softmax is in the loss) or the linear output
}

const lossOf = (w, vars, xb, yb) =>
  w.loss === 'cross_entropy' ? tf.losses.softmaxCrossEntropy(yb, forward(vars, xb)) : tf.losses.meanSquaredError(yb, forward(vars, xb));

/** torch.optim.Adam / SGD(momentum, dampening 0) as TF.js defines them; epsilon set (TF.js defaults to 1e-7). */
function optimizer(o) {
  if (o.type === 'adam') return tf.train.adam(o.learning_rate, o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.epsilon ?? 1e-8);
  if (o.type === 'sgd' && !o.nesterov && !o.weight_decay) return o.momentum ? tf.train.momentum(o.learning_rate, o.momentum) : tf.train.sgd(o.learning_rate);
  throw new Error(`optimizer ${JSON.stringify(o)} not mapped to TF.js`);
}

/** Trains from the initial weights for `epochs` (at most `maxSteps` steps); returns seconds and the variables. */
function trainOnce(w, data, X, Y, epochs, maxSteps = Infinity) {
  const vars = data.params.map((p) => ({
    W: tf.variable(tf.tensor2d(p.w, [p.nIn, p.nOut])),
    b: tf.variable(tf.tensor1d(p.b)),
    activation: p.activation,
  }));
  const varList = vars.flatMap((v) => [v.W, v.b]);
  const opt = optimizer(w.optimizer);
  const { rows, batch } = w;
  // The batches' row indices, made before the clock starts as peers.py makes its index tensor.
  const batches = [];
  for (let e = 0; e < epochs && data.order; e++) {
    for (let s = 0; s < rows; s += batch) batches.push(tf.tensor1d(data.order.subarray(e * rows + s, e * rows + Math.min(s + batch, rows)), 'int32'));
  }
  const steps = Math.min(maxSteps, data.order ? batches.length : epochs);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const xb = data.order ? tf.gather(X, batches[i]) : X;
      const yb = data.order ? tf.gather(Y, batches[i]) : Y;
      opt.minimize(() => lossOf(w, vars, xb, yb), false, varList);
    });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  tf.dispose(batches);
  opt.dispose();
  return { seconds, vars };
}

function run(w, data) {
  const X = tf.tensor2d(data.x, [w.rows, w.inputs]);
  const Y = tf.tensor2d(data.y, [w.rows, w.outputs]);
  tf.dispose(trainOnce(w, data, X, Y, Math.ceil(w.epochs / 4), WARMUP_STEPS).vars.flatMap((v) => [v.W, v.b]));
  const seconds = [];
  let vars;
  for (let r = 0; r < reps; r++) {
    const spent = seconds.reduce((a, b) => a + b, 0);
    if (r > 0 && spent + seconds[seconds.length - 1] > budget) break; // the next repetition would pass the budget
    if (vars) tf.dispose(vars.flatMap((v) => [v.W, v.b]));
    const t = trainOnce(w, data, X, Y, w.epochs);
    seconds.push(t.seconds);
    vars = t.vars;
  }
  const [loss, accuracy] = tf.tidy(() => {
    const out = forward(vars, X);
    const l = (w.loss === 'cross_entropy' ? tf.losses.softmaxCrossEntropy(Y, out) : tf.losses.meanSquaredError(Y, out)).dataSync()[0];
    const acc = w.classify ? tf.mean(tf.cast(tf.equal(tf.argMax(out, 1), tf.argMax(Y, 1)), 'float32')).dataSync()[0] : null;
    return [l, acc];
  });
  tf.dispose([X, Y, ...vars.flatMap((v) => [v.W, v.b])]);
  return { seconds, loss, accuracy };
}

for (const [peer, backend] of [['tfjs-cpu', 'cpu'], ['tfjs-wasm', 'wasm']]) {
  try {
    if (backend === 'wasm') wasm.setThreadsCount(1); // before the backend starts; Node gets the non-threaded build anyway
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not initialize`);
    await tf.ready();
    if (backend === 'wasm' && wasm.getThreadsCount() !== 1) throw new Error(`${wasm.getThreadsCount()} threads, not 1`);
  } catch (e) {
    emit({ peer, skipped: `TF.js ${backend} backend: ${e.message ?? e}` });
    continue;
  }
  for (const w of meta.workloads) {
    try {
      emit({ peer, workload: w.name, ...run(w, load(w)) });
    } catch (e) {
      emit({ peer, workload: w.name, skipped: `${e.name}: ${e.message}` });
    }
  }
}
