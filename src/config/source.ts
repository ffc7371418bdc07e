// A YAML file parsed with positions: its plain value, the syntax and duplicate-key errors the yaml package
// found (with line and column), and `at(path)`, which finds where a key path stands in the file.
// Knows nothing of experiments; validate.ts and checks.ts use it to place their messages.

import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Pair } from 'yaml';
import { formatPath, systemReason, UserError, type KeyPath, type Place } from '../errors.js';
import { isUtf8 } from 'node:buffer';
import { READ_LIMITS, readBoundedBytes } from '../files/safefs.js';
import { aliasBudget, checkYamlText } from './limits.js';

export type { KeyPath } from '../errors.js';

export interface YamlSource {
  /** The file, as messages show it; undefined for a value given as an object (experimentFromObject). */
  file?: string;
  /** The document as plain JavaScript (undefined when it did not parse). */
  value: unknown;
  /** Syntax errors and duplicate keys, in file order. */
  errors: UserError[];
  /** Where the value at this key path starts (or the nearest enclosing one that exists in the file). */
  at(path: KeyPath): Place;
  /** Where the key itself of the last path segment stands (for unknown keys). */
  atKey(path: KeyPath): Place;
  /** The number at exactly this key path as the file writes it (`1e300`, `0x40000000000001`), for messages: the value read may be rounded. */
  numberText(path: KeyPath): string | undefined;
}

/** Reads (at most READ_LIMITS.experiment bytes) and parses a YAML file; an unreadable file is a UserError. */
export function readYamlFile(file: string): YamlSource {
  let text: string;
  try {
    const bytes = readBoundedBytes(file, READ_LIMITS.experiment, 'an experiment file');
    text = bytes.toString('utf8');
    if (!isUtf8(bytes)) notUtf8(text, bytes, file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : systemReason(e);
    throw new UserError('io', `cannot read the experiment file: ${why}`, { file });
  }
  return parseYaml(text, file);
}

/** Throws a UserError at the first byte that is not UTF-8 (the decoder made it U+FFFD; a U+FFFD written in the file is EF BF BD). */
function notUtf8(text: string, bytes: Buffer, file: string): never {
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
    const at = Buffer.byteLength(text.slice(0, i));
    if (bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd) continue;
    const lines = text.slice(0, i).split('\n');
    const msg = `expected UTF-8 text, but found the byte 0x${bytes[at].toString(16).padStart(2, '0')}, which is not UTF-8 here (is the file saved in another encoding, such as Latin-1? save it as UTF-8)`;
    throw new UserError('yaml_syntax', msg, { file, line: lines.length, column: lines[lines.length - 1].length + 1 });
  }
  throw new UserError('yaml_syntax', 'expected UTF-8 text, but the file is not UTF-8', { file });
}

/**
 * Parses YAML text. Without `file` the text was written from an object (experimentFromObject): its lines and
 * columns mean nothing to the user, so places hold the key path only.
 */
