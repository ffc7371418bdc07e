// docs/guide/14-export.md shows what happens: its Node script (at most ten lines) runs on the iris model's ONNX
// export and prints the output lines the page shows, which are predict's; its PyTorch snippet loads the
// safetensors export and prints predict's probabilities (with a stand-in for the safetensors package where
// Debian's python3 lacks it: test/docs/pyshim/; skipped, saying so, where python3-torch is missing).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { loadExperiment, loadModel, predict, runExperiment } from '../../src/index.js';

const page = readFileSync('docs/guide/14-export.md', 'utf8');

/** The page's fenced code blocks in the language `lang` ('' for none; ```sh illustrative is sh), each with its final newline. */
function blocks(lang: string): string[] {
  const found: string[] = [];
  let open: { lang: string; lines: string[] } | null = null;
  for (const line of page.split('\n')) {
    if (!line.startsWith('```')) open?.lines.push(line);
    else if (open === null) open = { lang: line.slice(3).trim().split(/\s+/)[0], lines: [] };
    else {
      if (open.lang === lang) found.push(open.lines.map((l) => `${l}\n`).join(''));
      open = null;
    }
  }
  return found;
}
const quiet: Io = { out: () => {}, err: () => {} };

// The guide's layout: `mlplab run experiments/iris.yaml --seed 0` writes results/iris/seed=0/, here under a temporary folder.
const dir = mkdtempSync(join(tmpdir(), 'mlplab-export-doc-'));
const runDir = join(dir, 'results', 'iris', 'seed=0');
const ROW = [5.1, 3.5, 1.4, 0.2];

beforeAll(async () => {
  await runExperiment(loadExperiment('experiments/iris.yaml', { seed: 0 }), { outDir: runDir });
  for (const format of ['onnx', 'safetensors']) expect(await main(['export', join(runDir, 'model.json'), '--format', format], quiet)).toBe(0);
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules')); // the script's `import 'onnxruntime-node'`
}, 60_000);

const probabilities = () => Array.from(predict(loadModel(join(runDir, 'model.json')), [ROW]).outputs.data);

describe('docs/guide/14-export.md', () => {
  it('its ten-line Node script prints the lines the page shows, which are predict\'s', () => {
    const script = blocks('js').find((b) => b.startsWith('// score.mjs'))!;
    expect(script.trimEnd().split('\n').length).toBeLessThanOrEqual(10);
    writeFileSync(join(dir, 'score.mjs'), script);
    const command = blocks('sh').flatMap((b) => b.split('\n')).find((l) => l.startsWith('node score.mjs '))!;
    const r = spawnSync(process.execPath, command.split(' ').slice(1), { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const shown = blocks('').find((b) => b.startsWith('species=setosa\t'))!;
    expect(r.stdout).toBe(shown);
    const printed = r.stdout.trim().split('\n').map((l) => Number(l.split('\t')[1]));
    expect(printed).toEqual(probabilities());
  });

  const python = '/usr/bin/python3';
  const hasTorch = spawnSync(python, ['-c', 'import torch, numpy']).status === 0;
  const hasSafetensors = spawnSync(python, ['-c', 'import safetensors']).status === 0;
  it.skipIf(!hasTorch)(`its PyTorch snippet loads the weights and prints predict's probabilities${hasTorch ? '' : ` (SKIPPED: ${python} has no torch)`}`, () => {
    const snippet = blocks('python')[0];
    mkdirSync(join(dir, 'py'), { recursive: true });
    writeFileSync(join(dir, 'py', 'snippet.py'), snippet);
    const env = { ...process.env, PYTHONPATH: hasSafetensors ? '' : resolve('test/docs/pyshim') };
    const r = spawnSync(python, [join(dir, 'py', 'snippet.py')], { cwd: dir, encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const [modules, outputs] = r.stdout.trim().split('\n');
    expect(modules).toBe("['Linear(4, 32)', 'ReLU()', 'Linear(32, 3)', 'Softmax(dim=1)']");
    const got: number[] = JSON.parse(outputs)[0];
    probabilities().forEach((p, i) => expect(Math.abs(got[i] - p)).toBeLessThanOrEqual(1e-12));
  });
});
