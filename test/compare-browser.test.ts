// compare.html as a person sees it: real runs (two experiments × two seeds) compared, the page opened in
// headless Chromium (Debian's `chromium`, driven by playwright-core) with every network request refused, at a
// wide and a narrow window, screenshotted to PNGs, and its structure checked: one table row per group, one
// curve per group, a legend entry per group beside the plot, hover tooltips (<title>) on the curves' points,
// the charts side by side when the window is wide and one under the other when narrow, each as wide as its
// column, the page never wider than the window, no console errors, nothing fetched. Skipped, saying so, when
// no Chromium is installed.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.MLPLAB_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const tempDir = tempDirs('mlplab-browser');

describe('compare.html in headless Chromium', () => {
  it('shows one table row, one curve and one legend entry per group, with no console errors', async (ctx) => {
    if (!existsSync(CHROMIUM)) console.warn(`SKIPPED: compare.html browser test: no Chromium at ${CHROMIUM} (install Debian's chromium, or set MLPLAB_CHROMIUM)`);
    ctx.skip(!existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set MLPLAB_CHROMIUM`);
    const work = tempDir();
    for (const exp of ['xor-tanh', 'xor-sigmoid']) {
      for (const seed of ['1', '2']) {
        const r = await cli('run', join(ROOT, 'experiments', `${exp}.yaml`), '--set', 'training.epochs=300', '--seed', seed, '--out', join(work, 'runs', `seed${seed}`), '-q');
        expect(r.code, r.stderr).toBe(0);
      }
    }
    const out = join(work, 'compare');
    const compared = await cli('compare', join(work, 'runs'), '--out', out, '--log-scale', '-q');
    expect(compared.code, compared.stderr).toBe(0);
    const labels = ['xor-sigmoid', 'xor-tanh'];

    const { chromium } = await import('playwright-core');
    for (const width of [1500, 700]) {
    const context = await chromium.launchPersistentContext(tempDir(), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width, height: 1000 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
      page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
      const fetched: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        fetched.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(join(out, 'compare.html')).href, { waitUntil: 'load' });
      const png = join(process.env.MLPLAB_SCREENSHOT_DIR ?? work, `compare-${width}.png`);
      await page.screenshot({ path: png, fullPage: true });
      expect(statSync(png).size).toBeGreaterThan(10_000);

      const rows = await page.locator('#groups tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-group')));
      expect([...rows].sort()).toEqual(labels);
      // The verdict: one best row, or the top row and the rows it does not beat significantly marked tied.
      const best = await page.locator('#groups tbody tr.best').count();
      const tied = await page.locator('#groups tbody tr.tied').count();
      expect(best === 1 ? tied : tied >= 2 ? best : -1).toBe(0);
      const legend = await page.locator('#chart .role-legend-label text').allTextContents();
      expect(legend.sort()).toEqual(labels);
      // Each curve is drawn: a path with a visible extent inside the plot.
      const curves = await page.locator('#chart g.mark-line.role-mark path').evaluateAll((paths) =>
        paths.map((p) => {
          const box = (p as unknown as { getBBox(): { width: number; height: number } }).getBBox();
          return { width: box.width, height: box.height, stroke: p.getAttribute('stroke') };
        }),
      );
      expect(curves).toHaveLength(labels.length);
      for (const c of curves) expect(c.width).toBeGreaterThan(100);
      expect(new Set(curves.map((c) => c.stroke)).size).toBe(labels.length);
      expect(await page.locator('#chart .role-axis-title text').allTextContents()).toEqual(expect.arrayContaining(['epoch', 'train_loss (log scale)']));
      // The other logged column (train_accuracy) gets a chart of its own, with the same legend.
      expect(await page.locator('figure').evaluateAll((fs) => fs.map((f) => f.id))).toEqual(['chart', 'chart-train_accuracy']);
      expect((await page.locator('#chart-train_accuracy .role-legend-label text').allTextContents()).sort()).toEqual(labels);
      // Hover tooltips: the points along each curve carry a <title> with the group, the epoch and the value.
      const tips = await page.locator('#chart path[aria-roledescription="point"] > title').allTextContents();
      for (const label of labels) expect(tips.filter((t) => t.startsWith(`${label}, epoch `)).length).toBeGreaterThanOrEqual(4);
      expect(tips.filter((t) => /^xor-(tanh|sigmoid), epoch \d+: train_loss [\d.e-]+ \(mean of 2 runs, /.test(t))).toHaveLength(tips.length);
      // The layout: each chart as wide as its column; two columns when wide, one when narrow; the legend beside.
      const boxes = await page.locator('figure').evaluateAll((fs) =>
        fs.map((f) => {
          const r = f.getBoundingClientRect();
          const svg = f.querySelector('svg')!.getBoundingClientRect();
          const legend = f.querySelector('.role-legend')!.getBoundingClientRect();
          return { left: r.left, top: r.top, width: r.width, svgWidth: svg.width, svgLeft: svg.left, legendLeft: legend.left };
        }),
      );
      for (const b of boxes) {
        expect(Math.abs(b.svgWidth - b.width)).toBeLessThan(2);
        expect(b.legendLeft - b.svgLeft).toBeGreaterThan(0.6 * b.svgWidth);
      }
      if (width >= 1500) expect([boxes[1].top, boxes[1].left > boxes[0].left + boxes[0].width]).toEqual([boxes[0].top, true]);
      else expect(boxes[1].top).toBeGreaterThan(boxes[0].top + 100);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      expect(problems).toEqual([]);
      expect(fetched).toEqual([]);
    } finally {
      await context.close();
    }
    }
  });
});