export function parseYaml(text: string, file?: string): YamlSource {
  try {
    checkYamlText(text, file ?? '');
  } catch (e) {
    throw file === undefined && e instanceof UserError ? new UserError(e.code, e.message) : e;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const placeOf = (offset: number, path: KeyPath): Place => {
    if (file === undefined) return { path: formatPath(path) };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, path: formatPath(path) };
  };
  // An unclosed [ or { is reported where the parser gave up (the next key, often on the next line); place it
  // at the bracket instead: the flow collections that end at the error, innermost first.
  const unclosed = new Map<number, number[]>();
  visit(doc, {
    Collection(_key, node) {
      const [start, end] = node.range ?? [];
      if (node.flow && start !== undefined && end !== undefined && start < end) unclosed.set(end, [...(unclosed.get(end) ?? []), start]);
    },
  });
  for (const starts of unclosed.values()) starts.sort((a, b) => b - a);
  const errors = doc.errors.map((e) => {
    if (e.code === 'BAD_INDENT' && /^Flow (sequence|map)\b/.test(e.message) && unclosed.get(e.pos[0])?.length) {
      const start = unclosed.get(e.pos[0])!.shift()!;
      return new UserError('yaml_syntax', `YAML syntax error: ${e.message}`, placeOf(start, []));
    }
    if (e.code === 'MULTIPLE_DOCS') {
      const msg = 'expected one YAML document, found a second one (after a --- line): an experiment file holds one experiment';
      return new UserError('yaml_syntax', msg, placeOf(e.pos[0], []));
    }
    const duplicate = e.code === 'DUPLICATE_KEY';
    // e.pos spans only the key's first character: read the key (plain or quoted) from there to its colon.
    const key = (/^("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(e.pos[0]))?.[1] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
    const message = duplicate
      ? `duplicate key "${key}": each key may appear once in a mapping; remove or rename one of them`
      : `YAML syntax error: ${e.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '')}`;
    return new UserError(duplicate ? 'duplicate_key' : 'yaml_syntax', message, placeOf(e.pos[0], []));
  });
  // A tag the core schema cannot apply (!foo, !!int x, !!float 3) left the value a string, silently: refuse it.
  for (const w of doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')) {
    const tag = unresolvedTag(w) ?? 'this tag';
    const msg = `expected a plain value, or a tag YAML's core schema applies to it; found the tag ${tag}, which it cannot apply here: remove the tag`;
    errors.push(new UserError('yaml_syntax', msg, placeOf(w.pos[0], [])));
  }
  errors.push(...nonFiniteNumbers(doc, placeOf), ...oddKeys(doc, placeOf));
  const value = errors.length > 0 ? undefined : plainValue(doc, text, placeOf);
  return {
    file,
    value,
    errors,
    at: (path) => locate(doc, path, false, placeOf),
    atKey: (path) => locate(doc, path, true, placeOf),
    numberText: (path) => numberText(doc, path),
  };
}

type PlaceOf = (offset: number, path: KeyPath) => Place;

/**
 * An option's value (--set, --sweep) read as YAML, and the number at a key path of it as written (`--sweep
 * seed=18014398509481985`'s item, which reads rounded); throws an Error whose first line says what is wrong: a syntax
 * error, a tag the core schema cannot apply (the yaml package only warns, on stderr, and keeps a string), or a
 * key that is not a name (refused in files too; the yaml package would warn and make a string of it).
 */
export function parseOptionText(text: string): { value: unknown; numberText(path: KeyPath): string | undefined } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tag !== undefined) throw new Error(`the tag ${unresolvedTag(tag)} cannot be applied here: remove it`);
  const odd = oddKeys(doc, (_offset, path) => ({ path: formatPath(path) }));
  if (odd.length > 0) throw new Error(odd[0].message);
  return { value: doc.toJS({ maxAliasCount: 100 }), numberText: (path) => numberText(doc, path) };
}

/** The tag a TAG_RESOLVE_FAILED warning names, as written (!!float for tag:yaml.org,2002:float). */
const unresolvedTag = (w: { message: string }): string | undefined => /Unresolved tag: (\S+)/.exec(w.message)?.[1]?.replace(/^tag:yaml\.org,2002:/, '!!');

/** The document as plain JavaScript; alias expansion beyond the budget (a "billion laughs" bomb) is a UserError. */
function plainValue(doc: Document, text: string, placeOf: PlaceOf): unknown {
  try {
    return doc.toJS({ maxAliasCount: aliasBudget(text) });
  } catch (e) {
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e;
    const unresolved = /^Unresolved alias\b.*: (.*)$/.exec(e.message)?.[1];
    if (unresolved !== undefined) return unknownAlias(doc, unresolved, placeOf);
    const msg = `the aliases (*name) expand to far more than the file's size (${text.length} characters): refused as a resource-exhaustion attack`;
    throw new UserError('yaml_syntax', msg, placeOf(aliasOffset(doc), []));
  }
}

