// `npm run bench`: the five workloads of issue 11 (bench/workloads.ts), each with plain SGD and with Adam,
// trained with the scalar and the wasm kernels (1 and 2 threads) side by side, and by PyTorch and scikit-learn
// (bench/peers.py) where python3 imports them, on 1 and on 2 threads, and by TF.js on its cpu and wasm backends
// (bench/tfjs, installed there on first use; 1 thread), same data, initial weights, batches and epochs. Equal
// cores: each row's ratio is to mlplab's wasm kernels on the same number of threads. Prints median training time,
// samples/s, GFLOP/s (6 × parameters × samples/s), final loss and accuracy, and ratios from this one run. Also times the whole `mlplab run` process and measures mnist-shape's
// peak memory (bench/memory.ts). Options: --reps N (default 3); --no-tfjs; other words filter workloads by name.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmKernels } from '../src/kernels/index.js';
import { exportWorkload, type Measured } from './measure.js';
import { parsePeerOutput, type PeerResult } from './peer-results.js';
import { peakMemory } from './memory.js';
import { OPTIMIZER_TYPES, WORKLOADS, withOptimizer, type OptimizerType, type Workload } from './workloads.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The first python3 that imports torch or sklearn: MLPLAB_PYTHON, python3 on PATH, then Debian's /usr/bin/python3. */
function findPython(): string | null {
  const candidates = [process.env.MLPLAB_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    for (const mod of ['torch', 'sklearn']) if (spawnSync(py, ['-c', `import ${mod}`], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

type Peers = { results: PeerResult[]; notes: string[] };
const lastLine = (text: string | null) => (text ?? '').trim().split('\n').pop();

/**
 * The python peers on `threads` threads: PyTorch's intra-op threads and numpy's BLAS (OpenBLAS, MKL, OpenMP) set
 * alike; above one, OMP_WAIT_POLICY=passive, else PyTorch's OpenMP threads spin between products and take the
 * cores OpenBLAS's threads need (PyTorch then ran slower on 2 threads than on 1).
 */
function runPython(py: string, dir: string, reps: number, names: string, threads: number): Peers {
  process.stdout.write(`peers: ${py} bench/peers.py ${names} on ${threads} thread(s) ...\n`);
  const n = String(threads);
  const env = { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, ...(threads > 1 ? { OMP_WAIT_POLICY: 'passive' } : {}) };
  const run = spawnSync(py, [join(ROOT, 'bench/peers.py'), dir, String(reps), n], { encoding: 'utf8', maxBuffer: 1 << 24, env });
  if (run.status !== 0) return { results: [], notes: [`peers failed (${py}, exit ${run.status}): ${lastLine(run.stderr)}`] };
  return parsePeerOutput(run.stdout ?? '', reps);
}

const TFJS = join(ROOT, 'bench/tfjs');
/** Seconds of training after which a TF.js peer starts no further repetition of a workload (cpu needs ~18 s for one of mnist-shape). */
const TFJS_BUDGET_S = 20;

/** The installed version of each package bench/tfjs/package.json pins, or null when one is missing or another version. */
function tfjsVersions(): Record<string, string> | null {
  const pkg = JSON.parse(readFileSync(join(TFJS, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const versions: Record<string, string> = {};
  for (const [name, pinned] of Object.entries(pkg.dependencies)) {
    try {
      versions[name] = (JSON.parse(readFileSync(join(TFJS, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return null;
    }
    if (versions[name] !== pinned) return null;
  }
  return versions;
}

/** Installs bench/tfjs's own node_modules when they are missing or stale; returns a skip note when that fails. */
function installTfjs(): string | null {
  if (tfjsVersions()) return null;
  process.stdout.write('tfjs: npm ci --prefix bench/tfjs (its own node_modules, for the benchmark only) ...\n');
  const run = spawnSync('npm', ['ci', '--prefix', TFJS, '--no-audit', '--no-fund', '--fetch-retries=1'], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status === 0 && tfjsVersions()) return null;
  const errors = (run.stderr ?? '').split('\n').filter((l) => /^npm (error|ERR!)/.test(l)).slice(0, 2).join('; ');
  const why = run.error ? run.error.message : `exit ${run.status}${errors ? `: ${errors}` : ''}`;
  return `TF.js peers skipped: \`npm ci --prefix bench/tfjs\` failed (${why}); offline? install it by hand later, or pass --no-tfjs`;
}

function runTfjs(dir: string, reps: number, names: string): Peers {
  process.stdout.write(`tfjs: node bench/tfjs/peer.mjs ${names} (cpu, wasm) ...\n`);
  const run = spawnSync(process.execPath, [join(TFJS, 'peer.mjs'), dir, String(reps), String(TFJS_BUDGET_S)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) return { results: [], notes: [`TF.js peers failed (exit ${run.status}): ${lastLine(run.stderr)}`] };
  return parsePeerOutput(run.stdout ?? '', reps, `TF.js runs no repetition that would take its training past ${TFJS_BUDGET_S} s`);
}

/** The peers on the workloads' exported data on `threads` threads: python's (when py is set), then TF.js's (when tfjs). */
function runPeers(workloads: Workload[], reps: number, py: string | null, tfjs: boolean, threads: number): Peers {
  if (!py && !tfjs) return { results: [], notes: [] };
  const dir = mkdtempSync(join(os.tmpdir(), 'mlplab-bench-'));
  try {
    const meta = { workloads: workloads.map((w) => exportWorkload(dir, w, w.data())) };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    const names = workloads.map((w) => w.name).join(' ');
    const all = [py ? runPython(py, dir, reps, names, threads) : null, tfjs ? runTfjs(dir, reps, names) : null].filter((p): p is Peers => !!p);
    return { results: all.flatMap((p) => p.results), notes: all.flatMap((p) => p.notes) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds of whole `node bin/mlplab.js run FILE -q` processes and of `node -e 0` (needs dist/: npm run build),
 *  timed by bench/process-times.cjs in a small process of its own. */
function processTimes(file: string, reps: number): { label: string; run: number[]; node: number[] }[] {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench/process-times.cjs'), file, String(reps)], { encoding: 'utf8' }));
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ') + ' |';
  return [line(rows[0]), '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|', ...rows.slice(1).map(line)].join('\n');
}

const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
const spread = (s: number[]) => `${fmt(Math.min(...s) * 1000)}–${fmt(Math.max(...s) * 1000)}`;

/** The thread counts compared: 1, and 2 where there are two cores. */
const THREADS = availableParallelism() >= 2 ? [1, 2] : [1];

/** Kernel sets to time, with their threads: scalar, wasm on 1 thread, and wasm on 2 threads (the default on this
 *  2-core machine: it splits products, tanh layers and adam updates above a threshold, so it may equal one thread
 *  on small work). */
function kernelSets(): [set: string, threads: number][] {
  if (!wasmKernels()) return [['scalar', 1]];
  return [['scalar', 1], ['wasm', 1], ...(THREADS.includes(2) ? [['wasm 2 threads', 2] as [string, number]] : [])];
}

/** Measures w with one kernel set and optimizer in a child process of its own (bench/measure-child.ts). */
function measureApart(w: Workload, set: string, reps: number, optimizer: OptimizerType): Measured {
  const args = ['--import', 'tsx', join(ROOT, 'bench/measure-child.ts'), w.name, set, String(reps), optimizer];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`measuring ${w.name} (${set}) failed: ${lastLine(run.stderr)}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measured;
}

/**
 * One workload with one optimizer: mlplab's kernel sets, then the peers on each thread count; each row's ratio
 * is its time over mlplab's wasm kernels on as many threads (the scalar kernels' and TF.js's: on 1).
 */
function benchWorkload(w: Workload, type: OptimizerType, reps: number, py: string | null, tfjs: boolean): { rows: string[][]; notes: string[] } {
  const data = w.data();
  const samples = data.x.rows * w.epochs;
  const params = w.layers.reduce((s, l, k) => s + (k === 0 ? data.x.cols : w.layers[k - 1].units) * l.units + l.units, 0);
  const ours = kernelSets().map(([set, threads]): [string, number, Measured] => {
    process.stdout.write(`${w.name} ${type} (${set}) ...`);
    const m = measureApart(w, set, reps, type);
    process.stdout.write(` ${fmt(samples / median(m.seconds))} samples/s\n`);
    return [`mlplab ${set}`, threads, m];
  });
  const notes: string[] = [];
  const peers = THREADS.map((threads) => {
    const p = runPeers([w], reps, py, tfjs && threads === 1, threads);
    notes.push(...p.notes);
    return [threads, p.results] as const;
  });
  const wasmAt = (threads: number) => ours.find(([n, t]) => n !== 'mlplab scalar' && t === threads)?.[2] ?? ours[0][2];
  const entries: [string, number, Pick<PeerResult, 'seconds' | 'loss' | 'accuracy'>][] = [...ours, ...peers.flatMap(([t, rs]) => rs.map((p): [string, number, PeerResult] => [p.peer, t, p]))];
  const rows = entries.map(([who, threads, m]) => {
    const s = median(m.seconds!);
    return [w.name, type, String(threads), who, s.toFixed(3), spread(m.seconds!), fmt(samples / s), ((6 * params * samples) / s / 1e9).toFixed(2),
      m.loss!.toPrecision(5), m.accuracy == null ? '' : m.accuracy.toFixed(4), (s / median(wasmAt(threads).seconds)).toFixed(2) + '×'];
  });
  const hashes = new Set(ours.map(([, , m]) => m.hash));
  notes.push(`${w.name} ${type}: ${ours.map(([n]) => n.replace('mlplab ', '')).join(', ')} trained weights ${hashes.size === 1 ? 'bit-identical' : 'DIFFER'} (sha256 ${[...hashes].map((h) => h.slice(0, 12)).join(', ')})`);
  for (const [threads, results] of peers) {
    const best = results.reduce<PeerResult | null>((b, p) => (!b || median(p.seconds!) < median(b.seconds!) ? p : b), null);
    if (best) notes.push(`${w.name} ${type}, ${threads} thread(s): fastest peer ${best.peer}; mlplab's wasm kernels are ${(median(best.seconds!) / median(wasmAt(threads).seconds)).toFixed(2)}× its speed`);
  }
  return { rows, notes };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--reps');
  const reps = ri >= 0 ? Number(args.splice(ri, 2)[1]) : 3;
  const ti = args.indexOf('--no-tfjs');
  const tfjsWanted = ti < 0;
  if (ti >= 0) args.splice(ti, 1);
  const workloads = args.length ? WORKLOADS.filter((w) => args.some((f) => w.name.includes(f))) : WORKLOADS;
  const cpus = os.cpus();
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`cpu:  ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`node: ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.release()} ${os.arch()}`);
  const notes: string[] = [];
  const py = findPython();
  if (!py) notes.push('python peers skipped: no python3 (MLPLAB_PYTHON, python3, /usr/bin/python3) imports torch or sklearn');
  const tfjsSkip = tfjsWanted ? installTfjs() : 'TF.js peers skipped (--no-tfjs)';
  if (tfjsSkip) notes.push(tfjsSkip);
  else console.log(`tfjs: ${Object.entries(tfjsVersions() ?? {}).map(([n, v]) => `${n} ${v}`).join(', ')}; backends cpu and wasm (1 thread)`);
  console.log(`method: train() only (data made beforehand), float64 (TF.js float32); median of ${reps} repetitions after a warm-up; per workload and optimizer mlplab then its peers on ${THREADS.join(' and ')} thread(s); ratios at equal threads\n`);
  const rows: string[][] = [['workload', 'optimizer', 'threads', 'who', 'median s', 'min–max ms', 'samples/s', 'GFLOP/s', 'final loss', 'accuracy', 'time ÷ mlplab']];
  for (const base of workloads) {
    for (const type of OPTIMIZER_TYPES) {
      const bench = benchWorkload(withOptimizer(base, type), type, reps, py, !tfjsSkip);
      rows.push(...bench.rows);
      notes.push(...bench.notes);
    }
  }
  console.log('\n' + table(rows) + '\n');
  for (const n of notes) console.log(`- ${n}`);
  if (workloads.some((w) => w.name === 'xor')) {
    for (const t of processTimes('experiments/xor-softmax.yaml', 4 * reps + 1)) {
      const line = (v: number[]) => `median ${median(v).toFixed(0)} ms (min ${Math.min(...v).toFixed(0)}, max ${Math.max(...v).toFixed(0)})`;
      console.log(`- whole process \`mlplab run experiments/xor-softmax.yaml -q\`, environment ${t.label}: ${line(t.run)}; target < 120 ms; \`node -e 0\`: ${line(t.node)}`);
    }
  }
  const mnist = workloads.find((w) => w.name === 'mnist-shape');
  if (mnist) {
    const m = await peakMemory(mnist);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `- peak memory of mnist-shape (target < 150 MB): trained by train() in a child process ${mib(m.train)}; by \`mlplab run\` ` +
        `of it as an experiment file (a ${(m.csvBytes / 1e6).toFixed(0)} MB CSV) ${mib(m.run)}; final loss ${m.losses[0] === m.losses[1] ? 'the same both ways' : `DIFFERS (${m.losses.join(' vs ')})`}`,
    );
  }
}

await main();
