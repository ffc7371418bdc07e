// Everything the config layer knows about a choice among descriptors (the optimizer's `type`, the init
// `scheme`) is derived here from the registry: its JSON Schema (the union of all settings, each choice's
// defaults applied only when it is chosen), which keys each choice takes, and which choices take a key.

import type { Descriptor, Setting } from '../descriptor.js';

/** A choice among descriptors, by the value of `key`; `fallback` is the one used when `key` is absent. */
export interface Choice {
  key: string;
  fallback: string;
  registry: Readonly<Record<string, Descriptor>>;
}

/** The keys a choice takes: the discriminator, then its settings. */
export const keysOf = (c: Choice, name: string): string[] => [c.key, ...Object.keys(c.registry[name]?.settings ?? {})];

/** The choices that take a setting. */
export const takersOf = (c: Choice, setting: string): string[] =>
  Object.values(c.registry).filter((d) => setting in d.settings).map((d) => d.name);

/** A setting's fragment without its default, to compare two choices' definitions of the same key. */
function constraints(s: Setting): string {
  const { default: _d, description: _s, examples: _e, ...rest } = s;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

/**
 * The union of every choice's settings as schema properties (constraints and docs; no defaults), and one
 * if/then per choice that fills its defaults only when it is the one chosen (the fallback also when the
 * discriminator is absent). Two choices may share a key only with the same constraints.
 */
export function choiceProperties(c: Choice): { properties: Record<string, object>; allOf: object[] } {
  const all = Object.values(c.registry);
  const properties: Record<string, object> = {};
  for (const d of all) {
    for (const [key, s] of Object.entries(d.settings)) {
      const first = all.find((o) => key in o.settings)!;
      if (constraints(first.settings[key]) !== constraints(s)) {
        throw new Error(`${first.name} and ${d.name} define the setting "${key}" with different constraints`);
      }
      if (key in properties) continue;
      const takers = takersOf(c, key);
      const { default: _d, ...doc } = s;
      const who = takers.length === all.length ? '' : ` (${takers.join(', ')} only)`;
      properties[key] = { ...doc, description: `${s.description}${who} Default: ${defaultsText(c, key)}.` };
    }
  }
  const allOf = all.map((d) => ({
    if: { properties: { [c.key]: { const: d.name } }, ...(d.name === c.fallback ? {} : { required: [c.key] }) },
    then: { properties: Object.fromEntries(Object.entries(d.settings).map(([k, s]) => [k, { default: s.default }])) },
  }));
  return { properties, allOf };
}

/** "0.1", or "0 (adamw: 0.01)" when choices differ. */
function defaultsText(c: Choice, key: string): string {
  const values = Object.values(c.registry).filter((d) => key in d.settings).map((d) => [d.name, d.settings[key].default] as const);
  const common = values[0][1];
  const others = values.filter(([, v]) => v !== common);
  return [String(common), ...others.map(([n, v]) => `(${n}: ${v})`)].join(' ');
}

/** Every choice's one-sentence description, in registry order. */
export const describeChoices = (c: Choice): string => Object.values(c.registry).map((d) => d.description).join(' ');

/** The schema of an object whose `type` chooses among a registry's descriptors (the optimizer, the schedule). */
export function typeChoiceSchema(c: Choice, description: string, typeExamples: string[], examples: object[]) {
  const { properties, allOf } = choiceProperties(c);
  return {
    description,
    type: 'object',
    additionalProperties: false,
    properties: {
      type: { description: describeChoices(c), enum: Object.keys(c.registry), default: c.fallback, examples: typeExamples },
      ...properties,
    },
    allOf,
    default: { type: c.fallback },
    examples,
  };
}
