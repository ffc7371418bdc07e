// Sweep response charts (runner/response.ts → report/response.ts): one per swept key with two values or more
// (seed and sample aside), each setting a point at its value with its mean and interval, a log axis for
// positive numbers spanning a decade, lines joining the settings that differ only in that key; none for runs
// outside a sweep. Through compare(): the figures on the page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare } from '../src/index.js';
import { responseChartSpec } from '../src/report/response.js';
import { renderSvg } from '../src/report/render.js';
import type { GroupSummary } from '../src/report/table.js';
import { responseCharts } from '../src/runner/response.js';
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
