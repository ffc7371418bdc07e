// The shape every configurable choice shares (an optimizer, an init scheme): its name, a sentence for the
// schema, and its settings as JSON Schema fragments with their defaults. The experiment schema, the per-type
// key checks and the config resolution are all derived from descriptors (config/choices.ts), never written twice.

/** One setting of a choice: a JSON Schema fragment (draft-07) with its description, default and examples. */
export interface Setting {
  readonly description: string;
  readonly type: 'number' | 'integer' | 'boolean' | 'string';
  readonly default: number | boolean | string;
  readonly examples: readonly (number | boolean | string)[];
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
}

export interface Descriptor {
  /** The value of the choice's discriminating key (`type: adam`, `scheme: he_normal`). */
  readonly name: string;
  /** One sentence: what it is, with the PyTorch definition it follows. */
  readonly description: string;
  /** Every key it takes besides the discriminator, with defaults. */
  readonly settings: Readonly<Record<string, Setting>>;
}

/** A registry frozen whole, its entries too: nothing can change a shipped activation, loss or optimizer. */
export function frozen<T extends Record<string, object>>(record: T): Readonly<T> {
  for (const entry of Object.values(record)) Object.freeze(entry);
  return Object.freeze(record);
}

/** A frozen name → descriptor registry, from a list of descriptors (in their documented order). */
export function registry<const D extends Descriptor>(list: readonly D[]): Readonly<Record<D['name'], D>> {
  for (const d of list) Object.freeze(d.settings);
  return frozen(Object.fromEntries(list.map((d) => [d.name, d])) as Record<D['name'], D>);
}

/** cfg with the settings it leaves out filled from the descriptor's defaults (as the schema fills them in a file). */
export function withDefaults<C>(d: Descriptor, cfg: C): C {
  return { ...Object.fromEntries(Object.entries(d.settings).map(([k, s]) => [k, s.default])), ...cfg };
}
