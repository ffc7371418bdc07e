// The chart specs (structure: layers, encodings, scales, legend order) and their SVG rendering by Vega in
// Node (axis titles, tick labels, one legend label and one line per group, deterministic output).
import { describe, expect, it } from 'vitest';
import { compareChartSpec, lossChartSpec, type GroupCurve } from '../../src/report/charts.js';
import { renderSvg, svgTitles } from '../../src/report/render.js';
import { tableText } from '../../src/report/table.js';

const curve = (label: string, n: number, scale: number): GroupCurve => ({
  label,
  n,
  points: [0, 10, 20, 30].map((epoch) => ({ epoch, mean: scale / (1 + epoch), min: (0.8 * scale) / (1 + epoch), max: (1.2 * scale) / (1 + epoch), n })),
});
const GROUPS = [curve('alpha-relu', 3, 1), curve('beta-tanh', 2, 2), curve('gamma-sigmoid', 1, 0.5)];

type Layer = { mark: { type: string }; data: { values: Record<string, unknown>[] }; encoding: Record<string, { field?: string; scale?: { type: string } }> };

describe('compareChartSpec', () => {
  const spec = compareChartSpec(GROUPS, { metric: 'train_loss' }) as unknown as {
    encoding: { x: { field: string; title: string }; color: { field: string; sort: string[]; legend: { orient: string } } };
    layer: Layer[];
  };

  it('draws a band (min to max), a mean line and hover points per group, coloured by group in the groups order, legend beside', () => {
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['area', 'line', 'point']);
    expect(spec.layer[0].encoding.y.field).toBe('min');
    expect(spec.layer[0].encoding.y2.field).toBe('max');
    expect(spec.layer[1].encoding.y.field).toBe('mean');
    expect(spec.layer[2].encoding.description.field).toBe('tip');
    expect(spec.encoding.color.field).toBe('group');
    expect(spec.encoding.color.sort).toEqual(['alpha-relu', 'beta-tanh', 'gamma-sigmoid']);
    expect(spec.encoding.color.legend.orient).toBe('right');
    expect(spec.encoding.x).toMatchObject({ field: 'epoch', title: 'epoch' });
    expect(spec.layer[0].data.values).toHaveLength(3 * 4);
    expect(spec.layer[0].data.values[5]).toEqual({ group: 'beta-tanh', n: 2, epoch: 10, mean: 2 / 11, min: 1.6 / 11, max: 2.4 / 11 });
    expect(spec.layer[2].data.values[5].tip).toBe('beta-tanh, epoch 10: train_loss 0.1818 (mean of 2 runs, 0.1455 to 0.2182)');
  });

  it('where runs stop early: "n = k" where the count drops, a cross per stopped run with its sentence', () => {
    const points = [0, 10, 20, 30].map((epoch, i) => ({ epoch, mean: 1 / (1 + epoch), min: 0.5 / (1 + epoch), max: 2 / (1 + epoch), n: [3, 3, 2, 1][i] }));
    const stops = [{ epoch: 13, value: 0.07, text: 'runs/a (seed 1): stopped early at epoch 13' }, { epoch: 24, value: 0.04, text: 'runs/b (seed 2): stopped early at epoch 24' }];
    const s = compareChartSpec([{ label: 'g', n: 3, points, stops }], { metric: 'train_loss' }) as unknown as { layer: Layer[] };
    expect(s.layer.map((l) => l.mark.type)).toEqual(['area', 'line', 'point', 'text', 'point']);
    expect(s.layer[3].data.values.map((v) => [v.epoch, v.label])).toEqual([[20, 'n = 2'], [30, 'n = 1']]);
    expect(s.layer[4].data.values.map((v) => [v.epoch, v.mean, v.tip])).toEqual(stops.map((x) => [x.epoch, x.value, x.text]));
    expect((s.layer[4].mark as unknown as { shape: string }).shape).toBe('cross');
  });

  it('a log scale uses a log y axis and leaves out points that it cannot show', () => {
    const withZero: GroupCurve = { label: 'z', n: 1, points: [{ epoch: 0, mean: 1, min: 1, max: 1, n: 1 }, { epoch: 1, mean: 0, min: 0, max: 0, n: 1 }] };
    const log = compareChartSpec([withZero], { metric: 'train_loss', logScale: true }) as unknown as { layer: Layer[] };
    expect(log.layer.map((l) => l.encoding.y.scale?.type)).toEqual(['log', 'log', 'log', 'log']); // the last: a dot for the one point left
    expect(log.layer[0].data.values).toHaveLength(1);
    const linear = compareChartSpec([withZero], { metric: 'train_loss' }) as unknown as { layer: Layer[] };
    expect(linear.layer[1].encoding.y.scale?.type).toBe('linear');
  });
});

