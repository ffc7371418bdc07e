// Refuses, before parsing, YAML text that is not a plausible experiment file and would make the parser slow
// or crash: binary files (NUL bytes), huge lines, and nesting deeper than any experiment needs (flow
// brackets or block indentation). Alias expansion is bounded separately, in source.ts (aliasBudget).

import { UserError } from '../errors.js';

export const YAML_LIMITS = Object.freeze({ lineLength: 1_000_000, depth: 64 });

/** The alias expansion allowed: in proportion to the document's size, so an ordinary file may use aliases freely. */
export function aliasBudget(text: string): number {
  return Math.max(100, 10 * text.length);
}

/** Throws a located UserError for a NUL byte, a line longer than the limit, or nesting deeper than the limit. */
export function checkYamlText(text: string, file: string): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const msg = 'expected a YAML text file, but found a NUL byte (is this a binary file?)';
    throw new UserError('yaml_syntax', msg, placeAt(text, nul, file));
  }
  let start = 0;
  const indents: number[] = [];
  let flow = 0;
  for (let line = 1; start <= text.length; line++) {
    const end = nextBreak(text, start);
    if (end - start > YAML_LIMITS.lineLength) {
      const msg = `expected lines of at most ${YAML_LIMITS.lineLength} characters, but line ${line} has ${end - start}`;
      throw new UserError('yaml_syntax', msg, { file, line, column: 1 });
    }
    flow = checkLine(text.slice(start, end), indents, flow, { file, line });
    start = end + 1;
  }
}

function nextBreak(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  return n < 0 ? text.length : n;
}

function placeAt(text: string, offset: number, file: string): { file: string; line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

const tooDeep = (place: { file: string; line: number }, column: number): UserError =>
  new UserError('yaml_syntax', `expected nesting at most ${YAML_LIMITS.depth} levels deep, but the document nests deeper here`, { ...place, column });

/**
 * Tracks the block depth (a stack of indentations) and the flow depth (open [ and {, outside quotes and
 * comments) through one line; returns the flow depth at its end. NOTE: an approximation of YAML's rules
 * that only ever over-counts by a little, far below the limit for real files.
 */
function checkLine(line: string, indents: number[], flow: number, place: { file: string; line: number }): number {
  const indent = line.length - line.trimStart().length;
  const content = line.trim();
  if (content !== '' && !content.startsWith('#') && flow === 0) {
    while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
    indents.push(indent);
    if (indents.length > YAML_LIMITS.depth) throw tooDeep(place, indent + 1);
  }
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== '') {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s,[{:]/.test(line[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      break;
    } else if (c === '[' || c === '{') {
      if (++flow + indents.length > YAML_LIMITS.depth) throw tooDeep(place, i + 1);
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    }
  }
  return flow;
}
