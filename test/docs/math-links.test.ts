// docs/math.md links every formula to the code that implements it, as [file.ts › symbol](../src/.../file.ts)
// (symbol may be `name.member`). This test reads every link of the page: each relative target must exist, each
// named symbol must be declared in it, and each #anchor must be a heading's, so a rename or a move fails here
// instead of leaving the page stale.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, linksOf, type Link } from '../helpers/markdown.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = join(ROOT, 'docs', 'math.md');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A line that defines `name` as a property (`name: …`) or a method (`name(…) {`), not one that calls it. */
const definition = (name: string) =>
  new RegExp(`^[ \\t]*(?:static\\s+|readonly\\s+|async\\s+)*${escape(name)}\\s*\\??\\s*(?::|\\(.*\\)\\s*(?::[^;]*)?\\{[ \\t]*$)`, 'm');

/** Where `name` is declared at the top of a module or as a property/method: its index, or -1. */
function declarationIndex(source: string, name: string): number {
  const declared = new RegExp(`\\b(?:const|let|var|function\\*?|class|interface|type|enum)\\s+${escape(name)}\\b`);
  return [declared, definition(name)].map((re) => re.exec(source)?.index ?? -1).find((i) => i >= 0) ?? -1;
}

/** `member` defined inside the declaration starting at `from`: before the next top-level declaration. */
function memberIndex(source: string, from: number, member: string): number {
  const rest = source.slice(from);
  const next = /\n(?:export\s+)?(?:const|let|function|class|interface|type)\s/.exec(rest.slice(1));
  const body = next ? rest.slice(0, next.index + 1) : rest;
  const m = definition(member).exec(body);
  return m ? from + m.index : -1;
}

/** What is wrong with one link of the page at `docFile` (null if nothing): a missing file, symbol or heading. */
function linkProblem(link: Link, docFile: string, anchors: Set<string>): string | null {
  const where = `${relative(ROOT, docFile)}:${link.line}: [${link.text}](${link.target})`;
  if (link.target.startsWith('#')) return anchors.has(link.target.slice(1)) ? null : `${where}: no heading with this anchor`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return null; // external
  const file = join(dirname(docFile), link.target.split('#')[0]);
  if (!existsSync(file)) return `${where}: no file ${relative(ROOT, file)}`;
  const parts = link.text.split('›').map((s) => s.trim());
  if (parts.length === 1) {
    return relative(ROOT, file).startsWith('src/') ? `${where}: a link into src/ must name a symbol, as [file.ts › name]` : null;
  }
  if (parts.length !== 2 || parts[0] !== basename(file)) return `${where}: expected the text "${basename(file)} › symbol"`;
  const source = readFileSync(file, 'utf8');
  const [name, ...members] = parts[1].split('.');
  let at = declarationIndex(source, name);
  if (at < 0) return `${where}: ${relative(ROOT, file)} declares no "${name}"`;
  for (const member of members) {
    at = memberIndex(source, at, member);
    if (at < 0) return `${where}: "${name}" in ${relative(ROOT, file)} has no member "${member}"`;
  }
  return null;
}

const problemsOf = (markdown: string, docFile: string) =>
  linksOf(markdown)
    .map((l) => linkProblem(l, docFile, anchorsOf(markdown)))
    .filter((p): p is string => p !== null);

describe('docs/math.md links', () => {
  const doc = readFileSync(DOC, 'utf8');

  it('names only files and symbols that exist', () => {
    expect(problemsOf(doc, DOC)).toEqual([]);
  });

  it('links every part of the engine it explains (the parser found the links)', () => {
    const symbols = linksOf(doc).filter((l) => l.text.includes('›'));
    expect(symbols.length).toBeGreaterThanOrEqual(40);
    const files = new Set(symbols.map((l) => basename(l.target)));
    for (const f of ['network.ts', 'activations.ts', 'losses.ts', 'train.ts', 'sgd.ts', 'adam.ts', 'init.ts', 'gradcheck.ts']) expect(files).toContain(f);
  });

  it('reports a renamed symbol, a missing member, a moved file, a bare link into src/ and a wrong anchor', () => {
    const fake = join(ROOT, 'docs', 'fake.md');
    const problems = problemsOf(
      [
        '[activations.ts › tanhh](../src/model/activations.ts)',
        '[losses.ts › crossEntropy.backwardd](../src/model/losses.ts)',
        '[optimizers.ts › sgd](../src/training/optimizers.ts)',
        '[the network](../src/model/network.ts)',
        '[losses.ts › softmaxRows](../src/model/losses.ts)', // imported there, not declared
        '```',
        '[inside a code block › ignored](../nowhere.ts)',
        '```',
        '[activations.ts › tanh](../src/model/activations.ts) and [losses.ts › crossEntropy.total](../src/model/losses.ts)',
        'quoted, not a link: `[file.ts › symbol](../src/…/file.ts)`, nor in ```` ``[x](y)`` ````',
        '## Softmax, its Jacobian: p − y',
        '[up](#softmax-its-jacobian-p--y) [down](#softmax-its-jacobian)',
      ].join('\n'),
      fake,
    );
    expect(problems).toEqual([
      expect.stringMatching(/fake\.md:1: .*declares no "tanhh"/),
      expect.stringMatching(/fake\.md:2: .*"crossEntropy" in src\/model\/losses\.ts has no member "backwardd"/),
      expect.stringMatching(/fake\.md:3: .*no file src\/training\/optimizers\.ts/),
      expect.stringMatching(/fake\.md:4: .*must name a symbol/),
      expect.stringMatching(/fake\.md:5: .*declares no "softmaxRows"/),
      expect.stringMatching(/fake\.md:12: \[down\]\(#softmax-its-jacobian\): no heading with this anchor/),
    ]);
  });
});
