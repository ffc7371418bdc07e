// Vega-Lite specs for mlplab's charts: one run's loss curves (loss.vl.json; its LossChart is what svgchart.ts draws
// as loss.svg without Vega, with the drawn values and widened domains both take from here) and several groups'
// curves overlaid with their seed spread as a band (compare.svg). Plain objects only: rendering compare's specs to
// SVG is render.ts's, and each spec is written beside its SVG so it opens in any Vega editor.

import { scaleLinear } from 'd3-scale';
import type { TopLevelSpec } from 'vega-lite';
import type { LogRow } from '../files/losslog.js';
import { formatNumber } from './table.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One x position of a group's curve: the mean over the runs that logged this epoch (those still training),
 *  the band's ends (min and max over them), and how many they are. */
export interface CurvePoint {
  epoch: number;
  mean: number;
  min: number;
  max: number;
  /** Runs averaged here: fewer than the group's once some have stopped (early stopping). */
  n: number;
}

/** A run of the group that stopped early: where, its value there, and a sentence for its tooltip. */
export interface RunStop {
  epoch: number;
  value: number;
  text: string;
}

/** A group's curve, in the order the legend shows it. */
export interface GroupCurve {
  label: string;
  /** Runs in the group (seeds). */
  n: number;
  points: CurvePoint[];
  /** Its runs that stopped early (none without early stopping). */
  stops?: RunStop[];
}

export interface CompareChartOptions {
  /** The loss-log column plotted (train_loss, test_loss, …). */
  metric: string;
  /** Logarithmic y axis (points ≤ 0 cannot be shown on it and are left out). */
  logScale?: boolean;
  title?: string;
}

const SIZE = { width: 560, height: 320 } as const;
/** compare's charts: wider, the legend beside them (compare.html scales them to its grid's columns). */
const COMPARE_SIZE = { width: 600, height: 320 } as const;
/** Hover points per chart, shared among its curves (each gets at least 8, and every point where its run
 *  count drops): each is an SVG element with its <title>, and Vega's time and the page's size grow with them. */
const TOOLTIP_POINTS = 600;

/**
 * A legend's labelLimit (px): 260, or wider where that would cut two labels alike (a three-key sweep's labels
 * differ only in their last value: 'units=4, learning_rate=0.01, activation=relu' and '…=tanh'). Vega cuts a
 * label to the longest start narrower than the limit less its '…', measuring text in Node by its estimate,
 * ⌊0.8 · font size · characters⌋ (vega-scenegraph), so the SVG carries the cut text wherever it is shown.
 */
export function legendLabelLimit(labels: readonly string[], fontSize: number): number {
  const sorted = [...labels].sort();
  let common = 0; // the longest start two labels share
  for (let i = 1; i < sorted.length; i++) {
    let k = 0;
    while (k < sorted[i - 1].length && sorted[i - 1][k] === sorted[i][k]) k++;
    common = Math.max(common, k);
  }
  return Math.max(260, Math.ceil(0.8 * fontSize * (common + 2)) + 1); // room for one character more, and the '…'
}

/** 10 distinct colours while they suffice, 20 beyond (the legend names every group either way). */
function colourScheme(groups: number): 'tableau10' | 'tableau20' {
  return groups <= 10 ? 'tableau10' : 'tableau20';
}

function yScale(logScale: boolean): { type: 'log' | 'linear'; zero?: boolean } {
  return logScale ? { type: 'log' } : { type: 'linear', zero: false };
}

/**
 * The y axis: on a log scale spanning two decades or more, ticks and grid lines at powers of ten only (at
 * most 6 labels, the tickCount: every 2nd, 3rd, … power on wide ranges), instead of Vega's 1–9 ticks in every
 * decade. NOTE: no more values than tickCount: Vega keeps every other one of more (vega-scale validTicks).
 */
function yAxis(logScale: boolean, values: readonly number[]): { tickCount: number; grid: true; values?: number[] } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!logScale || positive.length === 0) return { tickCount: 6, grid: true };
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  if (hi - lo < 2) return { tickCount: 6, grid: true };
  const step = Math.ceil((hi - lo + 1) / 6);
  const decades: number[] = [];
  for (let k = hi; k >= lo; k -= step) decades.unshift(Number(`1e${k}`));
  return { tickCount: 6, grid: true, values: decades };
}

const xEpoch = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickCount: 8, grid: true } } as const;

/** The points of a curve that get a hover tooltip: about `budget` evenly, the last, and each drop in n. */
function tooltipPoints(points: readonly CurvePoint[], budget: number): CurvePoint[] {
  const every = Math.max(1, Math.ceil(points.length / budget));
  return points.filter((p, i) => i % every === 0 || i === points.length - 1 || (i > 0 && p.n < points[i - 1].n));
}

