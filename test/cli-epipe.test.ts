// A reader that goes away (`mlplab predict MODEL DATA | head -1`) closes mlplab's stdout: the next write fails
// with EPIPE (Node ignores SIGPIPE). That is the reader's choice, not a bug of mlplab: no stack trace, no
// "Unhandled 'error' event", and the exit code is the command's own. Spawns the real launcher bin/mlplab.js
// (built by `npm test`; skipped, saying so, without dist/).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'mlplab.js');
const MODEL = join(ROOT, 'test', 'fixtures', 'evaluate', 'moons.model.json'); // features x1, x2
const built = existsSync(join(ROOT, 'dist', 'cli.js'));
const dir = mkdtempSync(join(tmpdir(), 'mlplab-epipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs argv, closes its stdout after the first chunk (as `| head -1` does); its exit code and stderr. */
function closedEarly(argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(!built)('stdout closed by its reader (EPIPE)', () => {
  it('predict into a pipe closed after the first chunk: exit 0, nothing on stderr', async () => {
    const data = join(dir, 'rows.csv');
    writeFileSync(data, 'x1,x2\n' + Array.from({ length: 200_000 }, (_, i) => `${(i % 97) / 50},${(i % 89) / 40}`).join('\n') + '\n');
    const r = await closedEarly(['predict', MODEL, data]);
    expect(r.stderr).not.toMatch(/Unhandled 'error' event|EPIPE|\n\s+at /);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

if (!built) console.warn('cli-epipe.test.ts: skipped, no dist/ (run npm run build)');
