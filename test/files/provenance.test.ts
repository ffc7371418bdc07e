// Provenance of the bytes trained on (issue 21, item 4): run.json's SHA-256 of the data file and of an init.from
// model file is taken while the file is read for training (data/csvread.ts, runner/prepare.ts), so a file
// changed after that read is not what run.json records.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { prepare } from '../../src/runner/prepare.js';
import { runExperiment } from '../../src/runner/run.js';
import { tempDirs } from '../helpers/cli.js';

const tempDir = tempDirs('mlplab-provenance');
const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const CSV = 'a,b,y\n0,0,p\n0,1,q\n1,0,q\n1,1,p\n';
const YAML = `name: prov\nseed: 1\ndata:\n  csv: { path: d.csv, target: y }\nmodel:\n  layers:\n    - { units: 3, activation: tanh }\n    - { units: 2, activation: softmax }\nloss: cross_entropy\ntraining:\n  epochs: 5\n  batch_size: 4\n  optimizer: { type: sgd, learning_rate: 0.5 }\n`;

describe("run.json's digest of the data", () => {
  it('is of the bytes read for training, even when the file changes before the run is written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), CSV);
    writeFileSync(join(dir, 'e.yaml'), YAML);
    const exp = loadExperiment(join(dir, 'e.yaml'));
    const prepared = prepare(exp); // the one read of d.csv
    writeFileSync(join(dir, 'd.csv'), CSV + '0,0,p\n'); // changed after the read, before run.json is made
    const r = await runExperiment(exp, { prepared, outDir: join(dir, 'out') });
    const run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(run.inputs).toEqual([{ key: 'data.csv.path', path: join(dir, 'd.csv'), sha256: sha(CSV) }]);
    expect(r.run.inputs[0].sha256).not.toBe(sha(readFileSync(join(dir, 'd.csv'))));
  });

  it('equals the digest of the whole file for a file larger than one read (1.5 MB)', async () => {
    const dir = tempDir();
    const big = 'a,b,y\n' + Array.from({ length: 100_000 }, (_, i) => `${i % 2},${(i >> 1) % 2},${i % 3 === 0 ? 'p' : 'q'}`).join('\n') + '\n';
    writeFileSync(join(dir, 'd.csv'), big);
    writeFileSync(join(dir, 'e.yaml'), YAML.replace('epochs: 5', 'epochs: 1').replace('batch_size: 4', 'batch_size: full'));
    await runExperiment(loadExperiment(join(dir, 'e.yaml')), { outDir: join(dir, 'out') });
    expect(JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).inputs[0].sha256).toBe(sha(big));
  });

  it('for init.from, is of the model file read to start from, even when it changes before the run is written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'd.csv'), CSV);
    writeFileSync(join(dir, 'e.yaml'), YAML);
    await runExperiment(loadExperiment(join(dir, 'e.yaml')), { outDir: join(dir, 'first') });
    const model = readFileSync(join(dir, 'first', 'model.json'));
    writeFileSync(join(dir, 'init.json'), model);
    writeFileSync(join(dir, 'f.yaml'), YAML.replace('loss: cross_entropy', '  init: { from: init.json }\nloss: cross_entropy'));
    const exp = loadExperiment(join(dir, 'f.yaml'));
    const prepared = prepare(exp); // the one read of d.csv and init.json
    writeFileSync(join(dir, 'init.json'), model.toString().replace('{', '{ '));
    await runExperiment(exp, { prepared, outDir: join(dir, 'out') });
    const inputs = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).inputs;
    expect(inputs).toEqual([
      { key: 'data.csv.path', path: join(dir, 'd.csv'), sha256: sha(CSV) },
      { key: 'model.init.from', path: join(dir, 'init.json'), sha256: sha(model) },
    ]);
  });
});
