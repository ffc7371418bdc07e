// Messages for command-line mistakes: an unknown option gets the closest known option, or, when it names a key
// of an experiment file (`--epochs`), the `--set` that changes that key.

import { experimentSchema } from '../config/schema.js';
import { suggest } from '../config/suggest.js';
import { UserError } from '../errors.js';
import { OPTIONS } from './command.js';

/** Every key path of the experiment schema (`training.epochs`, `model.init.scheme`, a list's first item's `model.layers[0].units`, …). */
function keyPaths(schema: unknown, path = ''): string[] {
  const { properties, items } = (schema ?? {}) as { properties?: Record<string, unknown>; items?: unknown };
  const inItems = items !== null && typeof items === 'object' && !Array.isArray(items) ? keyPaths(items, `${path}[0]`) : [];
  const own = Object.entries(properties ?? {}).flatMap(([k, v]) => {
    const key = path === '' ? k : `${path}.${k}`;
    return [key, ...keyPaths(v, key)];
  });
  return [...own, ...inItems];
}

/** A usage error for parseArgs' complaint `e`, with a suggestion for an unknown option. */
export function optionError(e: Error & { code?: string }): UserError {
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(e.message);
  if (e.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown === null) return new UserError('usage', e.message);
  const [, dashes, word] = unknown;
  const near = suggest(word, Object.keys(OPTIONS));
  if (near !== undefined) return new UserError('usage', `unknown option ${dashes}${word} (did you mean --${near}?)`);
  const name = word.replaceAll('-', '_'); // --batch-size: the key batch_size
  const key = keyPaths(experimentSchema).filter((p) => p === name || p.endsWith(`.${name}`));
  const hint = key.length > 0 ? ` (to change ${key[0]} from the command line: --set ${key[0]}=VALUE)` : `; known options: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')}`;
  return new UserError('usage', `unknown option ${dashes}${word}${hint}`);
}
