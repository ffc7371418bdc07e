// loss.svg without Vega: a run's loss chart (charts.ts's LossChart, the one loss.vl.json holds) drawn as SVG text
// in Vega-Lite's default look; the scales, ticks and labels are d3-scale's and d3-format's (as Vega's are). It takes
// about a millisecond; loading and running Vega takes ≈50 ms even from a code cache. compare.svg is still Vega's.

import { format } from 'd3-format';
import { scaleLinear } from 'd3-scale';
import { drawableIn, extents, widen, type LossChart } from './charts.js';

const W = 560;
const H = 320;
const PAD = 5;
const TABLEAU10 = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
const FONT = 'font-family="sans-serif"';

/** An estimate of the width of text in sans-serif (no font metrics in Node). */
const textWidth = (text: string, size: number) => 0.6 * size * text.length;

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A coordinate with at most 3 decimals (as Vega writes them). */
const num = (v: number) => String(Math.round(v * 1000) / 1000 || 0);

export interface Axis {
  domain: [number, number];
  ticks: number[];
  labels: string[];
  /** Position of a value, from 0 (domain start) to 1 (domain end). */
  at(v: number): number;
}

/** A linear axis: [lo, hi] rounded out by d3's scale.nice() (Vega's `nice: true` calls it without a count, so 10,
 *  whatever the axis' tickCount), ticked and labelled as Vega-Lite's default axis does (d3's ticks(count) and
 *  tickFormat(count), i.e. ",.Nf": fixed decimals, thousands, a true minus). */
export function linearAxis(lo: number, hi: number, count: number): Axis {
  if (!(lo < hi)) [lo, hi] = widen(lo, hi); // one value, or none
  const scale = scaleLinear().domain([lo, hi]).nice();
  const [a, b] = scale.domain();
  const ticks = scale.ticks(count);
  return { domain: [a, b], ticks, labels: ticks.map(scale.tickFormat(count)), at: (v) => (v - a) / (b - a) };
}

/** A logarithmic axis over powers of ten, with labels at `ticks` (powers of ten too) as Vega writes given values
 *  (vega-format's formatFloat: ",", 12 digits, zeros trimmed: 0.001, 1e-7, 1,000, 10,000,000,000). */
export function logAxis(lo: number, hi: number, ticks: number[]): Axis {
  const [a, b] = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
  const [l0, l1] = [a, b > a ? b : a + 1];
  return { domain: [10 ** l0, 10 ** l1], ticks, labels: ticks.map(format(',.12~')), at: (v) => (Math.log10(v) - l0) / (l1 - l0) };
}

/** Vega's axis label limit in px (its default labelLimit), and the width it estimates for text in Node, where it
 *  has no font metrics (vega-scenegraph's estimateWidth: ⌊0.8 · font size · characters⌋). */
const LABEL_LIMIT = 180;
const vegaWidth = (text: string, size: number) => Math.floor(0.8 * size * text.length);

/** A label as Vega draws it: one as wide as the limit or wider cut to the longest start that fits with '…' (on
 *  that estimate: 23 characters or more of 10 px cut to 21 and '…', "100,000,000,000,000,0…"). Hand-written as
 *  vega-scenegraph's truncate (its search, the same result), which is not loaded here: loss.svg is drawn without Vega. */
