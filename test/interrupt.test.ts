// Ctrl-C (SIGTERM) during a parallel sweep (through main(), the signal to this process once two runs are under way): the
// runs under way stop at a batch boundary and are kept in RUN.interrupted/ with status interrupted, each named in one
// line as a serial run's is; the runs not started are not run; the finished runs' folders are whole and every folder
// is listed in summary.csv; the exit code is 130 (143), as serial. The same on the built bin (its worker is
// dist/runner/worker.js; needs the build, skipped saying so without it). NOTE: --jobs starts the dearest runs first
// (runner/order.ts), so the three short runs are run before, by a file sweeping only them into the same folders,
// and the sweep skips them as completed: three long runs left, two under way, one not started.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { main, type Io } from '../src/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * The long runs under way: their staging folders (.RUN.partial-PID-TIME/). NOTE: the pool's own thread trains
 * while the worker loads, so three runs reported does not mean both slots are busy yet.
 */
const underWay = (dir: string): number => {
  const root = join(dir, 'slow');
  return existsSync(root) ? readdirSync(root).filter((d) => d.startsWith('.epochs=100000000,') && d.includes('.partial-')).length : 0;
};

/** The sweep (slow.yaml: three short runs, then three that would run for hours) and short.yaml, its short runs alone. */
function sweepFiles(dir: string): string {
  const text = readFileSync(join(ROOT, 'experiments', 'xor-softmax.yaml'), 'utf8').replace(/^name: .*$/m, 'name: slow').replace('every: 100 ', 'every: 10000');
  writeFileSync(join(dir, 'short.yaml'), text + 'sweep:\n  training.epochs: [20]\n  seed: [1, 2, 3]\n');
  writeFileSync(join(dir, 'slow.yaml'), text + 'sweep:\n  training.epochs: [20, 100000000]\n  seed: [1, 2, 3]\n');
  return join(dir, 'slow.yaml');
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  it(`${signal} stops every worker of --jobs 2 at a batch boundary: runs under way kept as interrupted, the rest not run, exit ${code}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-interrupt-'));
    temps.push(dir);
    const file = sweepFiles(dir);
    expect(await main(['run', join(dir, 'short.yaml'), '--out', dir, '--quiet'], { out: () => {}, err: () => {} })).toBe(0);
    let stdout = '';
    let stderr = '';
    const listeners = process.listenerCount(signal);
    const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t) };
    let ended = false;
    const running = main(['run', file, '--out', dir, '--jobs', '2'], io).finally(() => (ended = true));
    for (let t = 0; t < 1500 && underWay(dir) !== 2 && !ended; t++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    // NOTE: only while the run's handler is installed: without it, SIGINT would end the test process.
    if (ended) expect.fail(`the run ended before the interrupt: ${await running}\n${stdout}${stderr}`);
    process.kill(process.pid, signal);
    expect(await running, stderr).toBe(code);
    expect(process.listenerCount(signal)).toBe(listeners);
    const root = join(dir, 'slow');
    const entries = readdirSync(root).sort();
    expect(entries.filter((d) => d.startsWith('.'))).toEqual([]); // no staging folder or lock left
    expect(entries).toEqual(['epochs=100000000,seed=1.interrupted', 'epochs=100000000,seed=2.interrupted', 'epochs=20,seed=1', 'epochs=20,seed=2', 'epochs=20,seed=3', 'summary.csv']);
    expect(stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^skipped 3 run\(s\) completed already .*; 3 to run$/)]);
    const lines = stderr.trimEnd().split('\n').sort();
    expect(lines).toHaveLength(2);
    lines.forEach((line, k) => {
      const run = `epochs=100000000,seed=${k + 1}`;
      expect(line).toMatch(new RegExp(`^mlplab: ${signal}: interrupted slow/${run} in epoch \\d+ of 100000000; kept its loss log to epoch \\d+ and run\\.json in .*/${run}\\.interrupted/ \\(no model\\.json\\); 1 more run\\(s\\) not run$`));
      expect(readdirSync(join(root, `${run}.interrupted`)).sort(), run).toEqual(['config.json', 'loss.csv', 'run.json']); // a sweep's run: no chart (log.charts)
      expect(JSON.parse(readFileSync(join(root, `${run}.interrupted`, 'run.json'), 'utf8'))).toMatchObject({ status: 'interrupted', signal });
    });
    for (const run of ['epochs=20,seed=1', 'epochs=20,seed=2', 'epochs=20,seed=3']) {
      expect(readdirSync(join(root, run)).sort(), run).toEqual(['config.json', 'loss.csv', 'model.json', 'run.json']);
    }
    expect(readFileSync(join(root, 'summary.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(6);
  }, 60_000);
}

it('the built bin: SIGINT to --jobs 2 keeps the runs under way as interrupted and exits 130', async (ctx) => {
  ctx.skip(!existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (`npm test` builds before vitest)');
  const dir = mkdtempSync(join(tmpdir(), 'mlplab-interrupt-'));
  temps.push(dir);
  const file = sweepFiles(dir);
  expect(await main(['run', join(dir, 'short.yaml'), '--out', dir, '--quiet'], { out: () => {}, err: () => {} })).toBe(0);
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mlplab.js'), 'run', file, '--out', dir, '--jobs', '2'], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const wait = setInterval(() => {
    if (underWay(dir) === 2 && !sent) (sent = true), clearInterval(wait), setTimeout(() => child.kill('SIGINT'), 300);
  }, 20);
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  clearInterval(wait);
  expect(code, stderr).toBe(130);
  expect(stderr).toMatch(/^(mlplab: SIGINT: interrupted slow\/epochs=100000000,seed=[12] in epoch \d+ of 100000000; kept its loss log to epoch \d+ and run\.json in [^\n]*\.interrupted\/ \(no model\.json\); 1 more run\(s\) not run\n){2}$/);
  expect(readdirSync(join(dir, 'slow')).sort()).toEqual(['epochs=100000000,seed=1.interrupted', 'epochs=100000000,seed=2.interrupted', 'epochs=20,seed=1', 'epochs=20,seed=2', 'epochs=20,seed=3', 'summary.csv']);
}, 60_000);
