// Every relative link in the README and in docs/ (the guide, the references, architecture, performance, learn)
// resolves: its file or folder exists, and its #anchor, where it has one into a Markdown page, is one of that
// page's headings (GitHub's slugs). A moved chapter or a renamed heading fails here instead of leaving a dead link.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, linksOf } from '../helpers/markdown.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

/** Relative link targets (not external, not #anchor-only) outside code blocks and code spans, with their 1-based lines. */
function relativeLinks(markdown: string): { target: string; line: number }[] {
  return linksOf(markdown).filter((l) => !/^(https?:|mailto:|#)/.test(l.target));
}

const pages = [join(ROOT, 'README.md'), join(ROOT, 'data', 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

describe('relative links in the README and docs/', () => {
  for (const page of pages) {
    it(relative(ROOT, page), () => {
      const text = readFileSync(page, 'utf8');
      const dead: string[] = [];
      for (const { target, line } of relativeLinks(text)) {
        const [path, anchor] = target.split('#');
        const file = join(dirname(page), decodeURIComponent(path));
        if (!existsSync(file)) dead.push(`line ${line}: ${target} (no such file)`);
        else if (anchor && file.endsWith('.md') && statSync(file).isFile() && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) dead.push(`line ${line}: ${target} (no such heading)`);
      }
      expect(dead).toEqual([]);
    });
  }

  it('finds links and anchors as GitHub does (the checker can fail)', () => {
    expect(relativeLinks('see [a](b.md#c), `[x](y)`, [w](https://e.org)\n```\n[z](q)\n```\n[k](../k.md)').map((l) => l.target)).toEqual(['b.md#c', '../k.md']);
    expect([...anchorsOf('# 3. Data: CSV & more\n## `run.json`')]).toEqual(['3-data-csv--more', 'runjson']);
  });
});
