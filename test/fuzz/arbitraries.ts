// Random inputs for the fuzz properties: YAML-ish documents, mutations of the shipped experiments, and
// CSV files. Small pools of tokens that hit the edges (non-finite numbers, quotes, anchors, line breaks).
import fc from 'fast-check';
import { stringify } from 'yaml';

const NUMBERS = ['0', '1', '-1', '2', '0.5', '1e400', '-1e400', '.inf', '-.inf', '.nan', '1e-400', '1e9', '0x10', '3'];
const WORDS = ['name', 'seed', 'data', 'inline', 'inputs', 'targets', 'csv', 'path', 'target', 'generate', 'kind', 'xor', 'model', 'layers', 'units', 'activation', 'softmax', 'tanh', 'sigmoid', 'loss', 'mse', 'cross_entropy', 'training', 'epochs', 'batch_size', 'optimizer', 'type', 'sgd', 'adam', 'learning_rate', 'split', 'test', 'preprocess', 'standardize', 'init', 'from', 'd.csv', '..', '.', '__proto__', 'constructor'];
const PUNCT = [': ', '- ', '[', ']', '{', '}', ', ', '\n', '\n  ', '\n    ', '&a ', '*a', '"', "'", '#', '|', '>', '!!str ', '? ', '---\n', '\t', '\0', '\r\n'];

/** A token-soup YAML document: mostly well-formed pieces in random order. */
export const yamlSoup = fc.array(fc.constantFrom(...NUMBERS, ...WORDS, ...PUNCT), { maxLength: 60 }).map((t) => t.join(''));

const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(1, 0, -1, 0.5, 1e9, 'x', 'xor', 'softmax', true, null), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(fc.constantFrom(...WORDS), tie('value'), { maxKeys: 5 }),
}));

/** A random mapping with experiment keys likely, written as block YAML. */
export const yamlValue = tree.map.map((v) => stringify(v));

/** One text edit of a document: delete, duplicate or replace a span, or insert a token. */
const edit = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate-line'),
  at: fc.nat(),
  length: fc.nat({ max: 12 }),
  token: fc.constantFrom(...NUMBERS, ...WORDS, ...PUNCT),
});

export function applyEdits(text: string, edits: readonly { kind: string; at: number; length: number; token: string }[]): string {
  for (const e of edits) {
    const at = text.length === 0 ? 0 : e.at % text.length;
    if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
    else if (e.kind === 'insert') text = text.slice(0, at) + e.token + text.slice(at);
    else if (e.kind === 'replace') text = text.slice(0, at) + e.token + text.slice(at + e.length);
    else {
      const lines = text.split('\n');
      const k = e.at % lines.length;
      lines.splice(k, 0, lines[k]);
      text = lines.join('\n');
    }
  }
  return text;
}

export const edits = fc.array(edit, { minLength: 1, maxLength: 4 });

const CELLS = ['0', '1', '2.5', '-3', '', ' ', '1e400', 'NaN', 'x', 'y', '"q"', '"a,b"', '"line\nbreak"', '"', '""', 'a"b', '1,5', '\ufeff', '\r', '7 '];

/** A CSV text: a header of 1–4 names, then 0–6 rows of random cells and separators. */
export const csvText = fc
  .tuple(
    fc.array(fc.constantFrom('a', 'b', 'y', 'a', '', '1'), { minLength: 1, maxLength: 4 }),
    fc.array(fc.array(fc.constantFrom(...CELLS), { maxLength: 5 }), { maxLength: 6 }),
    fc.constantFrom('\n', '\r\n', '\n\n'),
  )
  .map(([header, rows, eol]) => [header.join(','), ...rows.map((r) => r.join(','))].join(eol) + eol);