export function vegaLabel(text: string, size = 10): string {
  if (vegaWidth(text, size) < LABEL_LIMIT) return text;
  const limit = LABEL_LIMIT - vegaWidth('…', size);
  let [lo, hi] = [0, text.length];
  while (lo < hi) {
    const mid = 1 + ((lo + hi) >>> 1);
    if (vegaWidth(text.slice(0, mid), size) < limit) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** An x label's anchor: flush with the plot at its ends (Vega-Lite's labelFlush), centred on its tick elsewhere. */
const xAnchor = (x: number, i: number, count: number) => (i === 0 && x <= 0 ? 'start' : i === count - 1 && x >= W ? 'end' : 'middle');

/** The x labels shown, as Vega's labelOverlap "parity" picks them: while two neighbours' boxes overlap, every other
 *  one is hidden (the first kept); left with fewer than 3 and the last label hidden, the last is shown instead of the
 *  last kept. The boxes are Vega's in Node: ⌊0.8 · font size · characters⌋ wide (vega-scenegraph's estimate), at
 *  the label's anchor. */
function shownLabels(xs: number[], labels: string[]): boolean[] {
  const box = xs.map((x, i) => {
    const w = vegaWidth(labels[i], 10);
    const anchor = xAnchor(x, i, xs.length);
    const x1 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
    return [x1, x1 + w];
  });
  const overlap = (idx: number[]) => idx.some((i, k) => k > 0 && box[i][0] - box[idx[k - 1]][1] < 0);
  let idx = xs.map((_, i) => i);
  if (idx.length >= 3 && overlap(idx)) {
    do idx = idx.filter((_, k) => k % 2 === 0);
    while (idx.length >= 3 && overlap(idx));
    const last = xs.length - 1;
    if (idx.length < 3 && !idx.includes(last)) idx = [...(idx.length > 1 ? idx.slice(0, -1) : idx), last];
  }
  return xs.map((_, i) => idx.includes(i));
}

const text = (x: number, y: number, size: number, anchor: string, body: string, extra = '') =>
  `<text x="${num(x)}" y="${num(y)}" text-anchor="${anchor}" ${FONT} font-size="${size}px"${extra} fill="#000">${escapeXml(body)}</text>`;

/** The chart as a standalone SVG document (deterministic: the same chart gives the same text). */
export function lossChartSvg(chart: LossChart): string {
  const drawable = drawableIn(chart);
  const {
    drawn: finite,
    epochs: [e0, e1],
    losses: [l0, l1],
  } = extents(chart);
  const xAxis = linearAxis(e0, e1, 8);
  const yAxis = chart.log && finite.length > 0 ? logAxis(l0, l1, chart.log.ticks) : linearAxis(l0, l1, 6);
  const X = (v: number) => xAxis.at(v) * W;
  const Y = (v: number) => H - yAxis.at(v) * H;
  const [xLabels, yLabels] = [xAxis.labels.map((l) => vegaLabel(l)), yAxis.labels.map((l) => vegaLabel(l))];
  const yLabelWidth = Math.max(0, ...yLabels.map((l) => textWidth(l, 10)));
  const left = PAD + 11 + 4 + yLabelWidth + 7;
  const top = PAD + 22;
  const width = Math.ceil(left + W + PAD + 1);
  const height = top + H + 37;
  const colour = (s: string) => TABLEAU10[chart.series.indexOf(s) % TABLEAU10.length];
  const out: string[] = [];
  const xs = xAxis.ticks.map(X);
  const shown = shownLabels(xs, xLabels);
  out.push(`<g class="grid" stroke="#ddd" stroke-width="1">`);
  for (const x of xs) out.push(`<line x1="${num(x + 0.5)}" y1="0" x2="${num(x + 0.5)}" y2="${H}"/>`);
  for (const t of yAxis.ticks) out.push(`<line x1="0" y1="${num(Y(t) + 0.5)}" x2="${W}" y2="${num(Y(t) + 0.5)}"/>`);
  out.push(`<path d="M0.5,0.5h${W}v${H}h-${W}Z"/>`, '</g>', `<g class="axis x" stroke="#888" stroke-width="1">`);
  out.push(`<line x1="0.5" y1="${H + 0.5}" x2="${W + 0.5}" y2="${H + 0.5}"/>`);
  for (const x of xs) out.push(`<line x1="${num(x + 0.5)}" y1="${H + 0.5}" x2="${num(x + 0.5)}" y2="${H + 5.5}"/>`);
  out.push('</g>', `<g class="axis y" stroke="#888" stroke-width="1">`, `<line x1="0.5" y1="0.5" x2="0.5" y2="${H + 0.5}"/>`);
  for (const t of yAxis.ticks) out.push(`<line x1="0.5" y1="${num(Y(t) + 0.5)}" x2="-4.5" y2="${num(Y(t) + 0.5)}"/>`);
  out.push('</g>', '<g class="labels">');
  xs.forEach((x, i) => {
    if (!shown[i]) return;
    out.push(text(x, H + 15, 10, xAnchor(x, i, xs.length), xLabels[i]));
  });
  yAxis.ticks.forEach((t, i) => out.push(text(-7, Y(t) + 3, 10, 'end', yLabels[i])));
  out.push(text(W / 2, H + 30, 11, 'middle', 'epoch', ' font-weight="bold"'));
  out.push(`<text transform="translate(${num(-(yLabelWidth + 13))},${H / 2}) rotate(-90)" text-anchor="middle" ${FONT} font-size="11px" font-weight="bold" fill="#000">${escapeXml(chart.yTitle)}</text>`);
  out.push(text(W / 2, -12, 13, 'middle', chart.title, ' font-weight="bold"'), '</g>');
  for (const s of chart.series) {
    // A line per series, broken where a value cannot be drawn (not finite; not positive on a log axis).
    let d = '';
    let pen = 'M';
    for (const v of chart.values) {
      if (v.series !== s) continue;
      if (!drawable(v)) pen = 'M';
      else (d += `${pen}${num(X(v.epoch))},${num(Y(v.loss))}`), (pen = 'L');
    }
    out.push(`<path class="line" d="${d}" stroke="${colour(s)}" stroke-width="2"/>`);
  }
  if (chart.points) for (const v of finite) out.push(`<circle cx="${num(X(v.epoch))}" cy="${num(Y(v.loss))}" r="2.739" fill="${colour(v.series)}"/>`);
  if (chart.best !== undefined && chart.best.epoch >= xAxis.domain[0] && chart.best.epoch <= xAxis.domain[1]) {
    const x = X(chart.best.epoch);
    out.push(`<line class="best" x1="${num(x + 0.5)}" y1="0" x2="${num(x + 0.5)}" y2="${H}" stroke="#666" stroke-width="1" stroke-dasharray="4,4"/>`);
    out.push(`<g class="best-label">${text(x + 4, 12, 10, 'start', chart.best.label, ' fill-opacity="0.85"').replace('fill="#000"', 'fill="#444"')}</g>`);
  }
  const labelWidth = Math.max(...chart.series.map((s) => textWidth(s, 10)));
  const row = chart.points ? 18 : 13;
  out.push(`<g class="legend" transform="translate(${num(W - 18 - 16 - labelWidth)},18)">`);
  chart.series.forEach((s, i) => {
    const symbol = chart.points
      ? `<circle cx="6" cy="${6 + i * row}" r="5" fill="${colour(s)}" stroke="${colour(s)}" stroke-width="1.5"/>`
      : `<line x1="1" y1="${6 + i * row}" x2="11" y2="${6 + i * row}" stroke="${colour(s)}" stroke-width="1.5"/>`;
    out.push(symbol, text(16, 9 + i * row, 10, 'start', s));
  });
  out.push('</g>');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<g fill="none" transform="translate(${num(left)},${top})">`,
    ...out,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