describe('lossChartSpec', () => {
  const rows = [0, 1, 2].map((epoch) => ({ epoch, step: epoch, train_loss: 10 ** -epoch * 2, train_accuracy: 0.5, test_loss: 10 ** -epoch * 3, test_accuracy: 0.5 }));
  it('one line per loss column, log y when the losses span more than two decades', () => {
    const spec = lossChartSpec('xor', 'cross_entropy', Object.keys(rows[0]), rows) as unknown as {
      data: { values: { series: string }[] };
      encoding: { y: { scale: { type: string }; title: string; axis: { values?: number[] } }; color: { sort: string[] } };
    };
    expect(spec.encoding.color.sort).toEqual(['train_loss', 'test_loss']);
    expect(spec.data.values.map((v) => v.series)).toEqual(['train_loss', 'test_loss', 'train_loss', 'test_loss', 'train_loss', 'test_loss']);
    expect(spec.encoding.y.scale.type).toBe('log'); // 3 / 0.02 = 150 > 100
    expect(spec.encoding.y.axis.values).toEqual([0.01, 0.1, 1, 10]); // 0.02 … 3
    const flat = lossChartSpec('xor', 'mse', ['epoch', 'step', 'train_loss'], rows.map((r) => ({ ...r, train_loss: 1 + r.epoch }))) as unknown as typeof spec;
    expect(flat.encoding.y.scale.type).toBe('linear');
    expect(flat.encoding.y.axis.values).toBeUndefined();
    expect(flat.encoding.y.title).toBe('mse loss');
  });
});

