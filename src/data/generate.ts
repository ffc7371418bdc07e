// Seeded synthetic data sets: five two-dimensional classification sets and one regression set.
// Every random number comes from the Rng passed in; rows are shuffled at the end, so a split or a
// print of the first rows sees the classes mixed. Encoding of the labels is left to load.ts.

import type { Rng } from '../random.js';
import { zeros, type Matrix } from '../matrix.js';
import type { GeneratorKind } from './schema.js';

export interface GenerateParams {
  kind: GeneratorKind;
  samples: number;
  noise: number;
  /** Used by spirals and blobs only. */
  classes: number;
}

export interface Generated {
  x: Matrix; // samples × 2 (samples × 1 for sine)
  /** Class index of each row, for classification kinds. */
  labels?: Int32Array;
  /** Number of classes (0 for sine). */
  classCount: number;
  /** Real targets, samples × 1, for sine. */
  y?: Matrix;
}

type Point = [x: number, y: number];
type Sampler = (cls: number, i: number, count: number) => Point;

/** Class sizes for n rows over k classes: as equal as possible, the first classes one larger. */
export function classSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

/** Draws `samples` points, class by class, from `sample`, then shuffles the rows. */
function classification(p: GenerateParams, k: number, rng: Rng, sample: Sampler): Generated {
  const points: { point: Point; cls: number }[] = [];
  classSizes(p.samples, k).forEach((count, cls) => {
    for (let i = 0; i < count; i++) points.push({ point: sample(cls, i, count), cls });
  });
  rng.shuffle(points);
  const x = zeros(points.length, 2);
  const labels = new Int32Array(points.length);
  points.forEach(({ point, cls }, r) => {
    x.data[2 * r] = point[0];
    x.data[2 * r + 1] = point[1];
    labels[r] = cls;
  });
  return { x, labels, classCount: k };
}

/** Evenly spaced: i-th of `count` values from `start` to `stop`, both included (numpy linspace). */
const linspace = (start: number, stop: number, i: number, count: number): number =>
  count === 1 ? start : start + ((stop - start) * i) / (count - 1);

/**
 * xor: Gaussian clusters (std = noise) around the four corners of the unit square, taken in turn;
 * the label of a corner (a, b) is a XOR b. Classes 0 and 1 get the same number of rows (±1).
 */
function xor(p: GenerateParams, rng: Rng): Generated {
  const corners: Point[][] = [[[0, 0], [1, 1]], [[0, 1], [1, 0]]]; // by label
  return classification(p, 2, rng, (cls, i) => {
    const [a, b] = corners[cls][i % 2];
    return [a + p.noise * rng.normal(), b + p.noise * rng.normal()];
  });
}

/**
 * circles: outer circle radius 1 (class 0), inner radius 0.5 (class 1), evenly spaced angles, plus
 * noise·N(0,1) per coordinate (sklearn make_circles with factor 0.5).
 */
function circles(p: GenerateParams, rng: Rng): Generated {
  return classification(p, 2, rng, (cls, i, count) => {
    const radius = cls === 0 ? 1 : 0.5;
    const angle = (2 * Math.PI * i) / count;
    return [radius * Math.cos(angle) + p.noise * rng.normal(), radius * Math.sin(angle) + p.noise * rng.normal()];
  });
}

/**
 * moons: two interleaving half circles of radius 1 (sklearn make_moons): class 0 the upper arc from
 * (1, 0) to (−1, 0), class 1 the lower arc centred at (1, 0.5); plus noise·N(0,1) per coordinate.
 */
function moons(p: GenerateParams, rng: Rng): Generated {
  return classification(p, 2, rng, (cls, i, count) => {
    const t = linspace(0, Math.PI, i, count);
    const [a, b] = cls === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return [a + p.noise * rng.normal(), b + p.noise * rng.normal()];
  });
}

/** spirals: `classes` arms (CS231n): arm c has radius 0..1 and angle 4c..4(c+1) radians plus noise·N(0,1) (CS231n used noise 0.2). */
function spirals(p: GenerateParams, rng: Rng): Generated {
  return classification(p, p.classes, rng, (cls, i, count) => {
    const r = linspace(0, 1, i, count);
    const t = linspace(4 * cls, 4 * (cls + 1), i, count) + p.noise * rng.normal();
    return [r * Math.sin(t), r * Math.cos(t)];
  });
}

/** blobs: `classes` Gaussian clusters (std = noise) around centres drawn uniformly in [−1, 1]². */
function blobs(p: GenerateParams, rng: Rng): Generated {
  const centres: Point[] = Array.from({ length: p.classes }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]);
  return classification(p, p.classes, rng, (cls) => {
    const [a, b] = centres[cls];
    return [a + p.noise * rng.normal(), b + p.noise * rng.normal()];
  });
}

/** sine (regression): x uniform in [−π, π), y = sin(x) + noise·N(0,1). */
function sine(p: GenerateParams, rng: Rng): Generated {
  const x = zeros(p.samples, 1); // samples × 1
  const y = zeros(p.samples, 1); // samples × 1
  for (let r = 0; r < p.samples; r++) {
    x.data[r] = rng.uniform(-Math.PI, Math.PI);
    y.data[r] = Math.sin(x.data[r]) + p.noise * rng.normal();
  }
  return { x, y, classCount: 0 };
}

const GENERATORS: Record<GeneratorKind, (p: GenerateParams, rng: Rng) => Generated> = {
  xor,
  circles,
  moons,
  spirals,
  blobs,
  sine,
};

/** The data set `p.kind`, drawn from `rng` (the experiment's 'data' stream). */
export function generate(p: GenerateParams, rng: Rng): Generated {
  return GENERATORS[p.kind](p, rng);
}
