// Schema validation with ajv (all errors, defaults filled in), turned into located, plain-sentence
// UserErrors: what was expected, what was found, and for unknown keys or names a "did you mean".
// Semantic checks that JSON Schema can't express are in checks.ts.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { formatPath, UserError } from '../errors.js';
import { validate as compiled } from './schema.validator.js';
import type { KeyPath, YamlSource } from './source.js';
import { suggest } from './suggest.js';

/** The experiment schema's validator, compiled ahead of time by `npm run schema` (ajv's standalone code). */
const validateSchema = compiled as ValidateFunction;

/**
 * Validates value in place (filling defaults). Returns the errors, placed with `source`;
 * `overridden(path)` names paths that came from --set rather than the file.
 */
export function validateExperiment(value: unknown, source: YamlSource, overridden: (path: KeyPath) => string | undefined): UserError[] {
  if (validateSchema(value)) return [];
  const errors = validateSchema.errors ?? [];
  const composites = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  // A composite whose value has the type of exactly one branch (target: [y, y] is a list) reports that branch's
  // own errors (duplicate items); otherwise the composite speaks for all its branches ("a string or an array").
  const chosen = new Map(composites.map((c) => [c, typedBranch(c)]));
  const within = (e: ErrorObject, c: ErrorObject) => e.schemaPath.startsWith(c.schemaPath + '/');
  return errors
    .filter((e) => e.keyword !== 'if')
    .filter((e) => (chosen.get(e) ?? -1) < 0)
    .filter((e) => composites.every((c) => !within(e, c) || e.schemaPath.startsWith(`${c.schemaPath}/${chosen.get(c)}/`)))
    .map((e) => toUserError(e, source, overridden))
    .filter((e, i, all) => all.findIndex((o) => o.format() === e.format()) === i);
}

/** The one branch of a oneOf/anyOf whose `type` the value has, or -1 (none, several, or a branch without a type). */
function typedBranch(e: ErrorObject): number {
  const data = e.data;
  const type = Array.isArray(data) ? 'array' : data === null ? 'null' : typeof data;
  const fits = (b: { type?: unknown }) => b.type === type || (type === 'number' && b.type === 'integer' && Number.isInteger(data));
  const branches = (Array.isArray(e.schema) ? e.schema : []) as { type?: unknown }[];
  // NOTE: only among branches that all name a type: batch_size's { const: full } keeps the composite's message.
  if (!branches.every((b) => typeof b.type === 'string')) return -1;
  const k = branches.findIndex(fits);
  return k >= 0 && branches.findIndex((b, j) => j > k && fits(b)) < 0 ? k : -1;
}

function toPath(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function toUserError(e: ErrorObject, source: YamlSource, overridden: (path: KeyPath) => string | undefined): UserError {
  const path = toPath(e.instancePath);
  let keyPath: KeyPath = path;
  let code: 'schema' | 'unknown_key' = 'schema';
  let message: string;
  let place = source.at(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      keyPath = [...path, key];
      code = 'unknown_key';
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      message = `unknown key "${key}"${didYouMean(key, known)}; expected one of: ${known.join(', ')}`;
      place = source.atKey(keyPath);
      break;
    }
    case 'required':
      message = `missing required key "${e.params.missingProperty}"`;
      keyPath = path;
      break;
    default:
      message = describe(e);
  }
  const from = overridden(keyPath);
  if (from !== undefined) return new UserError(code, `${message} (from ${from})`, { file: source.file, path: formatPath(keyPath) });
  return new UserError(code, message, { ...place, path: formatPath(keyPath) });
}

/** "expected …, found …" for the value-level keywords. */
function describe(e: ErrorObject): string {
  const found = `found ${show(e.data)}`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `expected ${String(p.type).split(',').map((t) => (t === 'null' ? 'null' : article(t))).join(' or ')}, ${found}`; // ajv joins a type list with ','
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return `expected one of: ${allowed.join(', ')}; ${found}${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}`;
    }
    case 'const':
      return `expected ${show(p.allowedValue)}, ${found}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const kind = (e.parentSchema as { type?: string } | undefined)?.type === 'integer' ? 'an integer' : 'a number';
      return `expected ${kind} ${p.comparison} ${p.limit}, ${found}`;
    }
    case 'minItems':
      return `expected at least ${p.limit} item(s), found ${(e.data as unknown[]).length}`;
    case 'minProperties':
      return `expected at least ${p.limit} key${p.limit === 1 ? '' : 's'}, found ${Object.keys(e.data as object).length === 0 ? 'an empty mapping' : `${Object.keys(e.data as object).length}`}`;
    case 'uniqueItems':
    {
      const [first, second] = [Number(p.i), Number(p.j)].sort((a, b) => a - b);
      return `expected distinct items, but items ${first + 1} and ${second + 1} are both ${show((e.data as unknown[])[first])}`;
    }
    case 'minLength':
      return `expected a string of at least ${p.limit} character(s), ${found}`;
    case 'maxLength':
      return `expected a string of at most ${p.limit} character(s), ${found}`;
    case 'pattern':
      return `expected a string matching ${p.pattern}, ${found}`;
    case 'oneOf':
    case 'anyOf': {
      const branches = e.schema as Record<string, unknown>[];
      const words = branches.filter((b) => typeof b.const === 'string').map((b) => b.const as string);
      return `expected ${alternatives(branches)}, ${found}${typeof e.data === 'string' ? didYouMean(e.data, words) : ''}`;
    }
    default:
      return `${e.message ?? 'invalid value'}, ${found}`;
  }
}

/** A short phrase for each branch of a oneOf/anyOf: its required key, its const, or its type. */
function alternatives(branches: Record<string, unknown>[]): string {
  const phrases = branches.map((b) => {
    if (Array.isArray(b.required) && b.required.length === 1) return `"${b.required[0]}"`;
    if ('const' in b) return show(b.const);
    if (b.type === 'integer' && typeof b.minimum === 'number') return `an integer >= ${b.minimum}`;
    return article(String(b.type ?? 'value'));
  });
  const keys = branches.every((b) => Array.isArray(b.required));
  return keys ? `exactly one of the keys ${phrases.join(', ')}` : phrases.join(' or ');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The longest string a message quotes whole; a longer one is cut (an error never echoes megabytes back). */
const SHOWN_CHARS = 200;

/** An option's text as messages quote it: whole up to SHOWN_CHARS, else its start and its length. */
export const brief = (text: string): string => (text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS / 2)}… (${text.length} characters)` : text);

/** A value as the user wrote it, shortened. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (typeof v === 'string' && v.length > SHOWN_CHARS) return `${JSON.stringify(v.slice(0, SHOWN_CHARS / 2))}… (a string of ${v.length} characters)`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `a list of ${v.length} item(s)`;
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const best = suggest(word, candidates);
  return best ? ` (did you mean "${best}"?)` : '';
}
