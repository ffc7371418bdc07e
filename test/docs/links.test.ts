// Every relative link in the README and in docs/ (the guide, the references, architecture, performance, learn)
// resolves: its file or folder exists, and its #anchor, where it has one into a Markdown page, is one of that
// page's headings (GitHub's slugs). A moved chapter or a renamed heading fails here instead of leaving a dead link.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

/** Relative link targets outside code blocks and code spans, with their 1-based lines. */
export function linksOf(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced) return;
    const line = raw.replace(/(`+)(?:(?!\1).)*?\1/g, '');
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) if (!/^(https?:|mailto:|#)/.test(m[1])) out.push({ target: m[1], line: i + 1 });
  });
  return out;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (m) anchors.add(m[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return anchors;
}

const pages = [join(ROOT, 'README.md'), join(ROOT, 'data', 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

describe('relative links in the README and docs/', () => {
  for (const page of pages) {
    it(relative(ROOT, page), () => {
      const text = readFileSync(page, 'utf8');
      const dead: string[] = [];
      for (const { target, line } of linksOf(text)) {
        const [path, anchor] = target.split('#');
        const file = join(dirname(page), decodeURIComponent(path));
        if (!existsSync(file)) dead.push(`line ${line}: ${target} (no such file)`);
        else if (anchor && file.endsWith('.md') && statSync(file).isFile() && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) dead.push(`line ${line}: ${target} (no such heading)`);
      }
      expect(dead).toEqual([]);
    });
  }

  it('finds links and anchors as GitHub does (the checker can fail)', () => {
    expect(linksOf('see [a](b.md#c), `[x](y)`, [w](https://e.org)\n```\n[z](q)\n```\n[k](../k.md)').map((l) => l.target)).toEqual(['b.md#c', '../k.md']);
    expect([...anchorsOf('# 3. Data: CSV & more\n## `run.json`')]).toEqual(['3-data-csv--more', 'runjson']);
  });
});
