// The bad-input catalogue's runner: each case writes its files into a fresh temp folder, runs `main(argv, io)`
// there and asserts the exit code, the one located line on stderr (what, where, what was expected), no
// stack trace and nothing on stdout. `{dir}` in argv and messages stands for the temp folder.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';

export interface Case {
  name: string;
  files: Record<string, string | Uint8Array>; // bytes: a file that is not UTF-8
  argv: string[];
  /** The whole stderr line: exact text, or a pattern ({dir} replaced in both). */
  error: string | RegExp;
  code?: number; // default 1
  /** Files that must not exist in the folder afterwards (a partial output). */
  absent?: RegExp;
}

function capture(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function runCase(c: Case): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlplab-catalogue-'));
  for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text);
  const io = capture();
  const code = await main(c.argv.map((a) => a.replaceAll('{dir}', dir)), io);
  const stderr = io.stderr();
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  expect(io.stdout()).toBe('');
  const lines = stderr.trimEnd().split('\n').filter((l) => l !== '(see mlplab --help)');
  expect(lines).toHaveLength(1);
  const pattern = typeof c.error === 'string' ? new RegExp(`^${escape(c.error.replaceAll('{dir}', dir))}$`) : new RegExp(c.error.source.replaceAll('\\{dir\\}', escape(dir)));
  expect(lines[0]).toMatch(pattern);
  expect(code).toBe(c.code ?? 1);
  if (c.absent) expect(readdirSync(dir).filter((f) => c.absent!.test(f))).toEqual([]);
}

/** One vitest case per catalogue entry. */
export function catalogue(cases: readonly Case[]): void {
  for (const c of cases) it(c.name, () => runCase(c));
}

/** A small valid experiment (XOR-like, 2 inputs, 2 softmax outputs) with `data` as its data section. */
export function experiment(data: string, model = '    - { units: 3, activation: tanh }\n    - { units: 2, activation: softmax }', loss = 'cross_entropy'): string {
  return `name: cat\nseed: 1\ndata:\n${data}\nmodel:\n  layers:\n${model}\nloss: ${loss}\ntraining:\n  epochs: 2\n  batch_size: 4\n  optimizer: { type: sgd, learning_rate: 0.5 }\n`;
}
