// Sweep response charts (runner/response.ts → report/response.ts): one per swept key with two values or more
// (seed and sample aside), each setting a point at its value with its mean and interval, a log axis for
// positive numbers spanning a decade, lines joining the settings that differ only in that key; none for runs
// outside a sweep; with three swept keys or more, a parallel-coordinates chart of the runs. Through compare():
// the figures on the page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare } from '../src/index.js';
import { parallelChartSpec, responseChartSpec } from '../src/report/response.js';
import { renderSvg, svgTitles } from '../src/report/render.js';
import type { GroupSummary } from '../src/report/table.js';
import { parallelChart, responseCharts } from '../src/runner/response.js';
import { tempDirs } from './helpers/cli.js';

const tempDir = tempDirs('mlplab-response');

const group = (label: string, mean: number, ci?: [number, number]): GroupSummary => ({
  label, n: ci ? 3 : 1, seeds: [1], stats: { test_accuracy: { mean, n: ci ? 3 : 1, ...(ci ? { ci } : {}) } }, best: false, tied: false, dirs: [],
});

describe('responseCharts', () => {
  const grid = [0.001, 0.01, 0.1].flatMap((lr) => ['tanh', 'relu'].map((act) => ({ lr, act })));
  const groups = grid.map(({ lr, act }, i) => ({
    summary: group(`lr=${lr}, act=${act}`, 0.5 + i / 20, [0.4 + i / 20, 0.6 + i / 20]),
    swept: { 'training.optimizer.learning_rate': lr, 'model.layers.0.activation': act, seed: 1 },
  }));

  it('a chart per swept key but seed: points with intervals, log axis for a decade, a line per other value', () => {
    const charts = responseCharts(groups, 'test_accuracy', 0.05);
    expect(charts.map((c) => c.key)).toEqual(['training.optimizer.learning_rate', 'model.layers.0.activation']);
    const [lr, act] = charts;
    expect([lr.numeric, lr.log, lr.lines, lr.level]).toEqual([true, true, true, '95%']);
    expect(lr.points[1]).toEqual({ x: 0.001, mean: 0.55, low: 0.45, high: 0.65, n: 3, series: 'activation=relu', label: 'lr=0.001, act=relu' });
    expect([act.numeric, act.log, act.lines, act.order]).toEqual([false, false, true, ['relu', 'tanh']]);
    expect(act.points[0].series).toBe('learning_rate=0.001');
  });

  it('none for groups outside a sweep, a key with one value, or a single group', () => {
    expect(responseCharts([{ summary: group('a', 1) }, { summary: group('b', 2) }], 'test_accuracy', 0.05)).toEqual([]);
    expect(responseCharts(groups.map((g) => ({ ...g, swept: { ...g.swept, 'model.layers.0.activation': 'tanh' } })), 'test_accuracy', 0.05).map((c) => c.key)).toEqual(['training.optimizer.learning_rate']);
    expect(responseCharts(groups.slice(0, 1), 'test_accuracy', 0.05)).toEqual([]);
  });

  it('the spec draws a bar per interval, a dot per setting with its tooltip, lines per series; Vega renders it', async () => {
    const [lr] = responseCharts(groups, 'test_accuracy', 0.05);
    const spec = responseChartSpec(lr) as unknown as { encoding: { x: { scale: { type: string }; title: string } }; layer: { mark: { type: string } }[]; data: { values: { tip: string }[] } };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rule', 'line', 'point']);
    expect(spec.encoding.x).toMatchObject({ title: 'learning_rate (log scale)', scale: { type: 'log' } });
    expect(spec.data.values[1].tip).toBe('lr=0.001, act=relu: test_accuracy 0.55 [0.45, 0.65] over 3 runs');
    const svg = await renderSvg(spec as never);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(6);
  });
});

