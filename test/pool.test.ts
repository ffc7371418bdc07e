// runner/pool.ts's inTurn, which every --jobs thread runs its runs with: runs start in order; the next one starts
// only once the one before flushes its files (or ends without flushing, as a run that met an error does); never
// more than two are under way; it resolves once every run has ended.
import { describe, expect, it } from 'vitest';
import { inTurn } from '../src/runner/pool.js';

const tick = () => new Promise((done) => setTimeout(done, 1));

describe('inTurn', () => {
  it('starts each run once the one before flushes, with two under way at most, and ends after the last', async () => {
    const jobs = [0, 1, 2, 3, 4, 5];
    const log: string[] = [];
    let underWay = 0;
    let most = 0;
    const done = inTurn(
      () => jobs.shift(),
      async (job, flushing) => {
        underWay++;
        most = Math.max(most, underWay);
        log.push(`start ${job}`);
        for (let k = 0; k < 3; k++) await tick(); // training
        if (job !== 3) {
          log.push(`flush ${job}`);
          flushing();
        } // run 3 ends without flushing (a run that met an error)
        for (let k = 0; k < 5; k++) await tick(); // its files going to disk: longer than the next run's training
        log.push(`end ${job}`);
        underWay--;
      },
    );
    await done;
    expect(underWay).toBe(0);
    expect(most).toBe(2);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start 0', 'start 1', 'start 2', 'start 3', 'start 4', 'start 5']);
    for (const k of [1, 2, 3, 4, 5]) {
      // the next run starts after the one before flushed (run 4: after run 3 ended) and after the one before that ended
      const before = k === 4 ? 'end 3' : `flush ${k - 1}`;
      expect(log.indexOf(`start ${k}`), `run ${k}`).toBeGreaterThan(log.indexOf(before));
      if (k >= 2) expect(log.indexOf(`start ${k}`), `run ${k}`).toBeGreaterThan(log.indexOf(`end ${k - 2}`));
    }
    expect(log.at(-1)).toBe('end 5');
  });

  it('passes a run that rejects on to its caller', async () => {
    const jobs = [0, 1];
    await expect(inTurn(() => jobs.shift(), async (job) => {
      await tick();
      if (job === 1) throw new Error('internal');
    })).rejects.toThrow('internal');
  });
});
