// A sweep's summary.csv lists the run folders present when it is rebuilt (runner/summary.ts). Shards writing one
// folder do not wait for each other's rebuild while they remove a folder: a resumed run that completes retires its
// RUN.interrupted/ (checkpoints.ts retire), a rerun moves the folder it replaces aside. A folder listed and gone by
// the time its run.json or config.json is read is not present: it is left out, never an error ("remove or rerun the
// run folder", exit 1 after every run had trained, which a stress of 3.5 s hit 9 times in 2,784 rebuilds).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../helpers/cli.js';

/** Folders whose run files vanish just before they are read, as another process removing them would. */
const vanishing = new Set<string>();

vi.mock('../../src/files/runfile.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/files/runfile.js')>();
  return {
    ...original,
    readRunObject: (file: string, say: Parameters<typeof original.readRunObject>[1]) => {
      if (vanishing.has(dirname(file))) rmSync(dirname(file), { recursive: true, force: true });
      return original.readRunObject(file, say);
    },
  };
});

const { writeSummary } = await import('../../src/runner/summary.js');
const tempDir = tempDirs('mlplab-summary-vanishing');

const RUN = { format: 'mlplab.run/v1', name: 'sw', status: 'completed', epochs: 3, steps: 3, final: { train_loss: 0.5 }, duration_ms: 1, sweep: { index: 0, values: { seed: 1 } } };

describe("summary.csv while another process removes a run folder", () => {
  it('a folder gone between the listing and its reading is left out; the others are listed', () => {
    const root = join(tempDir(), 'sw');
    mkdirSync(join(root, 'seed=1'), { recursive: true });
    writeFileSync(join(root, 'seed=1', 'run.json'), JSON.stringify(RUN));
    writeFileSync(join(root, 'seed=1', 'config.json'), JSON.stringify({ seed: 1 }));
    cpSync(join(root, 'seed=1'), join(root, 'seed=2.interrupted'), { recursive: true });
    vanishing.add(join(root, 'seed=2.interrupted'));
    expect(writeSummary(root)).toBe(1);
    expect(readFileSync(join(root, 'summary.csv'), 'utf8').split('\n').map((l) => l.split(',')[0])).toEqual(['dir', 'seed=1', '']);
  });

  it('a run.json present but unreadable is still an error naming it', () => {
    const root = join(tempDir(), 'sw');
    mkdirSync(join(root, 'seed=1'), { recursive: true });
    writeFileSync(join(root, 'seed=1', 'run.json'), '{ cut');
    writeFileSync(join(root, 'seed=1', 'config.json'), '{}');
    expect(() => writeSummary(root)).toThrow(/cannot read this run folder's file for the sweep's summary\.csv: not valid JSON/);
  });
});
