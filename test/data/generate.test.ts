import { describe, it, expect } from 'vitest';
import { classSizes, generate, type GenerateParams } from '../../src/data/generate.js';
import { GENERATOR_KINDS } from '../../src/data/schema.js';
import { Rng } from '../../src/random.js';

const params = (kind: GenerateParams['kind'], over: Partial<GenerateParams> = {}): GenerateParams => ({
  kind,
  samples: 101,
  noise: 0.1,
  classes: 4,
  ...over,
});

const draw = (p: GenerateParams, seed = 7) => generate(p, Rng.stream(seed, 'data'));

describe('generators', () => {
  it.each(GENERATOR_KINDS)('%s: shape, determinism per seed, another seed differs', (kind) => {
    const a = draw(params(kind));
    const b = draw(params(kind));
    const c = draw(params(kind), 8);
    expect(a.x.rows).toBe(101);
    expect(a.x.cols).toBe(kind === 'sine' ? 1 : 2);
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.x.data)).not.toEqual(Array.from(c.x.data));
    expect(a.x.data.every(Number.isFinite)).toBe(true);
  });

  it.each(['xor', 'circles', 'moons'] as const)('%s: two classes, sizes 51 and 50', (kind) => {
    const g = draw(params(kind));
    expect(g.classCount).toBe(2);
    const counts = [0, 0];
    g.labels!.forEach((l) => counts[l]++);
    expect(counts).toEqual([51, 50]);
  });

  it.each(['spirals', 'blobs'] as const)('%s: `classes` classes, sizes within one of each other', (kind) => {
    const g = draw(params(kind, { classes: 4 }));
    expect(g.classCount).toBe(4);
    const counts = [0, 0, 0, 0];
    g.labels!.forEach((l) => counts[l]++);
    expect(counts).toEqual([26, 25, 25, 25]); // 101 = 4·25 + 1
  });

  it('classSizes splits as evenly as possible', () => {
    expect(classSizes(10, 3)).toEqual([4, 3, 3]);
    expect(classSizes(2, 3)).toEqual([1, 1, 0]);
  });

  it('xor without noise puts points on the corners, labelled by XOR', () => {
    const g = draw(params('xor', { noise: 0, samples: 40 }));
    for (let r = 0; r < g.x.rows; r++) {
      const [a, b] = [g.x.data[2 * r], g.x.data[2 * r + 1]];
      expect([0, 1]).toContain(a);
      expect([0, 1]).toContain(b);
      expect(g.labels![r]).toBe(a ^ b);
    }
  });

  it('circles without noise: radius 1 for class 0, 0.5 for class 1', () => {
    const g = draw(params('circles', { noise: 0 }));
    for (let r = 0; r < g.x.rows; r++) {
      const radius = Math.hypot(g.x.data[2 * r], g.x.data[2 * r + 1]);
      expect(radius).toBeCloseTo(g.labels![r] === 0 ? 1 : 0.5, 12);
    }
  });

  it('moons without noise: class 0 on the unit upper arc, class 1 on the arc centred at (1, 0.5)', () => {
    const g = draw(params('moons', { noise: 0 }));
    for (let r = 0; r < g.x.rows; r++) {
      const [a, b] = [g.x.data[2 * r], g.x.data[2 * r + 1]];
      if (g.labels![r] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 12);
        expect(b).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 12);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    }
  });

  it('spirals stay within the unit disc', () => {
    const g = draw(params('spirals', { noise: 0.3 }));
    for (let r = 0; r < g.x.rows; r++) expect(Math.hypot(g.x.data[2 * r], g.x.data[2 * r + 1])).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('sine: x in [-π, π), y = sin(x) exactly without noise, real targets', () => {
    const g = draw(params('sine', { noise: 0 }));
    expect(g.labels).toBeUndefined();
    expect(g.classCount).toBe(0);
    for (let r = 0; r < g.x.rows; r++) {
      expect(g.x.data[r]).toBeGreaterThanOrEqual(-Math.PI);
      expect(g.x.data[r]).toBeLessThan(Math.PI);
      expect(g.y!.data[r]).toBe(Math.sin(g.x.data[r]));
    }
  });

  it('noise scales the spread: sine residual std is close to the noise', () => {
    const g = draw(params('sine', { noise: 0.3, samples: 4000 }));
    let sq = 0;
    for (let r = 0; r < g.x.rows; r++) sq += (g.y!.data[r] - Math.sin(g.x.data[r])) ** 2;
    expect(Math.sqrt(sq / g.x.rows)).toBeCloseTo(0.3, 1);
  });
});