/** An alias (*name) with no anchor &name before it: the yaml package would call it a bomb's excess. */
function unknownAlias(doc: Document, name: string, placeOf: PlaceOf): never {
  const msg = `expected an anchor &${name} before the alias *${name}, found none (an alias repeats a value marked earlier in the file)`;
  throw new UserError('yaml_syntax', msg, placeOf(aliasOffset(doc, name), []));
}

/** Where the file's first alias stands (the first *name, when name is given); 0 when there is none. */
function aliasOffset(doc: Document, name?: string): number {
  let offset = 0;
  visit(doc, { Alias: (_k, node) => (name === undefined || node.source === name ? ((offset = node.range?.[0] ?? 0), visit.BREAK) : undefined) });
  return offset;
}

/** Keys that are not names: a list or mapping as a key (`? [a, b]`; the yaml package would make a string of it
 * and print a warning), or an empty one (`~: 1`, `: 1`). */
function oddKeys(doc: Document, placeOf: PlaceOf): UserError[] {
  const errors: UserError[] = [];
  visit(doc, {
    Pair(_key, pair, ancestors) {
      const key = pair.key;
      if (isAlias(key) || (isScalar(key) && key.value !== null && typeof key.value !== 'object')) return;
      const found = isSeq(key) ? 'a list' : isMap(key) ? 'a mapping' : 'an empty key';
      const node = isNode(key) ? key : isNode(pair.value) ? pair.value : undefined;
      errors.push(new UserError('yaml_syntax', `expected a key name, found ${found}`, placeOf(node?.range?.[0] ?? 0, keyPathOf(ancestors.slice(0, -1), ancestors.at(-1)))));
    },
  });
  return errors;
}

/** `.inf`, `.nan` and numbers beyond float64 such as 1e400: no experiment value may be one. */
function nonFiniteNumbers(doc: Document, placeOf: PlaceOf): UserError[] {
  const errors: UserError[] = [];
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'number' || Number.isFinite(node.value)) return;
      const path = keyPathOf(ancestors, node);
      const msg = `expected a finite number, found ${JSON.stringify(node.source ?? String(node.value))}, which is ${Number.isNaN(node.value) ? 'not a number' : /^[-+]?\./.test(node.source ?? '') ? 'infinite' : 'beyond the range of a 64-bit float'}`;
      errors.push(new UserError('schema', msg, placeOf(node.range?.[0] ?? 0, path)));
    },
  });
  return errors;
}

/** The key path of `node` from the visitor's ancestors (document, collections and pairs). */
function keyPathOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let k = 0; k < chain.length - 1; k++) {
    const [parent, child] = [chain[k], chain[k + 1]];
    if (isSeq(parent)) path.push(parent.items.indexOf(child as never));
    if (isPair(parent) && parent.value === child && isScalar(parent.key)) path.push(String(parent.key.value));
  }
  return path;
}

/** The source text of the number at exactly `path` (undefined when the file has no number there). */
function numberText(doc: Document, path: KeyPath): string | undefined {
  let node: unknown = doc.contents;
  for (const seg of path) node = step(node, seg).next;
  return isScalar(node) && typeof node.value === 'number' ? node.source : undefined;
}

/** One key path segment into a node, as locate and numberText walk: a mapping's pair of that key, or a list's item. */
function step(node: unknown, seg: string | number): { pair?: Pair; next: unknown } {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
    return { pair, next: pair?.value };
  }
  return { next: isSeq(node) && typeof seg === 'number' ? node.items[seg] : undefined };
}

/** Walks the document along path as far as it exists and places the deepest node reached. */
function locate(doc: Document, path: KeyPath, wantKey: boolean, placeOf: (offset: number, path: KeyPath) => Place): Place {
  let node: unknown = doc.contents;
  let offset = (isNode(node) && node.range?.[0]) || 0;
  for (let k = 0; k < path.length; k++) {
    const { pair, next } = step(node, path[k]);
    if (pair && wantKey && k === path.length - 1 && isNode(pair.key)) return placeOf(pair.key.range?.[0] ?? offset, path);
    if (!isNode(next) || !next.range) return placeOf(offset, path);
    node = next;
    offset = next.range[0];
  }
  return placeOf(offset, path);
}
