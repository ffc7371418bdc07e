// Run folders that name their contents unambiguously (issue 21, item 3): two different overrides whose readable
// run IDs are equal never share a folder silently: the second is refused before training, naming the key and
// both values, and the first run's files stay byte-identical; the same overrides again (the file edited since)
// replace the folder as before.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDirs } from '../helpers/cli.js';
import { snapshot, XOR } from './spawn.js';

const tempDir = tempDirs('mlplab-clash');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const THREE = readFileSync(XOR, 'utf8')
  .replace('epochs: 2000', 'epochs: 10')
  .replace('    - { units: 2, activation: tanh }\n', '    - { units: 2, activation: tanh }\n    - { units: 3, activation: tanh }\n');

describe('two configurations under one run ID', () => {
  it('--set model.layers[0].units=8, then --set model.layers[1].units=8 (both units=8): the second refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.yaml'), THREE);
    const out = join(dir, 'out');
    expect((await cli('run', join(dir, 'x.yaml'), '--set', 'model.layers[0].units=8', '--out', out, '--quiet')).code).toBe(0);
    const before = snapshot(out);
    const r = await cli('run', join(dir, 'x.yaml'), '--set', 'model.layers[1].units=8', '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${join(dir, 'x.yaml')}: ${join(out, 'xor-softmax', 'units=8')} holds a run of another configuration under the same run ID: ` +
        'model.layers[1].units is 3 there, 8 here; give this run a folder of its own (--set run_id=...), or remove that folder\n',
    );
    expect(snapshot(out)).toEqual(before);
    expect((await cli('run', join(dir, 'x.yaml'), '--set', 'model.layers[1].units=8', '--set', 'run_id=l1-units=8', '--out', out, '--quiet')).code).toBe(0);
  });

  it('--set data.csv.path=d/b.csv, then d_b.csv (both path=d_b.csv): the second refused', async () => {
    const dir = tempDir();
    const csv = 'a,b,y\n0,0,p\n0,1,q\n1,0,q\n1,1,p\n';
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 'b.csv'), csv);
    writeFileSync(join(dir, 'd_b.csv'), csv);
    writeFileSync(join(dir, 'x.yaml'), THREE.replace(/  inline:\n    inputs: .*\n    targets: .*\n/, '  csv: { path: d/b.csv, target: y }\n'));
    const out = join(dir, 'out');
    expect((await cli('run', join(dir, 'x.yaml'), '--set', 'data.csv.path=d/b.csv', '--out', out, '--quiet')).code).toBe(0);
    const before = snapshot(out);
    const r = await cli('run', join(dir, 'x.yaml'), '--set', 'data.csv.path=d_b.csv', '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`data.csv.path is ${JSON.stringify(join(dir, 'd', 'b.csv'))} there, ${JSON.stringify(join(dir, 'd_b.csv'))} here`);
    expect(snapshot(out)).toEqual(before);
  });

  it('random search: a sample=K folder drawn from a range since edited is refused, naming the drawn key; the same draws again are the same run', async () => {
    const dir = tempDir();
    const search = (range: string) => `${THREE}sweep:\n  training.optimizer.learning_rate: { log_uniform: ${range} }\nsweep_samples: 2\n`;
    writeFileSync(join(dir, 'x.yaml'), search('[0.001, 1]'));
    const out = join(dir, 'out');
    expect((await cli('run', join(dir, 'x.yaml'), '--out', out, '--quiet')).code).toBe(0);
    const before = snapshot(out);
    const drawnBefore = JSON.parse(readFileSync(join(out, 'xor-softmax', 'sample=0', 'config.json'), 'utf8')).training.optimizer.learning_rate;
    writeFileSync(join(dir, 'x.yaml'), search('[2, 3]'));
    const r = await cli('run', join(dir, 'x.yaml'), '--out', out, '--quiet');
    expect(r.code).toBe(1);
    // It replaced sample=0 and sample=1 without a word (the sample axis is no key of the config).
    expect(r.stderr).toMatch(
      new RegExp(`^${escape(`${join(dir, 'x.yaml')}: ${join(out, 'xor-softmax', 'sample=0')} holds a run of another configuration under the same run ID: training.optimizer.learning_rate is ${drawnBefore} there, `)}[\\d.]+ here; give this run a folder of its own`),
    );
    expect(snapshot(out)).toEqual(before);
    writeFileSync(join(dir, 'x.yaml'), search('[0.001, 1]').replace('epochs: 10', 'epochs: 12'));
    expect((await cli('run', join(dir, 'x.yaml'), '--out', out, '--quiet')).code).toBe(0);
  });

  it('the same overrides again, the file edited since: the folder is replaced', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.yaml'), THREE);
    const out = join(dir, 'out');
    expect((await cli('run', join(dir, 'x.yaml'), '--set', 'model.layers[0].units=8', '--out', out, '--quiet')).code).toBe(0);
    writeFileSync(join(dir, 'x.yaml'), THREE.replace('epochs: 10', 'epochs: 12'));
    expect((await cli('run', join(dir, 'x.yaml'), '--set', 'model.layers[0].units=8', '--out', out, '--quiet')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'xor-softmax', 'units=8', 'config.json'), 'utf8')).training.epochs).toBe(12);
  });
});