describe('renderSvg', () => {
  it('renders axes with titles and ticks, a legend naming every group, and one line per group; same input, same text', async () => {
    const spec = compareChartSpec(GROUPS, { metric: 'train_loss' });
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    const texts = (role: string) => [...svg.matchAll(new RegExp(`<g class="mark-text role-${role}"[^>]*>(.*?)</g>`, 'g'))].map((m) => [...m[1].matchAll(/>([^<]+)<\/text>/g)].map((t) => t[1]));
    expect(texts('axis-title').flat().sort()).toEqual(['epoch', 'train_loss']);
    expect(texts('axis-label').flat()).toEqual(expect.arrayContaining(['0', '10', '20', '30']));
    expect(texts('legend-label').flat()).toEqual(['alpha-relu', 'beta-tanh', 'gamma-sigmoid']);
    expect(svg.match(/class="mark-line role-mark/g)).toHaveLength(3);
    expect(svg.match(/class="mark-area role-mark/g)).toHaveLength(3);
    expect(await renderSvg(spec)).toBe(svg);
  });

  it('svgTitles: every hover point (and each line) gets its description as a <title>, which browsers show on hover', async () => {
    const svg = svgTitles(await renderSvg(compareChartSpec(GROUPS, { metric: 'train_loss' })));
    const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles.filter((t) => t.includes(', epoch '))).toHaveLength(3 * 4);
    expect(titles).toContain('beta-tanh, epoch 10: train_loss 0.1818 (mean of 2 runs, 0.1455 to 0.2182)');
    expect(titles).toContain('gamma-sigmoid, epoch 30: train_loss 0.01613');
    expect(titles.filter((t) => !t.includes(', epoch ')).sort()).toEqual(['alpha-relu', 'beta-tanh', 'gamma-sigmoid']); // the lines
    expect(svgTitles('<path aria-label="a &amp; b" d="M0,0"/>')).toBe('<path aria-label="a &amp; b" d="M0,0"><title>a &amp; b</title></path>');
  });
});

describe('tableText', () => {
  it('aligns columns (text left, numbers right), marks the best group, shows intervals and the test', () => {
    const text = tableText({
      by: 'test_accuracy',
      higherIsBetter: true,
      metrics: ['test_accuracy', 'train_loss'],
      alpha: 0.05,
      groups: [
        {
          label: 'long-group-name',
          n: 10,
          seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
          stats: { test_accuracy: { mean: 0.95, std: 0.0123456, ci: [0.9411, 0.95883], n: 10 }, train_loss: { mean: 0.1, std: 0.01, n: 10 } },
          best: true,
          tied: false,
          dirs: [],
        },
        {
          label: 'b',
          n: 2,
          seeds: [4, 5],
          stats: { test_accuracy: { mean: 0.5, std: 0.1, ci: [-0.4, 1.4], n: 2 } },
          best: false,
          tied: false,
          vsTop: { diff: -0.45, ci: [-1.1, -0.0123456], p: 0.0412345, test: 'Welch t', df: 1.2, significant: true },
          dirs: [],
        },
      ],
    });
    expect(text.split('\n').slice(0, 5)).toEqual([
      '   group             n  seeds  test_accuracy (95% CI)         vs top (95% CI)      p  test     train_loss',
      '-  ---------------  --  -----  ----------------------  ----------------------  -----  -------  ----------',
      '*  long-group-name  10  0–9     0.95 [0.9411, 0.9588]                                          0.1 ± 0.01',
      '   b                 2  4, 5          0.5 [-0.4, 1.4]  -0.45 [-1.1, -0.01235]  0.041  Welch t           —',
      '',
    ]);
    expect(text).toContain('* best by test_accuracy (higher is better): long-group-name is better than every other group (p < alpha = 0.05).');
  });
});

describe('comparePageHtml', () => {
  it('one row per group, labels escaped, the SVG inlined, nothing fetched (no script, no external reference)', async () => {
    const { comparePageHtml } = await import('../../src/report/html.js');
    const group = (label: string, best: boolean) => ({ label, n: 1, seeds: [1], stats: { train_loss: { mean: 0.5, n: 1 } }, best, tied: false, dirs: ['runs/<a>'] });
    const html = comparePageHtml({
      table: { by: 'train_loss', higherIsBetter: false, metrics: ['train_loss'], alpha: 0.05, groups: [group('a<b>&"c"', true), group('plain', false)] },
      figures: [{ id: 'chart', svg: '<svg xmlns="http://www.w3.org/2000/svg"><g class="chart"></g></svg>\n', caption: 'curves' }],
      inputs: ['runs'],
    });
    expect(html.match(/<tr class="best" data-group="a&lt;b&gt;&amp;&quot;c&quot;">/g)).toHaveLength(1);
    expect(html.match(/<tr[^>]* data-group=/g)).toHaveLength(2);
    expect(html).toContain('<code>runs/&lt;a&gt;</code>');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"><g class="chart"></g></svg>');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/);
  });
});

describe('lossChartSpec: the best epoch', () => {
  it('a rule and its label layered over the lines when early stopping kept the best epoch; the plain spec otherwise', async () => {
    const rows = [0, 10, 20].map((epoch) => ({ epoch, step: epoch, train_loss: 1 / (1 + epoch) }));
    const spec = lossChartSpec('run', 'mse', ['epoch', 'step', 'train_loss'], rows, 10) as unknown as { layer: { mark?: { type: string }; layer?: { mark: { type: string } }[]; data?: { values: object[] } }[] };
    expect(spec.layer[0].mark?.type).toBe('line');
    expect(spec.layer[1].layer!.map((l) => l.mark.type)).toEqual(['rule', 'text']);
    expect(spec.layer[1].data!.values).toEqual([{ epoch: 10, label: 'best epoch 10 (weights kept)' }]);
    expect(await renderSvg(spec as never)).toContain('best epoch 10 (weights kept)');
    expect((lossChartSpec('run', 'mse', ['epoch', 'step', 'train_loss'], rows) as { mark?: unknown }).mark).toBeDefined();
  });
});

describe('legends: no two groups read alike', () => {
  const legendLabels = (svg: string) =>
    [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*>(.*?)<\/g>/g)].flatMap((m) => [...m[1].matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]));
  /** Each shown label is its group's label or a start of it with '…'; no two alike. */
  const expectNamed = (shown: string[], labels: string[]) => {
    expect(shown).toHaveLength(labels.length);
    shown.forEach((s, i) => expect(s === labels[i] || (s.endsWith('…') && labels[i].startsWith(s.slice(0, -1))), `${s} for ${labels[i]}`).toBe(true));
    expect(new Set(shown).size).toBe(labels.length);
  };
  // A sweep of three keys labels its groups with 40 characters and more; Vega cut a legend label at labelLimit
  // (260 px: 27 characters by its estimate), so groups that differ only in their last key read alike.
  const labels = ['units=4, learning_rate=0.01, activation=relu', 'units=4, learning_rate=0.01, activation=tanh', 'units=4, learning_rate=0.1, activation=relu'];

  it('compare.svg: labels cut only where that still tells them apart', async () => {
    const svg = await renderSvg(compareChartSpec(labels.map((l, i) => curve(l, 2, i + 1)), { metric: 'train_loss' }));
    expectNamed(legendLabels(svg), labels);
    // A random search's labels differ at their start: cut at 260 px as before, the legend no wider.
    const drawn = [1, 2, 3].map((k) => `sample=${k}: learning_rate=0.00${k}234, units=${k}7, activation=relu`);
    const narrow = legendLabels(await renderSvg(compareChartSpec(drawn.map((l, i) => curve(l, 2, i + 1)), { metric: 'train_loss' })));
    expectNamed(narrow, drawn);
    expect(narrow[0].length).toBeLessThan(30);
  });

  it('a response chart: its series named apart', async () => {
    const { responseChartSpec } = await import('../../src/report/response.js');
    const series = ['learning_rate=0.01, activation=relu, batch_size=32', 'learning_rate=0.01, activation=relu, batch_size=64'];
    const points = series.flatMap((s, i) => [4, 16].map((x) => ({ x, mean: i + x / 100, n: 1, series: s, label: `${s}, units=${x}` })));
    const svg = await renderSvg(responseChartSpec({ key: 'model.layers.0.units', name: 'units', metric: 'test_accuracy', level: '95%', points, numeric: true, log: false, lines: true }));
    expectNamed(legendLabels(svg), series);
  });
});

describe('compare.svg: a group of one logged epoch (training.epochs 0)', () => {
  it('is drawn as a visible dot at its value, where a line of one point draws nothing', async () => {
    const one = (label: string, mean: number): GroupCurve => ({ label, n: 2, points: [{ epoch: 0, mean, min: mean - 0.1, max: mean + 0.1, n: 2 }] });
    const spec = compareChartSpec([one('he', 0.7), one('xavier', 0.5)], { metric: 'train_loss' });
    const svg = await renderSvg(spec);
    // Visible symbols: Vega's point marks with an opacity above 0 (the hover points have opacity 0).
    const dots = [...svg.matchAll(/<path [^>]*aria-roledescription="point"[^>]*>/g)].map((m) => m[0]).filter((p) => !/opacity="0"/.test(p));
    const labels = dots.map((d) => /aria-label="([^"]*)"/.exec(d)?.[1]);
    expect(labels.sort()).toEqual(['he', 'xavier']);
    const ys = dots.map((d) => Number(/transform="translate\([\d.]+,([\d.]+)\)"/.exec(d)![1]));
    expect(ys[0]).not.toBe(ys[1]);
  });
});
