// `mlplab compare` on a 500-run sweep: 50 groups (units × learning rate) × 10 seeds, each run folder as
// `mlplab run` writes one (config.json, run.json with sweep values, a 201-row loss log of 5 columns, every
// fifth run stopped early), generated in a temp folder. Times the whole command through bin/mlplab.js as a
// user runs it (reading, statistics, 5 charts rendered by Vega, compare.html), medians of REPS runs.
// Run with `npm run build && npx tsx bench/compare.ts` (the target: under 2 s). Prints wall and CPU
// (user + system) seconds: on a machine shared with other work the wall time is inflated, the CPU time is not.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPS = 5;
const UNITS = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const RATES = [0.001, 0.003, 0.01, 0.03, 0.1];
const SEEDS = 10;
const EPOCHS = 1000;
const EVERY = 5;

/** A deterministic pseudo-random number in [0, 1). */
let state = 7;
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648), state / 2147483648);

function writeSweep(root: string): number {
  let runs = 0;
  for (const units of UNITS) {
    for (const lr of RATES) {
      for (let seed = 0; seed < SEEDS; seed++) {
        const dir = join(root, `units=${units},lr=${lr},seed=${seed}`);
        mkdirSync(dir, { recursive: true });
        const config = { name: 'bench', seed, data: { csv: { path: '/data/x.csv', target: 'y' } }, model: { layers: [{ units, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, training: { epochs: EPOCHS, optimizer: { type: 'adam', learning_rate: lr } } };
        const stop = runs % 5 === 0 ? 500 + Math.floor(rand() * 400) : EPOCHS;
        const rows = ['epoch,step,train_loss,train_accuracy,test_loss,test_accuracy'];
        for (let e = 0; e <= stop; e += EVERY) rows.push([e, e * 4, 1 / (1 + e * lr) + rand() * 0.01, 1 - 0.5 / (1 + e * lr), 1.2 / (1 + e * lr) + rand() * 0.02, 0.9 - 0.4 / (1 + e * lr) + rand() * 0.02].join(','));
        const last = rows[rows.length - 1].split(',').map(Number);
        const final = { train_loss: last[2], train_accuracy: last[3], test_loss: last[4], test_accuracy: last[5] };
        const stopping = stop < EPOCHS ? { reason: 'early_stopping', epoch: stop, monitor: 'test_loss', best_epoch: stop - 20, best_value: last[4], restored_best: true } : { reason: 'epochs', epoch: EPOCHS, monitor: 'test_loss', best_epoch: EPOCHS, best_value: last[4], restored_best: false };
        writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
        writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'bench', seed, status: 'completed', final, stopping, sweep: { index: runs, values: { 'model.layers[0].units': units, 'training.optimizer.learning_rate': lr, seed } } }, null, 2) + '\n');
        writeFileSync(join(dir, 'loss.csv'), rows.join('\n') + '\n');
        runs++;
      }
    }
  }
  return runs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU seconds of this process's children that have ended (getrusage(RUSAGE_CHILDREN), via /proc/self/stat). */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks (100 a second)
}


const work = mkdtempSync(join(os.tmpdir(), 'mlplab-bench-compare-'));
try {
  const runs = writeSweep(join(work, 'sweep'));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const c0 = childCpuSeconds();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'mlplab.js'), 'compare', join(work, 'sweep'), '--out', join(work, 'cmp'), '-q'], { encoding: 'utf8' });
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 0) throw new Error(`compare failed (${r.status}): ${r.stderr}`);
    cpu.push(childCpuSeconds() - c0);
  }
  const list = (xs: number[]) => xs.map((s) => s.toFixed(2)).join(', ');
  console.log(`mlplab compare: ${runs} runs in ${UNITS.length * RATES.length} groups, ${EPOCHS / EVERY + 1} log rows each (node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
  console.log(`  wall: median ${median(wall).toFixed(2)} s (${list(wall)}); CPU (user + system): median ${median(cpu).toFixed(2)} s (${list(cpu)})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
