// loss.svg against its own spec: guide 6 says loss.svg is the chart of loss.vl.json, so svgchart.ts's drawing is
// held to Vega's rendering of lossChartSpec (Vega in Node, render.ts): the same domains (Vega's `nice: true` is d3's
// nice() with its default count 10, not the axis' tickCount), grid lines at the same ticks, the same y labels (a log
// axis' given values as Vega writes them: "1,000", "10,000,000,000"; no more values than tickCount, which Vega
// would halve), and every line vertex at the same place; a domain of one value (a single epoch, a constant loss),
// which svgchart.ts widens where Vega would draw a point, is given in the spec; the x labels Vega hides where they
// would overlap (its parity rule, on its text estimate in Node), hidden; a label wider than Vega's 180 px limit
// (on that estimate: 23 characters or more, a loss of 1e17 and more) cut with '…' where Vega cuts it.
import { describe, expect, it } from 'vitest';
import { lossChart, lossChartSpec } from '../../src/report/charts.js';
import { renderSvg } from '../../src/report/render.js';
import { lossChartSvg, vegaLabel } from '../../src/report/svgchart.js';

const COLUMNS = ['epoch', 'step', 'train_loss', 'test_loss'];

/** Vega's SVG: each axis' scale and domain (its aria-label), grid positions, shown y labels, lines by colour. */
function vegaParts(svg: string) {
  const axes = [...svg.matchAll(/aria-label="([XY])-axis titled '[^']*' for a (\w+) scale with values from ([^"]*)"/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
  const grid = (axis: 'x' | 'y') => {
    const block = svg.split('role-axis-grid')[axis === 'x' ? 1 : 2].split('</g>')[0];
    return [...block.matchAll(/transform="translate\(([-\d.e]+),([-\d.e]+)\)"/g)].map((m) => Number(axis === 'x' ? m[1] : m[2]));
  };
  const labelBlocks = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].map((g) => g[1]);
  const yLabels = [...labelBlocks[1].matchAll(/translate\(-7,([-\d.e]+)\)[^>]*opacity="1">([^<]*)</g)].map((m) => ({ y: Number(m[1]), text: m[2] }));
  const xLabels = [...labelBlocks[0].matchAll(/translate\(([-\d.e]+),15\)[^>]*opacity="1">([^<]*)</g)].map((m) => ({ x: Number(m[1]), text: m[2] }));
  const lines = [...svg.matchAll(/aria-roledescription="line mark" d="([^"]*)" stroke="([^"]+)"/g)].map((m) => `${m[2]} ${m[1].replaceAll('Z', '')}`);
  return { axes, xGrid: grid('x'), yGrid: grid('y'), xLabels, yLabels, lines };
}

/** svgchart's SVG, the same parts. */
function ourParts(svg: string) {
  const gridBlock = svg.split('<g class="grid"')[1].split('</g>')[0];
  const xGrid = [...gridBlock.matchAll(/<line x1="([-\d.]+)" y1="0" x2="[-\d.]+" y2="320"\/>/g)].map((m) => Number(m[1]) - 0.5);
  const yGrid = [...gridBlock.matchAll(/<line x1="0" y1="([-\d.]+)" x2="560"/g)].map((m) => Number(m[1]) - 0.5);
  const yLabels = [...svg.matchAll(/<text x="-7" y="([-\d.]+)" text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2] }));
  const xLabels = [...svg.matchAll(/<text x="([-\d.]+)" y="335" text-anchor="\w+"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), text: m[2] }));
  const lines = [...svg.matchAll(/<path class="line" d="([^"]+)" stroke="([^"]+)"/g)].map((m) => `${m[2]} ${m[1]}`); // Vega draws no empty line
  return { xGrid, yGrid, xLabels, yLabels, lines };
}

async function expectSameChart(rows: { epoch: number; step: number; train_loss: number; test_loss: number }[], what: string) {
  const vega = vegaParts(await renderSvg(lossChartSpec('run', 'mse', COLUMNS, rows)));
  const ours = ourParts(lossChartSvg(lossChart('run', 'mse', COLUMNS, rows)));
  expect(ours.lines, `${what}: lines (${vega.axes.join('; ')})`).toEqual(vega.lines);
  expect(ours.yLabels.map((l) => l.text), `${what}: y labels`).toEqual(vega.yLabels.map((l) => l.text));
  ours.yLabels.forEach((l, i) => expect(l.y, `${what}: y label ${l.text}`).toBeCloseTo(vega.yLabels[i].y, 2));
  expect(ours.xLabels.map((l) => l.text), `${what}: x labels shown`).toEqual(vega.xLabels.map((l) => l.text));
  ours.xLabels.forEach((l, i) => expect(l.x, `${what}: x label ${l.text}`).toBeCloseTo(vega.xLabels[i].x, 2));
  // Vega writes a grid line's place rounded to a pixel (translate(93,…)), svgchart to 3 decimals.
  expect(ours.xGrid.length, `${what}: x ticks`).toBe(vega.xGrid.length);
  ours.xGrid.forEach((x, i) => expect(Math.abs(x - vega.xGrid[i]), `${what}: x tick ${i}`).toBeLessThanOrEqual(0.5));
  expect(ours.yGrid.length, `${what}: y ticks`).toBe(vega.yGrid.length);
  ours.yGrid.forEach((y, i) => expect(Math.abs(y - vega.yGrid[i]), `${what}: y tick ${i}`).toBeLessThanOrEqual(0.5));
}

