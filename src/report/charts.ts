// Vega-Lite specs for mlplab's charts: one run's loss curves (loss.svg) and several groups' curves overlaid
// with their seed spread as a band (compare.svg). Plain objects only: rendering them to SVG is render.ts's,
// and the spec is written beside the SVG so it opens in any Vega editor.

import type { TopLevelSpec } from 'vega-lite';
import type { LogRow } from '../files/losslog.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One x position of a group's curve: the mean over its runs, and the band's ends (min and max over runs). */
export interface CurvePoint {
  epoch: number;
  mean: number;
  min: number;
  max: number;
}

/** A group's curve, in the order the legend shows it. */
export interface GroupCurve {
  label: string;
  /** Runs averaged into it (seeds). */
  n: number;
  points: CurvePoint[];
}

export interface CompareChartOptions {
  /** The loss-log column plotted (train_loss, test_loss, …). */
  metric: string;
  /** Logarithmic y axis (points ≤ 0 cannot be shown on it and are left out). */
  logScale?: boolean;
  title?: string;
}

const SIZE = { width: 560, height: 320 } as const;

/** 10 distinct colours while they suffice, 20 beyond (the legend names every group either way). */
function colourScheme(groups: number): 'tableau10' | 'tableau20' {
  return groups <= 10 ? 'tableau10' : 'tableau20';
}

function yScale(logScale: boolean): { type: 'log' | 'linear'; zero?: boolean } {
  return logScale ? { type: 'log' } : { type: 'linear', zero: false };
}

/**
 * The y axis: on a log scale spanning two decades or more, ticks and grid lines at powers of ten only (at
 * most 8 labels: every 2nd, 3rd, … power on wide ranges), instead of Vega's 1–9 ticks in every decade.
 */
function yAxis(logScale: boolean, values: readonly number[]): { tickCount: number; grid: true; values?: number[] } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!logScale || positive.length === 0) return { tickCount: 6, grid: true };
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  if (hi - lo < 2) return { tickCount: 6, grid: true };
  const step = Math.ceil((hi - lo + 1) / 8);
  const decades: number[] = [];
  for (let k = hi; k >= lo; k -= step) decades.unshift(Number(`1e${k}`));
  return { tickCount: 6, grid: true, values: decades };
}

const xEpoch = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickCount: 8, grid: true } } as const;

/**
 * The groups' curves overlaid: the mean as a line, min–max over the group's runs as a translucent band, one
 * colour per group (legend in the groups' order).
 */
export function compareChartSpec(groups: readonly GroupCurve[], options: CompareChartOptions): TopLevelSpec {
  const logScale = options.logScale === true;
  const values = groups.flatMap((g) =>
    g.points.filter((p) => !logScale || (p.min > 0 && p.mean > 0)).map((p) => ({ group: g.label, n: g.n, ...p })),
  );
  const labels = groups.map((g) => g.label);
  const axis = yAxis(logScale, values.flatMap((v) => [v.min, v.max]));
  const y = { type: 'quantitative', scale: yScale(logScale), title: options.metric + (logScale ? ' (log scale)' : ''), axis } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? `${options.metric} by epoch: mean over seeds, band = min–max`,
    ...SIZE,
    data: { values },
    encoding: {
      x: xEpoch,
      color: {
        field: 'group',
        type: 'nominal',
        title: 'group',
        sort: labels,
        scale: { scheme: colourScheme(groups.length) },
        legend: { orient: 'bottom', direction: 'vertical', labelLimit: 520, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3, labelFontSize: 12 },
      },
    },
    layer: [
      { mark: { type: 'area', opacity: 0.2 }, encoding: { y: { ...y, field: 'min' }, y2: { field: 'max' } } },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          y: { ...y, field: 'mean' },
          tooltip: [{ field: 'group' }, { field: 'n' }, { field: 'epoch' }, { field: 'mean' }, { field: 'min' }, { field: 'max' }],
        },
      },
    ],
  };
}

/** Loss columns of a loss log (train_loss, test_loss, and any other *_loss). */
export function lossColumns(columns: readonly string[]): string[] {
  return columns.filter((c) => c.endsWith('_loss'));
}

/** One run's loss chart, as loss.vl.json (Vega-Lite) and loss.svg (svgchart.ts) both draw it. */
export interface LossChart {
  title: string;
  yTitle: string;
  /** The loss columns, in the legend's order (one line each, coloured in this order). */
  series: string[];
  values: { epoch: number; series: string; loss: number }[];
  /** Logarithmic y axis, with grid lines and labels at these powers of ten. */
  log?: { ticks: number[] };
  /** A dot at every logged row too (a short log). */
  points: boolean;
}

/**
 * One run's loss curves (one line per loss column). The y axis is logarithmic when every value is positive
 * and they span more than two decades, as a loss falling towards zero does; linear otherwise.
 */
export function lossChart(name: string, lossName: string, columns: readonly string[], rows: readonly LogRow[]): LossChart {
  const series = lossColumns(columns);
  const values = rows.flatMap((r) => series.map((s) => ({ epoch: r.epoch, series: s, loss: r[s] })));
  const finite = values.map((v) => v.loss).filter(Number.isFinite);
  const lo = Math.min(...finite);
  const logScale = finite.length > 0 && lo > 0 && Math.max(...finite) / lo > 100;
  return {
    title: `${name}: ${lossName} loss by epoch`,
    yTitle: `${lossName} loss${logScale ? ' (log scale)' : ''}`,
    series,
    values,
    // NOTE: a ratio above 100 spans at least 3 decades once rounded out to powers of ten: yAxis gives values.
    ...(logScale ? { log: { ticks: yAxis(true, finite).values! } } : {}),
    points: rows.length <= 30,
  };
}

/** The loss chart as a Vega-Lite spec (loss.vl.json). */
export function lossChartSpec(name: string, lossName: string, columns: readonly string[], rows: readonly LogRow[]): TopLevelSpec {
  const chart = lossChart(name, lossName, columns, rows);
  const axis = chart.log ? { tickCount: 6, grid: true, values: chart.log.ticks } : { tickCount: 6, grid: true };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chart.title,
    ...SIZE,
    data: { values: chart.values },
    mark: { type: 'line', strokeWidth: 2, point: chart.points },
    encoding: {
      x: xEpoch,
      y: { field: 'loss', type: 'quantitative', scale: yScale(chart.log !== undefined), title: chart.yTitle, axis },
      color: { field: 'series', type: 'nominal', title: null, sort: chart.series, scale: { scheme: 'tableau10' }, legend: { orient: 'top-right' } },
    },
  };
}
