// A run's loss.svg and loss.vl.json name the run (NAME/RUN-ID for a sweep run) and, when early stopping put the
// best epoch's weights back, mark that epoch (run.json's stopping.best_epoch).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tempDir = tempDirs('mlplab-losschart');

describe('loss.svg of a run that stopped early', () => {
  it('is titled with the run and marks the best epoch whose weights were kept', async () => {
    const out = tempDir();
    const r = await cli('run', join(ROOT, 'experiments', 'diabetes.yaml'), '--seed', '3', '--set', 'training.epochs=300', '--out', out, '-q');
    expect(r.code, r.stderr).toBe(0);
    const dir = join(out, 'diabetes', 'epochs=300', 'seed=3'); // the --set's folder, then the seed's
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { stopping: { reason: string; best_epoch: number; restored_best: boolean } };
    expect(run.stopping).toMatchObject({ reason: 'early_stopping', restored_best: true });
    const svg = readFileSync(join(dir, 'loss.svg'), 'utf8');
    expect(svg).toContain('<title>diabetes/epochs=300/seed=3: mse loss by epoch</title>');
    expect(svg).toContain(`>best epoch ${run.stopping.best_epoch} (weights kept)</text>`);
    expect(svg).toContain('class="best"');
    expect(readFileSync(join(dir, 'loss.vl.json'), 'utf8')).toContain(`"label": "best epoch ${run.stopping.best_epoch} (weights kept)"`);
  });
});
