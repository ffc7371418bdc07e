// Every command shown in a code block of the guide (docs/guide/*.md) and the README runs here, as a reader would
// type it, and exits with the code the page implies: 0, or N where the line's comment says `exit code N`.
//
// Commands are the lines of ```sh (bash, shell, zsh) blocks, and the `$ `-prompted lines of any other block (a
// transcript). A block whose info string says `illustrative` (```sh illustrative) is not run: a synopsis, a
// cluster's job script, `npm ci`, an interrupt. Any other line that is not `mlplab …`, `npx mlplab …` or
// `npm run SCRIPT -- …` (a script that is `tsx src/cli.ts …`), or that needs a shell (pipes, variables, globs),
// fails the test, so a new example is either runnable or marked. Each page's commands run in page order (a
// compare after the runs it reads) through main(argv, io) from src/cli.ts, in a temporary folder of its own
// holding a copy of experiments/ and test/golden/ and a link to data/, so `results/` and `--out` land there.
// (14-export.md's illustrative `node score.mjs …` runs in test/docs/export.test.ts, with the script the page shows.)
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHELLS = new Set(['sh', 'bash', 'shell', 'zsh']);
const SCRIPTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** A command line shown on a page: its 1-based line, its text, and the exit code the page implies. */
export interface Shown {
  line: number;
  text: string;
  exit: number;
}

