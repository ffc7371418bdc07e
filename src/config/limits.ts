// Refuses, before parsing, YAML text that is not a plausible experiment file and would make the parser slow
// or crash: binary files (NUL bytes), huge lines, and nesting deeper than any experiment needs (flow
// brackets or block indentation). Alias expansion is bounded separately, in source.ts (aliasBudget).

import { Lexer } from 'yaml';
import { UserError } from '../errors.js';
import { placeAt } from '../files/jsonscan.js';

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
  for (let line = 1; start <= text.length; line++) {
    const end = nextBreak(text, start);
    if (end - start > YAML_LIMITS.lineLength) {
      const msg = `expected lines of at most ${YAML_LIMITS.lineLength} characters, but line ${line} has ${end - start}`;
      throw new UserError('yaml_syntax', msg, { file, line, column: 1 });
    }
    start = end + 1;
  }
  checkDepth(text, file);
}

function nextBreak(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  return n < 0 ? text.length : n;
}

const tooDeep = (place: { file: string; line: number }, column: number): UserError =>
  new UserError('yaml_syntax', `expected nesting at most ${YAML_LIMITS.depth} levels deep, but the document nests deeper here`, { ...place, column });

/** The yaml Lexer's tokens that stand for no text (cst.ts: DOCUMENT, FLOW_END, SCALAR). */
const MARKERS = new Set(['\x02', '\x18', '\x1f']);

/**
 * Tracks the block depth (a stack of the indentations of lines that start a node) and the flow depth (open [ and
 * {) over the yaml package's Lexer tokens, which do not nest (the parser's recursion, which the limit protects, comes
 * after). NOTE: the Lexer, not a scan of the characters: a [ or { inside a scalar (a block scalar's lines, a plain or
 * quoted scalar over several lines) opens nothing, and a scalar's lines are not indentation; counting them refused
 * valid files (a description listing 64 intervals like [0, 1)). Still an approximation of YAML's nesting that only
 * over-counts by a little (a value on the line below its key counts a level), far below the limit for real files.
 */
function checkDepth(text: string, file: string): void {
  const indents: number[] = [];
  let flow = 0;
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  let started = false; // a token of this line that is not indentation came before
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) continue;
    const at = offset;
    offset += token.length;
    if (token === '\ufeff') lineStart = offset; // a byte-order mark is no indentation
    // The first token of a line that starts a node, outside flow collections: its indentation is a block level.
    if (!started && token !== '' && !/^\s/.test(token) && !token.startsWith('#')) {
      started = true;
      if (flow === 0) {
        const indent = at - lineStart;
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        if (indents.length > YAML_LIMITS.depth) throw tooDeep({ file, line }, indent + 1);
      }
    }
    if (token === '[' || token === '{') {
      if (++flow + indents.length > YAML_LIMITS.depth) throw tooDeep({ file, line }, at - lineStart + 1);
    } else if ((token === ']' || token === '}') && flow > 0) {
      flow--;
    }
    for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) {
      line++;
      lineStart = at + i + 1;
      started = i + 1 < token.length; // a line that starts inside a token (a scalar's) starts no node
    }
  }
}
