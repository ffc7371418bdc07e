// gradcheck of a file sweeping seeds checks its configurations at the file's seed, or --seed's, or --set seed=N's:
// that last was refused as '--seed N and --set seed=N both set seed: give one of them', naming a --seed never given
// (gradcheckConfigurations passed the run's seed on as --seed beside the --set that made it).
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';

const FILE = 'experiments/learn/activations.yaml'; // sweeps seed: [0 … 9] and the hidden activation

describe('gradcheck --set seed=N', () => {
  it('checks at seed N, as --seed N does', async () => {
    const set = await cli('gradcheck', FILE, '--set', 'seed=5');
    const seed = await cli('gradcheck', FILE, '--seed', '5');
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('seed 5');
    expect(set.stdout).toBe(seed.stdout);
  });

  it('with --seed too, --seed is the seed, as for the file\'s own run (--seed is applied after every --set)', async () => {
    const both = await cli('gradcheck', FILE, '--set', 'seed=5', '--seed', '4');
    const seed = await cli('gradcheck', FILE, '--seed', '4');
    expect(both.code).toBe(0);
    expect(both.stdout).toBe(seed.stdout);
  });
});
