// loss.svg as svgchart.ts draws it: axes as Vega-Lite's default ones (d3's nice domains, ticks and labels: fixed
// cases worked out by hand), log axes at the chart's powers of ten, every logged value at its place (path vertices
// against d3's mapping), lines broken at values that cannot be drawn, legend and titles.
import * as d3 from 'd3-scale';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lossChart, type LossChart } from '../../src/report/charts.js';
import { linearAxis, logAxis, lossChartSvg } from '../../src/report/svgchart.js';


const W = 560;
const H = 320;

/** Each line's vertices, by stroke colour, and whether a line has breaks (more than one M). */
function lines(svg: string): { stroke: string; points: [number, number][]; parts: number }[] {
  return [...svg.matchAll(/<path class="line" d="([^"]*)" stroke="([^"]+)"/g)].map((m) => ({
    stroke: m[2],
    points: [...m[1].matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])] as [number, number]),
    parts: (m[1].match(/M/g) ?? []).length,
  }));
}
const texts = (svg: string) => [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('linearAxis', () => {
  it('rounds the domain out as Vega does (nice(), 10 ticks, whatever the count), ticks and labels at count (thousands, fixed decimals, minus)', () => {
    const cases: [number, number, number, number[], string[]][] = [
      [0, 2100, 8, [0, 2200], ['0', '200', '400', '600', '800', '1,000', '1,200', '1,400', '1,600', '1,800', '2,000', '2,200']],
      [0.0107, 0.198, 6, [0, 0.2], ['0.00', '0.05', '0.10', '0.15', '0.20']],
      [1, 247, 8, [0, 260], ['0', '50', '100', '150', '200', '250']], // nice(): step 20 (24.6 for 10 ticks); ticks(8): step 50
      [-0.35, 0.12, 6, [-0.35, 0.15], ['\u22120.3', '\u22120.2', '\u22120.1', '0.0', '0.1']], // nice(): step 0.05; ticks(6): 0.1
    ];
    for (const [lo, hi, count, domain, labels] of cases) {
      const axis = linearAxis(lo, hi, count);
      expect(axis.domain, `${lo}..${hi}`).toEqual(domain);
      expect(axis.labels, `${lo}..${hi}`).toEqual(labels);
      for (const t of axis.ticks) expect(axis.at(t)).toBeGreaterThanOrEqual(0), expect(axis.at(t)).toBeLessThanOrEqual(1);
    }
  });

  it('a single value gets an axis around it (one logged epoch, a constant loss)', () => {
    expect(linearAxis(0, 0, 8).domain).toEqual([0, 1]);
    const flat = linearAxis(0.5, 0.5, 6);
    expect(flat.domain[0]).toBeLessThan(0.5);
    expect(flat.domain[1]).toBeGreaterThan(0.5);
    expect(flat.at(0.5)).toBeCloseTo(0.5);
  });
});

describe('logAxis', () => {
  it('spans whole powers of ten and labels its ticks as Vega does (0.001, 1e-7, 1,000)', () => {
    const axis = logAxis(2e-12, 3.5, [1e-11, 1e-7, 1e-3, 10]);
    expect(axis.domain).toEqual([1e-12, 10]);
    expect(axis.labels).toEqual(['1e-11', '1e-7', '0.001', '10']);
    expect(axis.at(1e-2)).toBeCloseTo(10 / 13);
  });
});

describe('lossChartSvg', () => {
  const rows = [0, 100, 200, 300].map((epoch, i) => ({ epoch, step: epoch, train_loss: 2 / 10 ** i, train_accuracy: 0.5, test_loss: 3 / 10 ** i, test_accuracy: 0.5 }));

  it('one line per loss column at its values, in the legend colours; titles; log axis at the powers of ten', () => {
    const chart = lossChart('xor', 'cross_entropy', Object.keys(rows[0]), rows);
    const svg = lossChartSvg(chart);
    const [train, test] = lines(svg);
    expect([train.stroke, test.stroke]).toEqual(['#4c78a8', '#f58518']);
    const y = (v: number) => H - ((Math.log10(v) + 3) / 4) * H; // domain 1e-3 … 10
    const near = (points: [number, number][], expected: [number, number][]) =>
      points.forEach(([px, py], i) => (expect(px).toBeCloseTo(expected[i][0], 3), expect(py).toBeCloseTo(expected[i][1], 3)));
    near(train.points, rows.map((r) => [(r.epoch / 300) * W, y(r.train_loss)]));
    near(test.points, rows.map((r) => [(r.epoch / 300) * W, y(r.test_loss)]));
    expect(texts(svg)).toEqual(expect.arrayContaining(['xor: cross_entropy loss by epoch', 'epoch', 'cross_entropy loss (log scale)', 'train_loss', 'test_loss', '0.001', '0.01', '0.1', '1', '10']));
    expect(svg.match(/<circle [^>]*r="2.739"/g)).toHaveLength(8); // short logs get points
    expect(lossChartSvg(chart)).toBe(svg);
  });

  it('breaks a line where a value cannot be drawn, and never writes NaN', () => {
    const chart: LossChart = { title: 't', yTitle: 'y', series: ['train_loss'], points: false, values: [1, NaN, 3, 4].map((loss, epoch) => ({ epoch, series: 'train_loss', loss })) };
    const [line] = lines(lossChartSvg(chart));
    expect(line.parts).toBe(2);
    expect(line.points).toHaveLength(3);
    expect(lossChartSvg({ ...chart, values: [] })).not.toMatch(/NaN|Infinity/);
  });

  it('any loss log: every vertex inside the plot where d3 puts it, one per drawable value, no NaN', () => {
    const row = fc.record({ train_loss: fc.double({ min: 1e-12, max: 1e6, noNaN: true }), test_loss: fc.double({ min: 0, max: 1e6, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 60 }), fc.integer({ min: 1, max: 50 }), (cells, every) => {
        const log = cells.map((c, i) => ({ epoch: i * every, step: i, ...c }));
        const chart = lossChart('run', 'mse', ['epoch', 'step', 'train_loss', 'test_loss'], log);
        const svg = lossChartSvg(chart);
        expect(svg).not.toMatch(/NaN|Infinity/);
        const x = d3.scaleLinear().domain([0, (log.length - 1) * every]).nice(); // Vega's nice: true
        for (const [k, line] of lines(svg).entries()) {
          expect(line.points).toHaveLength(log.length);
          line.points.forEach(([px, py], i) => {
            expect(px).toBeCloseTo(((log[i].epoch - x.domain()[0]) / (x.domain()[1] - x.domain()[0])) * W, 2);
            expect(py).toBeGreaterThanOrEqual(0);
            expect(py).toBeLessThanOrEqual(H);
            const other = line.points.findIndex((_, j) => chart.values[2 * j + k].loss > chart.values[2 * i + k].loss);
            if (other >= 0) expect(line.points[other][1]).toBeLessThan(py + 1e-3); // a larger loss is drawn higher
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('lossChartSvg: the best epoch', () => {
  it('a dashed rule at the best epoch, labelled, when early stopping kept its weights; none otherwise', () => {
    const rows = [0, 10, 20, 30, 40].map((epoch) => ({ epoch, step: epoch, train_loss: 1 / (1 + epoch), validation_loss: 1 / (1 + epoch) + epoch / 100 }));
    const columns = ['epoch', 'step', 'train_loss', 'validation_loss'];
    const svg = lossChartSvg(lossChart('diabetes/seed=3', 'mse', columns, rows, 20));
    const rule = /<line class="best" x1="([\d.]+)" y1="0" x2="[\d.]+" y2="320" stroke="#666" stroke-width="1" stroke-dasharray="4,4"\/>/.exec(svg);
    expect(Number(rule![1])).toBeCloseTo((20 / 40) * W + 0.5, 3);
    expect(texts(svg)).toEqual(expect.arrayContaining(['diabetes/seed=3: mse loss by epoch', 'best epoch 20 (weights kept)']));
    expect(lossChartSvg(lossChart('diabetes', 'mse', columns, rows))).not.toContain('class="best"');
  });
});
