// The guide's TypeScript examples (```ts blocks importing from 'mlplab') type-check as written, strict, against the
// library's own types (src/index.ts): an example that a user's compiler refuses (guide 13 passed a trained run's
// model, `ModelFile | undefined`, to predict) fails here. Running them is left to the tests of the functions.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every ```ts block of a Markdown page that imports from 'mlplab', with the line it starts on. */
function examples(page: string): { code: string; line: number }[] {
  const lines = readFileSync(page, 'utf8').split('\n');
  const found: { code: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const end = lines.findIndex((l, k) => k > i && l.trim() === '```');
    const code = lines.slice(i + 1, end).join('\n');
    if (/from 'mlplab(\/engine)?'/.test(code)) found.push({ code, line: i + 2 });
    i = end;
  }
  return found;
}

const pages = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs', 'guide')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', 'guide', f))];
const all = pages.flatMap((page) => examples(page).map((e) => ({ ...e, where: `${relative(ROOT, page)}:${e.line}` })));

describe("the guide's TypeScript examples", () => {
  it('are found (the pages have some)', () => {
    expect(all.map((e) => e.where.split(':')[0])).toEqual(expect.arrayContaining(['docs/guide/13-library-api.md', 'docs/guide/09-run-paths.md']));
  });

  it('type-check, strict, against src/index.ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlplab-examples-'));
    try {
      const files = all.map((e, k) => {
        const file = join(dir, `example-${k}.mts`);
        writeFileSync(file, e.code);
        return file;
      });
      const options: ts.CompilerOptions = {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        baseUrl: ROOT,
        paths: { mlplab: ['src/index.ts'], 'mlplab/engine': ['src/engine.ts'] },
      };
      const program = ts.createProgram(files, options);
      const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || files.includes(d.file.fileName));
      const said = diagnostics.map((d) => {
        const k = d.file ? files.indexOf(d.file.fileName) : -1;
        const { line } = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0 };
        const where = k >= 0 ? `${all[k].where.split(':')[0]}:${all[k].line + line}` : '';
        return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      expect(said).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