const log = (values: [number, number][], every = 1) => values.map(([train_loss, test_loss], i) => ({ epoch: i * every, step: i, train_loss, test_loss }));

describe('loss.svg is the chart of loss.vl.json (Vega renders the spec)', () => {
  it('losses of 1e11 to 1e12: the y domain Vega nices (4e11 to 3e12), not rounded out to 0', async () => {
    await expectSameChart(log([[1e12, 3e12], [5e11, 2e12], [4e11, 1e12]]), 'huge losses');
  });

  it('1,000 epochs logged every 100: x and y domains as Vega nices them', async () => {
    await expectSameChart(log(Array.from({ length: 11 }, (_, i): [number, number] => [1 / (1 + i), 1.1 / (1 + i)]), 100), '1000 epochs');
    await expectSameChart(log(Array.from({ length: 248 }, (_, i): [number, number] => [2 / (2 + i), 3 / (2 + i)])), '247 epochs');
  });

  it('a log axis over many decades: the powers of ten Vega shows, written as Vega writes them', async () => {
    await expectSameChart(log([[100, 200], [1, 1], [0.5, 0.8], [0.004, 0.007]]), 'seven decades');
    await expectSameChart(log([[1e10, 1e9], [1e-10, 1e-9], [1e-20, 1e-25]]), 'thirty-five decades');
    await expectSameChart(log([[5e7, 9e6], [3e4, 2e3], [1e3, 2e3]]), 'thousands');
  });

  it('a line broken where a loss is not finite, on a linear and a log axis', async () => {
    await expectSameChart(log([[1, 2], [NaN, 1], [0.5, 0.8], [0.4, 0.7]]), 'NaN, linear');
    await expectSameChart(log([[100, 200], [Infinity, 1], [0.5, 0.8], [0.004, 0.007]]), 'Infinity, log');
  });

  it('one value on an axis: a single epoch (training.epochs 0), a constant loss, losses of 0, none drawable', async () => {
    await expectSameChart(log([[0.5, 0.6]]), 'one epoch');
    await expectSameChart(log([[1.0459884754888285, 1.0459884754888285]]), 'one epoch, one loss');
    await expectSameChart(log([[1000, 1]]), 'one epoch, log axis');
    await expectSameChart(log([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], 10), 'constant loss');
    await expectSameChart(log([[0, 0], [0, 0]]), 'zero loss');
    await expectSameChart(log([[-2e-7, -2e-7], [-2e-7, -2e-7]]), 'constant negative loss');
    await expectSameChart(log([[NaN, NaN], [NaN, NaN]]), 'no finite loss');
  });

  it("y labels wider than Vega's 180 px label limit (losses of 1e17 and more) cut with '…' as Vega cuts them", async () => {
    await expectSameChart(log([[1e17, 3e17], [2e17, 2.5e17], [1.5e17, 1.2e17]]), '1e17, linear');
    await expectSameChart(log([[-4e18, -1e18], [-3e18, -2e18]]), '-1e18, linear');
    await expectSameChart(log([[12345678901234567, 2e16], [1.5e16, 1.1e16]]), 'just under the limit');
    // The limit on Vega's width estimate in Node (8 px a character at 10 px): 22 characters kept, 23 cut to 21 and '…'.
    expect(vegaLabel('12,000,000,000,000,000')).toBe('12,000,000,000,000,000');
    expect(vegaLabel('100,000,000,000,000,000')).toBe('100,000,000,000,000,0…');
  });

  it('random loss logs: tiny to huge, negative, short and long, any logging interval', async () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 40; t++) {
      const n = 2 + Math.floor(random() * 60);
      const every = 1 + Math.floor(random() * 50);
      const scale = 10 ** (random() * 24 - 12);
      const span = 10 ** (random() * 6);
      const offset = random() < 0.2 ? -3 * scale : 0;
      const value = () => offset + scale * (1 + span * random());
      await expectSameChart(log(Array.from({ length: n }, (): [number, number] => [value(), value()]), every), `case ${t}: ${n} rows every ${every}, scale ${scale}`);
    }
  });
});
