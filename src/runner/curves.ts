// The groups' curves in compare's charts, from their runs' loss logs: at each epoch the mean and spread over the
// runs still training (a run that stopped early counts until it stopped) and how many they are, and where each
// run that stopped early stopped. Drawing them is report/charts.ts's; the labels' natural order is natural-order.ts's.

import type { CurvePoint, RunStop } from '../report/charts.js';
import type { StoredRun } from './collect.js';
import { mean } from './significance.js';

/**
 * The group's curve of one loss-log column: at each logged epoch, the mean, min and max over the runs still
 * training then (whose logs reach that epoch; a run that stopped early counts until it stopped), and their
 * number. An epoch that only some of them logged (a stopped run's last row, off the logging interval) is left
 * out: its cross (stopsOf) shows it. The mean is the table's (significance.ts mean), so a chart and compare's
 * table never differ in the last bits for the same runs.
 */
export function curveOf(runs: readonly StoredRun[], column: string): CurvePoint[] {
  const logs = runs
    .filter((r) => r.columns.includes(column) && r.rows.length > 0)
    .map((r) => ({ values: new Map(r.rows.map((row) => [row.epoch, row[column]])), last: r.rows[r.rows.length - 1].epoch }));
  const epochs = [...new Set(logs.flatMap((l) => [...l.values.keys()]))].sort((a, b) => a - b);
  return epochs.flatMap((epoch) => {
    const active = logs.filter((l) => l.last >= epoch);
    if (!active.every((l) => l.values.has(epoch))) return [];
    const ys = active.map((l) => l.values.get(epoch)!);
    return [{ epoch, mean: mean(ys), min: Math.min(...ys), max: Math.max(...ys), n: ys.length }];
  });
}

/** The group's runs that stopped early: the epoch of their last logged row and its value of `column`. */
export function stopsOf(runs: readonly StoredRun[], column: string): RunStop[] {
  return runs.flatMap((r) => {
    const s = r.stopping;
    const last = r.rows[r.rows.length - 1];
    if (s?.reason !== 'early_stopping' || last === undefined || !r.columns.includes(column)) return [];
    const best = s.best_epoch > 0 ? `, best ${s.monitor} at epoch ${s.best_epoch}${s.restored_best ? ' (its weights kept)' : ''}` : '';
    return [{ epoch: last.epoch, value: last[column], text: `${r.dir} (seed ${r.seed}): stopped early at epoch ${s.epoch}${best}` }];
  });
}