/**
 * The groups' curves overlaid: the mean as a line, min–max over the runs still training as a translucent band,
 * one colour per group (legend beside, in the groups' order); "n = k" where a group's run count drops; a
 * cross where a run stopped early; and hover tooltips (SVG <title>, see render.ts's svgTitles) on points
 * along each curve and on each cross.
 */
export function compareChartSpec(groups: readonly GroupCurve[], options: CompareChartOptions): TopLevelSpec {
  const logScale = options.logScale === true;
  const shown = (p: { min: number; mean: number }) => !logScale || (p.min > 0 && p.mean > 0);
  const tip = (g: GroupCurve, p: CurvePoint) =>
    `${g.label}, epoch ${p.epoch}: ${options.metric} ${formatNumber(p.mean)}` + (p.n > 1 ? ` (mean of ${p.n} runs, ${formatNumber(p.min)} to ${formatNumber(p.max)})` : p.n < g.n ? ' (1 run still training)' : '');
  const values = groups.flatMap((g) => g.points.filter(shown).map((p) => ({ group: g.label, ...p })));
  const budget = Math.max(8, Math.floor(TOOLTIP_POINTS / Math.max(1, groups.length)));
  const hover = groups.flatMap((g) => tooltipPoints(g.points.filter(shown), budget).map((p) => ({ group: g.label, epoch: p.epoch, mean: p.mean, tip: tip(g, p) })));
  const drops = groups.flatMap((g) =>
    g.points.filter(shown).flatMap((p, i, ps) => (i > 0 && p.n < ps[i - 1].n ? [{ group: g.label, epoch: p.epoch, mean: p.mean, label: `n = ${p.n}` }] : [])),
  );
  const stops = groups.flatMap((g) => (g.stops ?? []).filter((s) => !logScale || s.value > 0).map((s) => ({ group: g.label, epoch: s.epoch, mean: s.value, tip: s.text })));
  // A curve of one shown point (one logged epoch: training.epochs 0) is a line Vega draws as nothing: a dot instead.
  const singles = groups.flatMap((g) => {
    const ps = g.points.filter(shown);
    return ps.length === 1 ? [{ group: g.label, epoch: ps[0].epoch, mean: ps[0].mean }] : [];
  });
  const labels = groups.map((g) => g.label);
  const axis = yAxis(logScale, values.flatMap((v) => [v.min, v.max]));
  const y = { field: 'mean', type: 'quantitative', scale: yScale(logScale), title: options.metric + (logScale ? ' (log scale)' : ''), axis } as const;
  const layer = (rows: object[], spec: object) => (rows.length === 0 ? [] : [{ data: { values: rows }, ...spec }]);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? `${options.metric} by epoch: mean over the runs still training, band = min–max`,
    ...COMPARE_SIZE,
    encoding: {
      x: xEpoch,
      color: {
        field: 'group',
        type: 'nominal',
        title: 'group',
        sort: labels,
        scale: { scheme: colourScheme(groups.length), domain: labels },
        legend: { orient: 'right', labelLimit: legendLabelLimit(labels, 12), symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3, labelFontSize: 12 },
      },
    },
    layer: [
      { data: { values }, mark: { type: 'area', opacity: 0.2, aria: false }, encoding: { y: { ...y, field: 'min' }, y2: { field: 'max' } } },
      { data: { values }, mark: { type: 'line', strokeWidth: 2 }, encoding: { y, description: { field: 'group' } } },
      ...layer(hover, { mark: { type: 'point', size: 80, filled: true, opacity: 0 }, encoding: { y, description: { field: 'tip' } } }),
      ...layer(drops, { mark: { type: 'text', dy: -9, fontSize: 10, aria: false }, encoding: { y, text: { field: 'label' } } }),
      ...layer(stops, { mark: { type: 'point', shape: 'cross', size: 70, filled: true, opacity: 0.9 }, encoding: { y, description: { field: 'tip' } } }),
      ...layer(singles, { mark: { type: 'point', size: 60, filled: true, opacity: 1 }, encoding: { y, description: { field: 'group' } } }),
    ],
  } as TopLevelSpec;
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
  /** Early stopping put this epoch's weights back: a dashed rule there, labelled. */
  best?: { epoch: number; label: string };
}

/** A loss chart's y axis is logarithmic when its values, lo to hi, are positive and span more than two decades. */
export function spansTwoDecades(lo: number, hi: number): boolean {
  return lo > 0 && lo < Infinity && hi / lo > 100;
}

/**
 * One run's loss curves (one line per loss column). The y axis is logarithmic when every value is positive
 * and they span more than two decades, as a loss falling towards zero does; linear otherwise.
 */
