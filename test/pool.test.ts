// runner/pool.ts's inTurn, which every --jobs thread runs its runs with: runs start in order; the next one starts
// only once the one before flushes its files (or ends without flushing, as a run that met an error does); never
// more than two are under way; it resolves once every run has ended, and a run that fails is passed on once the
// other run under way has ended too.
import { describe, expect, it } from 'vitest';
import { inTurn, workersWorth, type PoolProgress } from '../src/runner/pool.js';

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

  it('passes a run that fails on only once the other run under way has ended (nothing left writing)', async () => {
    for (const failing of [0, 1]) {
      const jobs = [0, 1];
      const log: string[] = [];
      const done = inTurn(() => jobs.shift(), async (job, flushing) => {
        await tick();
        flushing();
        for (let k = 0; k < (job === failing ? 2 : 8); k++) await tick(); // the failing run ends first
        log.push(`end ${job}`);
        if (job === failing) throw new Error('internal');
      });
      await expect(done).rejects.toThrow('internal');
      expect(log.sort(), `run ${failing} failing`).toEqual(['end 0', 'end 1']);
    }
  });

  it('passes a run that rejects on to its caller', async () => {
    const jobs = [0, 1];
    await expect(inTurn(() => jobs.shift(), async (job) => {
      await tick();
      if (job === 1) throw new Error('internal');
    })).rejects.toThrow('internal');
  });
});

describe('workersWorth: the workers start only when the runs left repay them', () => {
  const at = (p: Partial<PoolProgress>): boolean => workersWorth({ sinceStart: 100, left: 99, localRuns: 5, timedRuns: 4, cheapest: 5, underWay: 1, ...p });
  it("XOR's seeds at 5 ms of CPU a run: not for 100 (0.5 s left), yes for 1,000", () => {
    expect(at({ left: 99 })).toBe(false);
    expect(at({ left: 999 })).toBe(true);
  });
  it('334 runs or more: at once, before any run is timed (a run costs 3 ms of CPU at the least)', () => {
    expect(at({ left: 334, localRuns: 0, timedRuns: 0, cheapest: undefined, underWay: 0 })).toBe(true);
    expect(at({ left: 333, localRuns: 0, timedRuns: 0, cheapest: undefined, underWay: 0 })).toBe(false);
  });
  it('never before the pool has run 50 ms, nor with no run left', () => {
    expect(at({ left: 999, sinceStart: 20 })).toBe(false);
    expect(at({ left: 0, cheapest: 1e6 })).toBe(false);
  });
  it('the first runs, slower while the code compiles, are not taken for the rest', () => {
    expect(at({ localRuns: 0, timedRuns: 0, cheapest: undefined, underWay: 55 })).toBe(false); // the first run under way
    expect(at({ localRuns: 2, timedRuns: 1, cheapest: 20, underWay: 60 })).toBe(false); // one timed: the run under way, less its extra
    expect(at({ left: 96, localRuns: 3, timedRuns: 2, first: 55, cheapest: 11 })).toBe(false); // XOR's: its 2nd and 3rd runs still warming
    expect(at({ left: 94, localRuns: 5, timedRuns: 4, first: 55, cheapest: 11 })).toBe(false); // and its 4th and 5th
  });
  it('a long run under way counts: the first of a sweep of long runs, and a long run after short ones', () => {
    expect(at({ localRuns: 0, timedRuns: 0, cheapest: undefined, left: 44, underWay: 120 })).toBe(true);
    expect(at({ left: 2, cheapest: 2, underWay: 800 })).toBe(true);
    expect(at({ left: 2, cheapest: 2, underWay: 400 })).toBe(false);
  });
  it('before two runs are timed, the first (less what it costs more): six runs of 0.3 s start them after the first', () => {
    expect(at({ left: 5, localRuns: 1, timedRuns: 0, first: 300, cheapest: undefined, underWay: 0 })).toBe(true);
    expect(at({ left: 5, localRuns: 1, timedRuns: 0, first: 200, cheapest: undefined, underWay: 0 })).toBe(false);
  });
  it('a moment of noise in a short run (a collection) does not', () => {
    expect(at({ left: 99, cheapest: 5, underWay: 40 })).toBe(false);
  });
});
