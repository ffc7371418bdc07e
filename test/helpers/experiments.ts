// Small experiment files that several tests write into their temp folders.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Spirals (200 points, 160 training rows) through 32 tanh units, 8 epochs of batches of 16, a checkpoint every epoch: DIR/NAME.yaml. */
export function checkpointedSpirals(dir: string, name: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}\nseed: 3\ndata:\n  generate: { kind: spirals, samples: 200, classes: 3, noise: 0.1 }\n  split: { test: 0.2 }\n` +
      'model:\n  layers:\n    - { units: 32, activation: tanh }\n    - { units: 3, activation: softmax }\n' +
      'loss: cross_entropy\ntraining:\n  epochs: 8\n  batch_size: 16\n  checkpoint: { every: 1 }\n  optimizer: { type: adam, learning_rate: 0.01 }\n',
  );
  return file;
}
