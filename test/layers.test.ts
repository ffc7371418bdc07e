// The layering rule, LAYERS below (docs/architecture.md explains it), checked against the import statements of src/:
// a module imports only from its own folder and from folders below it; no two folders import each other;
// the numeric folders never touch the file system; and no module imports itself through others (no import
// cycle, even within a folder). A new folder must be placed in LAYERS first.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const NO_FS = ['model', 'training', 'kernels'];

/**
 * The layers, top to bottom: each entry is one layer of folders/ or top-level files; a module imports only from its own
 * folder and from layers below it. This is the one home of the order; docs/architecture.md shows it and says why.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['start.ts'],
  ['cli.ts', 'index.ts', 'engine.ts'],
  ['commands/'],
  ['runner/'],
  ['report/'],
  ['config/'],
  ['files/'],
  ['data/'],
  ['training/'],
  ['model/'],
  ['kernels/'],
  ['metrics.ts'],
  ['matrix.ts', 'random.ts', 'descriptor.ts', 'errors.ts', 'trace.ts', 'version.ts'],
];

/** The unit a source file belongs to: its top folder under src/ (`runner/`), or the file itself at the top. */
const unitOf = (file: string) => (file.includes('/') ? `${file.split('/')[0]}/` : file);

/** Every relative import, export-from and dynamic import in a TypeScript source, as paths relative to src/. */
export function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  return specs.map((s) => (s.startsWith('.') ? relative(SRC, normalize(join(SRC, dirname(file), s))).replace(/\.js$/, '.ts') : s));
}

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(SRC, join(dir, e.name))] : [],
  );
}

/** Every rule broken by the imports of `files` (path → text) under the layer order. */
export function violations(files: Record<string, string>, layers: string[][]): string[] {
  const rank = new Map(layers.flatMap((units, r) => units.map((u) => [u, r] as const)));
  const out: string[] = [];
  const edges = new Set<string>();
  for (const [file, text] of Object.entries(files)) {
    const from = unitOf(file);
    if (!rank.has(from)) out.push(`${file}: ${from} is not in LAYERS (test/layers.test.ts)`);
    for (const target of importsOf(file, text)) {
      if (NO_FS.includes(from.slice(0, -1)) && /^(node:)?fs(\/promises)?$/.test(target)) out.push(`${file} imports ${target}: ${from} is pure numerics`);
      if (target.startsWith('..') || !target.endsWith('.ts')) continue; // a package, or outside src/
      const to = unitOf(target);
      if (to === from) continue;
      edges.add(`${from} ${to}`);
      if ((rank.get(to) ?? -1) <= (rank.get(from) ?? Infinity)) out.push(`${file} imports ${target}: ${to} is not below ${from}`);
    }
  }
  for (const e of edges) {
    const [a, b] = e.split(' ');
    if (a < b && edges.has(`${b} ${a}`)) out.push(`${a} and ${b} import each other`);
  }
  return out;
}

/**
 * The import cycles among the modules of `files` (path → text), each as its modules in import order, the first
 * repeated at the end: `a.ts → b.ts → a.ts`. Type-only imports count: a cycle of types is still two modules that
 * cannot be understood one without the other. Depth-first search: every back edge closes one cycle (so none is
 * reported exactly when there is none), given from its least module.
 */
export function importCycles(files: Record<string, string>): string[] {
  const graph = new Map(Object.entries(files).map(([f, text]) => [f, [...new Set(importsOf(f, text).filter((t) => t in files))].sort()]));
  const cycles = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') {
        const loop = stack.slice(stack.indexOf(t));
        const start = loop.indexOf([...loop].sort()[0]);
        const turned = [...loop.slice(start), ...loop.slice(0, start)];
        cycles.add([...turned, turned[0]].join(' → '));
      } else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return [...cycles].sort();
}

describe('layers', () => {
  const layers = LAYERS as string[][];
  const files = Object.fromEntries(sources().map((f) => [f, readFileSync(join(SRC, f), 'utf8')]));

  it('every import in src/ runs downward, as LAYERS says', () => {
    expect(Object.keys(files).length).toBeGreaterThan(30);
    expect(violations(files, layers)).toEqual([]);
  });

  it('catches an upward import, a two-way pair and file-system access in model/', () => {
    const bad = {
      ...files,
      'model/network.ts': files['model/network.ts'] + "\nimport { loadExperiment } from '../config/load.js';\n",
      'model/init.ts': files['model/init.ts'] + "\nimport { readFileSync } from 'node:fs';\n",
    };
    const found = violations(bad, layers);
    expect(found).toContain('model/network.ts imports config/load.ts: config/ is not below model/');
    expect(found).toContain('config/ and model/ import each other');
    expect(found).toContain('model/init.ts imports node:fs: model/ is pure numerics');
  });

  it('no two modules import each other, directly or through others (type-only imports included)', () => {
    expect(importCycles(files)).toEqual([]);
  });

  it('finds an import cycle between modules of one folder and across folders', () => {
    const files = {
      'files/a.ts': "import type { B } from './b.js';",
      'files/b.ts': "import { c } from '../runner/c.js';",
      'runner/c.ts': "export { a } from '../files/a.js';\nimport { d } from './d.js';",
      'runner/d.ts': "import { c } from './c.js';",
      'runner/e.ts': "import { d } from './d.js';",
    };
    expect(importCycles(files)).toEqual(['files/a.ts → files/b.ts → runner/c.ts → files/a.ts', 'runner/c.ts → runner/d.ts → runner/c.ts']);
  });

  it('reads dynamic imports and export-from too', () => {
    expect(importsOf('runner/x.ts', "const v = await import('../report/chart.js');\nexport { a } from './y.js';")).toEqual(['report/chart.ts', 'runner/y.ts']);
  });
});