export function lossChart(name: string, lossName: string, columns: readonly string[], rows: readonly LogRow[], bestEpoch?: number): LossChart {
  const series = lossColumns(columns);
  const values = rows.flatMap((r) => series.map((s) => ({ epoch: r.epoch, series: s, loss: r[s] })));
  const finite = values.map((v) => v.loss).filter(Number.isFinite);
  const logScale = spansTwoDecades(Math.min(...finite), Math.max(...finite));
  return {
    title: `${name}: ${lossName} loss by epoch`,
    yTitle: `${lossName} loss${logScale ? ' (log scale)' : ''}`,
    series,
    values,
    // NOTE: a ratio above 100 spans at least 3 decades once rounded out to powers of ten: yAxis gives values.
    ...(logScale ? { log: { ticks: yAxis(true, finite).values! } } : {}),
    points: rows.length <= 30,
    ...(bestEpoch === undefined ? {} : { best: { epoch: bestEpoch, label: `best epoch ${bestEpoch} (weights kept)` } }),
  };
}

/** The values a loss chart draws: finite, and positive on a log axis. */
export const drawableIn = (chart: LossChart) => (v: LossChart['values'][number]) => Number.isFinite(v.loss) && Number.isFinite(v.epoch) && (!chart.log || v.loss > 0);

/** The drawn values, and their epochs and losses, lowest and highest (Infinity, -Infinity when none). */
export function extents(chart: LossChart): { drawn: LossChart['values']; epochs: [number, number]; losses: [number, number] } {
  const drawn = chart.values.filter(drawableIn(chart));
  const extent = (f: (v: (typeof drawn)[number]) => number): [number, number] => [Math.min(...drawn.map(f)), Math.max(...drawn.map(f))];
  return { drawn, epochs: extent((v) => v.epoch), losses: extent((v) => v.loss) };
}

/** A linear domain of one value (lo = hi) or none (lo > hi) widened to an axis around it: [0, 1] for none or 0,
 *  else half the value either side; rounded out as Vega's nice: true does (d3's nice(), 10 ticks). */
export function widen(lo: number, hi: number): [number, number] {
  const [a, b] = !(lo <= hi) || (lo === 0 && hi === 0) ? [0, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  return scaleLinear().domain([a, b]).nice().domain() as [number, number];
}

/** The linear domains loss.svg widens because they hold one value or none (one logged epoch, training.epochs 0;
 *  a constant loss): the spec gives them to Vega, which would draw such a domain as a point (every value in the
 *  middle, one label "0.000000"), so that loss.vl.json draws what loss.svg (svgchart.ts) shows. */
function widenedDomains(chart: LossChart): { x?: [number, number]; y?: [number, number] } {
  const { epochs, losses } = extents(chart);
  const x = epochs[0] < epochs[1] ? undefined : widen(...epochs);
  const y = chart.log || losses[0] < losses[1] ? undefined : widen(...losses);
  return { ...(x ? { x } : {}), ...(y ? { y } : {}) };
}

/** The loss chart as a Vega-Lite spec (loss.vl.json). */
export function lossChartSpec(name: string, lossName: string, columns: readonly string[], rows: readonly LogRow[], bestEpoch?: number): TopLevelSpec {
  const chart = lossChart(name, lossName, columns, rows, bestEpoch);
  const axis = chart.log ? { tickCount: 6, grid: true, values: chart.log.ticks } : { tickCount: 6, grid: true };
  const widened = widenedDomains(chart);
  const lines = {
    mark: { type: 'line', strokeWidth: 2, point: chart.points },
    encoding: {
      x: widened.x ? { ...xEpoch, scale: { domain: widened.x } } : xEpoch,
      y: { field: 'loss', type: 'quantitative', scale: { ...yScale(chart.log !== undefined), ...(widened.y ? { domain: widened.y } : {}) }, title: chart.yTitle, axis },
      color: { field: 'series', type: 'nominal', title: null, sort: chart.series, scale: { scheme: 'tableau10' }, legend: { orient: 'top-right' } },
    },
  } as const;
  const top = { $schema: VEGA_LITE_SCHEMA, title: chart.title, ...SIZE, data: { values: chart.values } };
  if (chart.best === undefined) return { ...top, ...lines } as TopLevelSpec;
  const rule = {
    data: { values: [{ epoch: chart.best.epoch, label: chart.best.label }] },
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#666' }, encoding: { x: { field: 'epoch', type: 'quantitative' } } },
      { mark: { type: 'text', align: 'left', dx: 4, dy: 6, fontSize: 10, color: '#444' }, encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
    ],
  };
  return { ...top, layer: [lines, rule] } as TopLevelSpec;
}