/** The commands of a page's code blocks that are not marked illustrative. */
export function commandsOf(markdown: string): Shown[] {
  const out: Shown[] = [];
  let block: { shell: boolean; illustrative: boolean } | null = null;
  let pending: Shown | null = null; // a line continued with a trailing backslash
  markdown.split('\n').forEach((raw, i) => {
    const fence = /^\s*(```|~~~)\s*(.*)$/.exec(raw);
    if (fence) {
      const words = fence[2].trim().split(/\s+/);
      block = block === null ? { shell: SHELLS.has(words[0]), illustrative: words.includes('illustrative') } : null;
      return;
    }
    if (block === null || block.illustrative) return;
    let text = raw.trim();
    if (pending === null) {
      if (!block.shell && !text.startsWith('$ ')) return; // a transcript's output
      text = text.replace(/^\$ /, '');
      if (text === '' || text.startsWith('#')) return;
      pending = { line: i + 1, text: '', exit: 0 };
    }
    pending.text += text.replace(/\\$/, '');
    if (text.endsWith('\\')) return;
    const comment = /(?:^|\s)#(.*)$/.exec(pending.text);
    pending.exit = Number(/exit code (\d+)/.exec(comment?.[1] ?? '')?.[1] ?? 0);
    pending.text = pending.text.replace(/(?:^|\s)#.*$/, '').trim();
    out.push(pending);
    pending = null;
  });
  return out;
}

/** The argument vector main() takes for a shown command, or why this test cannot run it. */
export function argvOf(text: string): { argv: string[] } | { problem: string } {
  const words: string[] = [];
  for (const m of text.matchAll(/'([^']*)'|"([^"$`\\]*)"|([^\s'"]+)/g)) {
    if (m[3] !== undefined && /[|&;<>$`(){}*?]/.test(m[3])) return { problem: `needs a shell ("${m[3]}")` };
    words.push(m[1] ?? m[2] ?? m[3]);
  }
  if (words[0] === 'mlplab') return { argv: words.slice(1) };
  if (words[0] === 'npx' && words[1] === 'mlplab') return { argv: words.slice(2) };
  if (words[0] === 'npm' && words[1] === 'run' && words[2] !== undefined) {
    const script = /^tsx src\/cli\.ts\b(.*)$/.exec(SCRIPTS[words[2]] ?? '');
    if (script === null) return { problem: `npm run ${words[2]} is not a script of package.json that runs src/cli.ts` };
    const dash = words.indexOf('--');
    const before = dash < 0 ? words.slice(3) : words.slice(3, dash);
    const option = before.find((w) => w.startsWith('-'));
    if (option !== undefined) return { problem: `npm takes ${option} as its own option: put -- before mlplab's arguments` };
    return { argv: [...script[1].trim().split(/\s+/).filter(Boolean), ...before, ...(dash < 0 ? [] : words.slice(dash + 1))] };
  }
  return { problem: 'not a command this test runs (mlplab, npx mlplab, npm run SCRIPT): mark its block ```sh illustrative' };
}

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

/** A folder laid out as the clone is for a reader: experiments/ (a copy), data/ (a link), test/golden/ (a copy). */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlplab-guide-commands-'));
  folders.push(dir);
  cpSync(join(ROOT, 'experiments'), join(dir, 'experiments'), { recursive: true });
  mkdirSync(join(dir, 'test'));
  cpSync(join(ROOT, 'test', 'golden'), join(dir, 'test', 'golden'), { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
  return dir;
}

/** Runs a page's commands in order in a fresh workspace; returns each one that did not exit as the page says. */
export async function failures(commands: readonly Shown[]): Promise<string[]> {
  const dir = workspace();
  const before = process.cwd();
  const failed: string[] = [];
  process.chdir(dir);
  try {
    for (const c of commands) {
      const parsed = argvOf(c.text);
      if ('problem' in parsed) {
        failed.push(`line ${c.line}: ${c.text}: ${parsed.problem}`);
        continue;
      }
      let err = '';
      const code = await main(parsed.argv, { out: () => {}, err: (t) => void (err += t), errIsTTY: false });
      if (code !== c.exit) failed.push(`line ${c.line}: ${c.text}: exit code ${code}, expected ${c.exit}\n${err.slice(0, 2000)}`);
    }
  } finally {
    process.chdir(before);
  }
  return failed;
}

const guide = join(ROOT, 'docs', 'guide');
const pages = [join(ROOT, 'README.md'), ...readdirSync(guide).filter((f) => f.endsWith('.md')).sort().map((f) => join(guide, f))];

describe('every command in a code block of the guide and the README runs', () => {
  for (const page of pages) {
    const commands = commandsOf(readFileSync(page, 'utf8'));
    if (commands.length === 0) continue;
    it(`${relative(ROOT, page)} (${commands.length} command${commands.length > 1 ? 's' : ''})`, async () => {
      expect(await failures(commands)).toEqual([]);
    });
  }

  it('finds the examples of comparing and export (the extraction does not miss them)', () => {
    const count = (name: string) => commandsOf(readFileSync(join(guide, name), 'utf8')).length;
    expect(count('10-comparing.md')).toBeGreaterThanOrEqual(6);
    expect(count('14-export.md')).toBe(3);
  });
});

describe('the command checker (it can fail)', () => {
  const page = [
    '```sh',
    'mlplab run experiments/xor-tanh.yaml --quiet \\',
    '  --out runs   # a comment',
    '# a comment line',
    'mlplab validate experiments/nope.yaml   # exit code 1',
    '```',
    '```',
    '$ npx mlplab compare runs',
    'output, not a command: mlplab run x.yaml',
    '```',
    '```sh illustrative',
    'parallel mlplab run experiments/iris.yaml --shard {}/4 ::: 1 2 3 4',
    '```',
    '```yaml',
    'epochs: 3',
    '```',
  ].join('\n');

  it('finds sh lines and $-prompted transcript lines, skips illustrative blocks, reads `exit code N`', () => {
    expect(commandsOf(page)).toEqual([
      { line: 2, text: 'mlplab run experiments/xor-tanh.yaml --quiet --out runs', exit: 0 },
      { line: 5, text: 'mlplab validate experiments/nope.yaml', exit: 1 },
      { line: 8, text: 'npx mlplab compare runs', exit: 0 },
    ]);
  });

  it('maps mlplab, npx mlplab and npm run to main()\'s arguments, and refuses what needs a shell', () => {
    expect(argvOf(`mlplab run a.yaml --set 'training.optimizer={type: sgd}'`)).toEqual({ argv: ['run', 'a.yaml', '--set', 'training.optimizer={type: sgd}'] });
    expect(argvOf('npm run experiment -- experiments/iris.yaml --seed 3')).toEqual({ argv: ['run', 'experiments/iris.yaml', '--seed', '3'] });
    expect(argvOf('npm run mlplab -- validate a.yaml')).toEqual({ argv: ['validate', 'a.yaml'] });
    expect(argvOf('npm run experiment experiments/iris.yaml --seed 3')).toHaveProperty('problem');
    expect(argvOf('npm run build')).toHaveProperty('problem');
    expect(argvOf('npm test')).toHaveProperty('problem');
    expect(argvOf('mlplab run experiments/*.yaml')).toHaveProperty('problem');
    expect(argvOf('mlplab run x.yaml --shard $((SLURM_ARRAY_TASK_ID+1))/8')).toHaveProperty('problem');
  });

  it('reports a wrong option, a wrong exit code and a command it cannot run', async () => {
    const broken = commandsOf(['```sh', 'mlplab run experiments/xor-tanh.yaml --epochs 3 --quiet', 'mlplab validate experiments/xor-tanh.yaml   # exit code 1', 'node score.mjs', '```'].join('\n'));
    const failed = await failures(broken);
    expect(failed).toHaveLength(3);
    expect(failed[0]).toMatch(/^line 2: .*: exit code 2, expected 0\n.*--epochs/);
    expect(failed[1]).toMatch(/^line 3: .*: exit code 0, expected 1/);
    expect(failed[2]).toMatch(/^line 4: node score\.mjs: not a command this test runs/);
  });
});
