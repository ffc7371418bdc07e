// "Did you mean": the edit distance (with adjacent swaps as one edit) and the suggestion it picks, and the
// messages validate gives with it for misspelt values (enums and the string alternative of batch_size).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { editDistance, suggest } from '../../src/config/suggest.js';
import { experimentFromObject } from '../../src/config/load.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['tanh', 'tanh', 0],
    ['tahn', 'tanh', 1], // one swap
    ['tnah', 'tanh', 1],
    ['tanhh', 'tanh', 1], // one insertion
    ['sigmiod', 'sigmoid', 1],
    ['ca', 'abc', 3], // optimal string alignment: a swapped pair is not edited again
    ['kitten', 'sitting', 3],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('is at most the Levenshtein distance and at least the difference of lengths', () => {
    const levenshtein = (a: string, b: string): number => {
      const m = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) m[i][j] = Math.min(m[i - 1][j] + 1, m[i][j - 1] + 1, m[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      return m[a.length][b.length];
    };
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = editDistance(a, b);
        return d <= levenshtein(a, b) && d >= Math.abs(a.length - b.length) && (d === 0) === (a === b);
      }),
    );
  });
});

describe('suggest', () => {
  it('picks the nearest name within a third of the word', () => {
    expect(suggest('tahn', ['linear', 'sigmoid', 'tanh', 'relu'])).toBe('tanh');
    expect(suggest('adma', ['sgd', 'adam', 'adamw'])).toBe('adam');
    expect(suggest('Tanh', ['tanh'])).toBe('tanh');
    expect(suggest('gelu', ['linear', 'sigmoid', 'tanh', 'softmax'])).toBeUndefined();
  });
});

describe('validate suggests values', () => {
  const base = () => ({
    data: { inline: { inputs: [[0, 0], [1, 1]], targets: [[1, 0], [0, 1]] } },
    model: { layers: [{ units: 2, activation: 'softmax' }] },
    loss: 'cross_entropy',
  });
  it.each([
    [{ training: { optimizer: { type: 'adma' } } }, /training\.optimizer\.type: expected one of: .*; found "adma" \(did you mean "adam"\?\)/],
    [{ loss: 'cross_entorpy' }, /loss: expected one of: .*; found "cross_entorpy" \(did you mean "cross_entropy"\?\)/],
    [{ training: { batch_size: 'ful' } }, /training\.batch_size: expected an integer >= 1 or "full", found "ful" \(did you mean "full"\?\)/],
  ])('%j', (patch, message) => {
    expect(() => experimentFromObject({ ...base(), ...patch })).toThrow(message);
  });
});
