// The metrics a run can watch (a learning-rate plateau, early stopping, expect:): every loss-log metric column
// any target kind can have (metrics.ts's KIND_SCORES, per part of the data; which way is better: metrics.ts's maximised).
// Whether a run's loss log has the column is checked against its data (runner/prepare.ts), not here.

import { SCORE_NAMES } from '../metrics.js';


const PARTS = ['train', 'validation', 'test'] as const;

/** `train_loss`, `train_accuracy`, …, `test_mae`: a part of the data and its loss or one of the kinds' scores. */
export type Monitor = `${(typeof PARTS)[number]}_${string}`;

export const MONITORS: readonly Monitor[] = PARTS.flatMap((p) => ['loss', ...SCORE_NAMES].map((s): Monitor => `${p}_${s}`));

/** The schema fragment of a `monitor` key. */
export const monitorSetting = (description: string) =>
  ({
    description: `${description} Any metric of the loss log (validation_* needs data.split.validation); accuracies and r2 are maximised, losses and errors (rmse, mae) minimised.`,
    type: 'string',
    enum: MONITORS,
    default: 'validation_loss',
    examples: ['validation_loss', 'train_loss'],
  }) as const;
