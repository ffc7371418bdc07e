// Times whole processes for bench.ts, from a small process of its own: `node bench/process-times.cjs FILE REPS`
// prints JSON [{ label, run: [ms...], node: [ms...] }] for `node bin/mlplab.js run FILE -q` and `node -e 0`, in the
// environment as it is and, when it sets NODE_EXTRA_CA_CERTS, without it too (Node then reads the certificates
// before any script runs: ≈40 ms here, docs/startup.md). The variants alternate run by run.
// NOTE: not from bench.ts itself: Node forks before it executes, and forking the benchmark's large process added
// ≈10 ms to every child here (a shell starting mlplab is small). Three runs of each first, not counted: after the
// workloads the first runs here took 120–147 ms against 110–118 once settled.
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const [file, repsText] = process.argv.slice(2);
const reps = Number(repsText);
const WARMUP = 3;

const bare = { ...process.env };
delete bare.NODE_EXTRA_CA_CERTS;
const variants = [{ label: 'as is', env: process.env }, ...(process.env.NODE_EXTRA_CA_CERTS ? [{ label: 'without NODE_EXTRA_CA_CERTS', env: bare }] : [])];
const out = mkdtempSync(join(tmpdir(), 'mlplab-bench-run-'));
const ms = (args, env) => {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: 'ignore', env });
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
try {
  const times = variants.map((v) => ({ label: v.label, run: [], node: [] }));
  for (let r = 0; r < WARMUP + reps; r++) {
    variants.forEach((v, i) => {
      const run = ms([join(ROOT, 'bin/mlplab.js'), 'run', join(ROOT, file), '-q', '--out', out], v.env);
      const node = ms(['-e', '0'], v.env);
      if (r >= WARMUP) times[i].run.push(run), times[i].node.push(node);
    });
  }
  process.stdout.write(JSON.stringify(times));
} finally {
  rmSync(out, { recursive: true, force: true });
}
