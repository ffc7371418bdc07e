// docs/learn.md shows what the lessons produce: every table written by `npm run docs:learn` (docs/learn/*.txt)
// stands in the page verbatim, every chart it links exists, and every lesson in experiments/learn/ is linked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/goldens.js';

const page = readFileSync(join(ROOT, 'docs', 'learn.md'), 'utf8');

describe('docs/learn.md', () => {
  it('shows every generated table as it was written', () => {
    const tables = readdirSync(join(ROOT, 'docs', 'learn')).filter((f) => f.endsWith('.txt'));
    expect(tables.length).toBeGreaterThanOrEqual(5);
    for (const t of tables) expect(page, t).toContain(readFileSync(join(ROOT, 'docs', 'learn', t), 'utf8').trimEnd());
  });

  it('links charts that exist and every lesson file', () => {
    const charts = [...page.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const c of charts) expect(existsSync(join(ROOT, 'docs', c)), c).toBe(true);
    for (const lesson of readdirSync(join(ROOT, 'experiments', 'learn'))) expect(page, lesson).toContain(`(../experiments/learn/${lesson})`);
  });
});
