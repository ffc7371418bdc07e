// Helpers for tests that spawn the real bin (bin/mlplab.js runs dist/, built by `npm test` before vitest).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'mlplab.js');
export const XOR = join(ROOT, 'experiments', 'xor-softmax.yaml');

const temps: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlplab-runs-'));
  temps.push(dir);
  return dir;
}
export function removeTemps(): void {
  temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
}

export interface Spawned {
  pid: number;
  kill(signal: NodeJS.Signals): void;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

export function spawnBin(args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { pid: child.pid!, kill: (s) => child.kill(s), done };
}

/** Waits (polling every 20 ms, at most 20 s) until test() is true. */
export async function until(test: () => boolean, what: string): Promise<void> {
  for (let t = 0; t < 1000; t++) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Is there a staging folder of NAME in dir (training under way)? */
export const staging = (dir: string, name: string) => readdirSync(dir).some((f) => f.startsWith(`.${name}.partial-`));

/** Every file below dir (relative path → contents): the whole tree, hidden entries included. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'base64');
  }
  return out;
}

/**
 * A copy of an experiment file (same name: its results go to the same folder) with text replaced: runs with
 * --set or --seed would write to a folder of their own (results/NAME/OVERRIDES-ID/).
 */
export function variant(file: string, ...replacements: [string | RegExp, string][]): string {
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`variant: ${String(from)} not found in ${file}`);
    text = next;
  }
  const path = join(tempDir(), basename(file));
  writeFileSync(path, text);
  return path;
}

/** XOR for 100,000,000 epochs: a run to interrupt. */
export const LONG_XOR = () => variant(XOR, ['epochs: 2000', 'epochs: 100000000']);
