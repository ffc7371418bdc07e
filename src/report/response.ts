// Sweep response charts: how the sorting metric responds to one swept key — each setting's mean with its
// confidence interval at the key's value, a log axis for positive numbers spanning a decade or more (learning
// rates), joined by a line per value of the other keys where each such line has two points or more, at most
// 10 colours. A plain Vega-Lite spec; the data (which settings, which intervals) is runner/response.ts's.

import type { TopLevelSpec } from 'vega-lite';
import { legendLabelLimit, VEGA_LITE_SCHEMA } from './charts.js';
import { formatNumber } from './table.js';

/** One setting (group) at its value of the key. */
export interface ResponsePoint {
  x: number | string;
  mean: number;
  low?: number;
  high?: number;
  n: number;
  /** The setting's values of the other swept keys (`units=8, activation=tanh`), '' when there are none. */
  series: string;
  /** The group's label, for the tooltip. */
  label: string;
}

export interface ResponseChart {
  /** The swept key as written (`training.optimizer.learning_rate`). */
  key: string;
  /** Its short name, as run IDs have it (`learning_rate`; `0.units` and `1.units` where two keys end alike). */
  name: string;
  metric: string;
  /** The interval's level, as text (95%). */
  level: string;
  points: ResponsePoint[];
  /** Numbers on the x axis (else each value a category, in natural order). */
  numeric: boolean;
  /** A log x axis: positive numbers spanning a decade or more. */
  log: boolean;
  /** Join each series' points with a line. */
  lines: boolean;
  /** Categories in order (strings only). */
  order?: string[];
}

export function responseChartSpec(chart: ResponseChart): TopLevelSpec {
  const series = [...new Set(chart.points.map((p) => p.series))];
  const coloured = series.length > 1 && series.length <= 10;
  const name = chart.name;
  const values = chart.points.map((p) => ({
    ...p,
    tip: `${p.label}: ${chart.metric} ${formatNumber(p.mean)}` + (p.low === undefined ? ` (${p.n} run${p.n > 1 ? 's' : ''})` : ` [${formatNumber(p.low)}, ${formatNumber(p.high!)}] over ${p.n} runs`),
  }));
  const x = chart.numeric
    ? { field: 'x', type: 'quantitative', title: name + (chart.log ? ' (log scale)' : ''), scale: chart.log ? { type: 'log' } : { zero: false }, axis: { grid: true } }
    : { field: 'x', type: 'ordinal', title: name, sort: chart.order, axis: { labelAngle: 0 } };
  const color = coloured ? { color: { field: 'series', type: 'nominal', title: null, sort: series, scale: { scheme: 'tableau10' }, legend: { orient: 'right', labelLimit: legendLabelLimit(series, 10) } } } : {};
  const y = { field: 'mean', type: 'quantitative', title: chart.metric, scale: { zero: false } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `${chart.metric} by ${name}: each setting's mean and ${chart.level} interval`,
    width: 420,
    height: 260,
    data: { values },
    encoding: { x, ...color },
    layer: [
      { transform: [{ filter: 'isValid(datum.low)' }], mark: { type: 'rule', strokeWidth: 1.5, aria: false }, encoding: { y: { ...y, field: 'low' }, y2: { field: 'high' } } },
      ...(chart.lines ? [{ mark: { type: 'line', strokeWidth: 1.5, opacity: 0.7, aria: false }, encoding: { y, detail: { field: 'series' } } }] : []),
      { mark: { type: 'point', filled: true, size: 50, opacity: 1 }, encoding: { y, description: { field: 'tip' } } },
    ],
  } as TopLevelSpec;
}

/** A parallel-coordinates chart of a sweep's runs: each swept key an axis (0 to 1: its smallest to largest
 *  value, on a log scale where it spans a decade; categories evenly), each run a line coloured by the metric. */
export interface ParallelChart {
  metric: string;
  /** The axes, short names, left to right. */
  keys: string[];
  /** Each run's place on each axis. */
  rows: { run: string; key: string; pos: number; text: string; metric: number }[];
  /** The values written along each axis (its ends, or each category). */
  ticks: { key: string; pos: number; text: string }[];
  higherIsBetter: boolean;
}

export function parallelChartSpec(chart: ParallelChart): TopLevelSpec {
  const x = { field: 'key', type: 'ordinal', sort: chart.keys, title: null, axis: { orient: 'bottom', labelAngle: 0, domain: false, ticks: false, labelFontWeight: 'bold', labelFontSize: 11 } } as const;
  const y = { field: 'pos', type: 'quantitative', scale: { domain: [-0.06, 1.06] }, axis: null } as const; // room for the end labels
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `Every run across the swept keys, coloured by ${chart.metric}${chart.higherIsBetter ? '' : ' (lower is better)'}`,
    width: Math.max(300, 140 * chart.keys.length),
    height: 260,
    layer: [
      { data: { values: chart.keys.map((key) => ({ key })) }, mark: { type: 'rule', color: '#bbb', aria: false }, encoding: { x } },
      {
        data: { values: chart.rows.map((r) => ({ ...r, tip: `${r.run}: ${chart.metric} ${formatNumber(r.metric)}` })) },
        mark: { type: 'line', strokeWidth: 1.5, opacity: 0.6 },
        encoding: {
          x,
          y,
          detail: { field: 'run' },
          color: { field: 'metric', type: 'quantitative', title: chart.metric, scale: { scheme: 'viridis', reverse: !chart.higherIsBetter } },
          description: { field: 'tip' },
        },
      },
      { data: { values: chart.ticks }, mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#333', aria: false }, encoding: { x, y, text: { field: 'text' } } },
    ],
  } as TopLevelSpec;
}
