// Runs per second of a sweep whose runs are tiny (xor-softmax, 20 epochs, N seeds) through the CLI in this
// process: the time is then mostly the writing of each run's folder (staging, fsync, renames, summary), so
// it shows what durability costs. Usage: tsx bench/files-sweep.ts [RUNS] [REPEATS] [FOLDER]; FOLDER (default
// a temp folder) picks the file system measured. Prints the median of the repeats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';

const runs = Number(process.argv[2] ?? 50);
const repeats = Number(process.argv[3] ?? 5);
const base = process.argv[4] ?? tmpdir();
const seeds = Array.from({ length: runs }, (_, i) => i + 1).join(',');
const io = { out: () => {}, err: (t: string) => void process.stderr.write(t) };
const rates: number[] = [];
for (let r = 0; r < repeats; r++) {
  const out = mkdtempSync(join(base, 'mlplab-bench-files-'));
  const t0 = process.hrtime.bigint();
  const code = await main(['run', 'experiments/xor-softmax.yaml', '--set', 'training.epochs=20', '--sweep', `seed=${seeds}`, '--out', out, '--quiet'], io);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`exit ${code}`);
  rates.push(runs / seconds);
  rmSync(out, { recursive: true, force: true });
}
rates.sort((a, b) => a - b);
console.log(`${runs} runs x ${repeats}: median ${rates[repeats >> 1].toFixed(1)} runs/s (min ${rates[0].toFixed(1)}, max ${rates[repeats - 1].toFixed(1)}) in ${base}`);
