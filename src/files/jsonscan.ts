// Refuses, before JSON.parse, JSON text that parses but misleads: a key written twice in one object (JSON.parse
// silently keeps the last one, so a model file could say two things) and nesting deeper than any mlplab file
// needs (the checks that walk the parsed value would run out of stack). One pass over the text, jumping from
// one structural character to the next with a regular expression; a place is computed only for an error.
// NOTE: written here: the JSON libraries on npm that report duplicate keys (json-dup-key-validator, jsonc-parser
// with its visitor) build a token per number, several times slower on a model file that is mostly numbers.
// Syntax errors are left to JSON.parse, which runs next and names them.

import { UserError, type ErrorCode } from '../errors.js';

export const JSON_LIMITS = Object.freeze({ depth: 64 });

/** Throws a UserError at the line and column of the first duplicate key or of nesting beyond the limit. */
export function checkJsonText(text: string, file: string, code: ErrorCode, what = 'the file'): void {
  // NOTE: the next of each structural character by indexOf (a fast search), not a regular expression over every
  // character (4x slower on a 193 MB model file): the long runs of numbers in a model file's arrays are skipped whole.
  const next = new Structural(text);
  // One frame per open object (the keys seen) or array (undefined).
  const stack: (Set<string> | undefined)[] = [];
  for (let at = next.from(0); at >= 0; at = next.from(at + 1)) {
    const top = stack[stack.length - 1];
    switch (text[at]) {
      case '"': {
        const end = closingQuote(text, at);
        if (end < 0) return; // unterminated: JSON.parse says so
        if (top !== undefined && isKey(text, at)) {
          const key = decode(text.slice(at, end + 1));
          if (top.has(key)) throw new UserError(code, `the key ${JSON.stringify(key)} appears twice in one object of ${what} (a JSON reader keeps only the last): remove one`, placeAt(text, at, file));
          top.add(key);
        }
        at = end;
        break;
      }
      case '{':
      case '[':
        if (stack.length >= JSON_LIMITS.depth) throw new UserError(code, `expected nesting at most ${JSON_LIMITS.depth} levels deep in ${what}, but it nests deeper here`, placeAt(text, at, file));
        stack.push(text[at] === '{' ? new Set() : undefined);
        break;
      case '}':
      case ']':
        stack.pop();
        break;
    }
  }
}

/** The next `"`, `{`, `}`, `[` or `]` at or after a position, from one cached indexOf a character. */
class Structural {
  private readonly chars = ['"', '{', '}', '[', ']'];
  private readonly at: number[] = [-1, -1, -1, -1, -1];
  constructor(private readonly text: string) {}

  from(start: number): number {
    let best = -1;
    for (let k = 0; k < 5; k++) {
      if (this.at[k] !== Infinity && this.at[k] < start) {
        const i = this.text.indexOf(this.chars[k], start);
        this.at[k] = i < 0 ? Infinity : i;
      }
      if (this.at[k] !== Infinity && (best < 0 || this.at[k] < best)) best = this.at[k];
    }
    return best;
  }
}

/** In an object, a string right after `{` or `,` is a key (a value string follows a colon). */
function isKey(text: string, quote: number): boolean {
  let i = quote - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i--;
  return text[i] === '{' || text[i] === ',';
}

/** The index of the quote closing the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  for (let i = text.indexOf('"', open + 1); i >= 0; i = text.indexOf('"', i + 1)) {
    let backslashes = 0;
    while (text[i - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return -1;
}

/** A JSON string literal's value (escapes resolved), or the literal itself if it is not valid (JSON.parse reports it). */
function decode(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal;
  }
}

/** The line and column (1-based) of a character offset of the text. */
export function placeAt(text: string, offset: number, file: string): { file: string; line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++, (lineStart = i + 1);
  return { file, line, column: offset - lineStart + 1 };
}
