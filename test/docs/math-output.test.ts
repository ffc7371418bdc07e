// docs/math.md quotes the output of `mlplab gradcheck experiments/xor-tanh.yaml --explain` as the example of a
// correct backward pass. This runs the command and checks that every quoted line is what it prints today, so the
// page's numbers cannot go stale. (The classic mistakes' outputs come from modified copies and are not rerun.)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../../src/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The first fenced block after the line that mentions `command`. */
function quotedAfter(markdown: string, command: string): string[] {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => l.includes(command));
  expect(at, `docs/math.md never mentions ${command}`).toBeGreaterThan(-1);
  const open = lines.findIndex((l, i) => i > at && l.startsWith('```'));
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  return lines.slice(open + 1, close);
}

it("docs/math.md quotes gradcheck --explain's real output for xor-tanh", async () => {
  const quoted = quotedAfter(readFileSync(join(ROOT, 'docs', 'math.md'), 'utf8'), '`mlplab gradcheck experiments/xor-tanh.yaml --explain` (after');
  let stdout = '';
  const code = await main(['gradcheck', join(ROOT, 'experiments', 'xor-tanh.yaml'), '--explain'], { out: (t) => void (stdout += t), err: () => {} });
  expect(code).toBe(0);
  expect(quoted.length).toBeGreaterThanOrEqual(8);
  const printed = stdout.split('\n');
  for (const line of quoted) expect(printed, `quoted line not printed: ${line}`).toContain(line);
});