describe('compare(): response figures', () => {
  it('a sweep gets one figure per swept key below the curves', async () => {
    const root = tempDir();
    for (const units of [2, 4, 8]) {
      for (const seed of [1, 2]) {
        const dir = join(root, `units=${units},seed=${seed}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ name: 'x', seed, model: { layers: [{ units }] } }));
        writeFileSync(join(dir, 'run.json'), JSON.stringify({ name: 'x', seed, status: 'completed', final: { test_accuracy: units / 10 + seed / 100 }, sweep: { values: { 'model.layers.0.units': units, seed } } }));
        writeFileSync(join(dir, 'loss.csv'), 'epoch,step,train_loss\n0,0,1\n1,1,0.5\n');
      }
    }
    const result = await compare([root], { out: false });
    expect(result.responses.map((r) => [r.key, r.points.map((p) => p.x)])).toEqual([['model.layers.0.units', [8, 4, 2]]]);
    expect(result.page).toContain('<figure id="response-model.layers.0.units">');
    expect(result.page).toContain('test_accuracy against model.layers.0.units: each setting');
  });
});

describe('parallelChart', () => {
  const runs = [
    { label: 'r0', swept: { lr: 0.001, units: 4, act: 'tanh', seed: 0 }, metric: 0.5 },
    { label: 'r1', swept: { lr: 0.1, units: 8, act: 'relu', seed: 0 }, metric: 0.9 },
    { label: 'r2', swept: { lr: 0.01, units: 6, act: 'relu', seed: 1 }, metric: 0.7 },
  ];
  it('three swept keys or more: each run on each axis (log where a decade is spanned, categories in order)', () => {
    const chart = parallelChart(runs, 'test_accuracy', true)!;
    expect(chart.keys).toEqual(['lr', 'units', 'act']);
    const pos = (run: string, key: string) => chart.rows.find((r) => r.run === run && r.key === key)!.pos;
    expect([pos('r0', 'lr'), pos('r2', 'lr'), pos('r1', 'lr')]).toEqual([0, 0.5, 1].map((p) => expect.closeTo(p, 12)));
    expect([pos('r0', 'units'), pos('r2', 'units'), pos('r1', 'units')]).toEqual([0, 0.5, 1]);
    expect([pos('r1', 'act'), pos('r0', 'act')]).toEqual([0, 1]); // relu, tanh
    expect(chart.ticks.filter((t) => t.key === 'lr').map((t) => t.text)).toEqual(['0.001', '0.1 (log)']);
    expect(chart.rows.find((r) => r.run === 'r1')!.metric).toBe(0.9);
  });
  it('none with fewer than three varying keys (seed aside) or runs outside a sweep', () => {
    expect(parallelChart(runs.map((r) => ({ ...r, swept: { lr: r.swept.lr, units: r.swept.units, seed: r.swept.seed } })), 'm', true)).toBeUndefined();
    expect(parallelChart([...runs, { label: 'plain', metric: 1 }], 'm', true)).toBeUndefined();
  });
  it('its spec: a line per run coloured by the metric, with its tooltip; Vega renders it', async () => {
    const spec = parallelChartSpec(parallelChart(runs, 'test_accuracy', true)!) as unknown as { layer: { mark: { type: string } }[] };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rule', 'line', 'text']);
    const svg = svgTitles(await renderSvg(spec as never));
    expect(svg).toContain('<title>r1: test_accuracy 0.9</title>');
  });
});

describe('two sweeps compared together (mlplab compare results/): a key the other sweep did not sweep', () => {
  // Sweep p swept units and act; sweep q swept units and momentum. A group of q has no value of act: its point
  // was drawn at an x category "undefined" (JSON.stringify(undefined), String'd), which also turned a numeric key
  // into categories; the parallel chart put q's runs at "undefined" on act's axis.
  const groups = [
    ...[4, 16].flatMap((units) => ['relu', 'tanh'].map((act) => ({ units, act }))),
    ...[4, 16].flatMap((units) => [0.5, 0.9].map((momentum) => ({ units, momentum }))),
  ].map((swept, i) => ({ summary: group(`g${i}`, 0.5 + i / 20, [0.4 + i / 20, 0.6 + i / 20]), swept: { ...swept, seed: 1 } }));

  it('a response chart draws only the groups that swept its key, a numeric key on a numeric axis', () => {
    const charts = responseCharts(groups, 'test_accuracy', 0.05);
    expect(charts.map((c) => c.key)).toEqual(['units', 'act', 'momentum']);
    const [units, act, momentum] = charts;
    expect(units.points).toHaveLength(8);
    expect(units.numeric).toBe(true);
    expect(act.points.map((p) => p.x)).toEqual(['relu', 'tanh', 'relu', 'tanh']);
    expect(act.order).toEqual(['relu', 'tanh']);
    expect([momentum.numeric, momentum.points.map((p) => p.x)]).toEqual([true, [0.5, 0.9, 0.5, 0.9]]);
  });

  it('the parallel chart takes only the keys every run swept', () => {
    const runs = groups.flatMap((g, i) => [0, 1].map((seed) => ({ label: `r${i}-${seed}`, swept: { ...g.swept, lr: 0.1 * (1 + (i % 3)), seed }, metric: g.summary.stats.test_accuracy.mean })));
    expect(parallelChart(runs, 'test_accuracy', true)).toBeUndefined(); // units and lr only
    const withOptimizer = runs.map((r, i) => ({ ...r, swept: { ...r.swept, optimizer: i % 2 ? 'adam' : 'sgd' } }));
    const chart = parallelChart(withOptimizer, 'test_accuracy', true)!;
    expect(chart.keys).toEqual(['units', 'lr', 'optimizer']);
    expect(chart.ticks.map((t) => t.text)).not.toContain('undefined');
  });
});
