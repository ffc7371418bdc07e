// The metrics a run can watch (a learning-rate plateau, early stopping, expect:): the loss log's metric columns, and
// which way is better for each (accuracy and R² are maximised, losses minimised).

export const MONITORS = [
  'train_loss',
  'train_accuracy',
  'train_r2',
  'validation_loss',
  'validation_accuracy',
  'validation_r2',
  'test_loss',
  'test_accuracy',
  'test_r2',
] as const;
export type Monitor = (typeof MONITORS)[number];

/** Is a larger value of this metric better? */
export const maximised = (name: string): boolean => /_(accuracy|r2)$/.test(name);

/** The schema fragment of a `monitor` key. */
export const monitorSetting = (description: string) =>
  ({
    description: `${description} Any metric of the loss log (validation_* needs data.split.validation); accuracy and r2 are maximised, losses minimised.`,
    type: 'string',
    enum: MONITORS,
    default: 'validation_loss',
    examples: ['validation_loss', 'train_loss'],
  }) as const;
