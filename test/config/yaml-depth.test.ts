// The nesting check before parsing (config/limits.ts checkYamlText) counts the nesting YAML gives, not brackets in
// text: a `[` or `{` inside a scalar (a block scalar's lines, a plain or quoted scalar, over one line or several)
// opens nothing, and a block scalar's lines are not indentation. It counted them, so a valid experiment whose
// description listed 64 half-open intervals ("values in [0, 1)") was refused: 'expected nesting at most 64 levels
// deep, but the document nests deeper here'. Nesting that is there is still refused where it goes too deep.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/index.js';
import { checkYamlText } from '../../src/config/limits.js';
import { userError } from '../data/helpers.js';
import { tempDirs } from '../helpers/cli.js';

const tempDir = tempDirs('mlplab-yaml-depth');
const XOR = readFileSync(new URL('../../experiments/xor-softmax.yaml', import.meta.url), 'utf8');
const intervals = (n: number, indent: string, start = '') => Array.from({ length: n }, (_, k) => `${indent}${start}bin ${k}: values in [${k}, ${k + 1})`).join('\n');

describe('brackets in scalars are text, not nesting', () => {
  const descriptions: [string, string][] = [
    ['a block scalar (|)', `description: |\n${intervals(70, '  ')}`],
    ['a folded block scalar (>-) whose lines start with a bracket', `description: >-\n${Array.from({ length: 70 }, (_, k) => `  [${k}, ${k + 1}) {`).join('\n')}`],
    ['a block scalar whose lines indent deeper and deeper', `description: |\n${Array.from({ length: 70 }, (_, k) => `  ${' '.repeat(k)}x`).join('\n')}`],
    ['a plain scalar over several lines', `description: values\n${intervals(70, '  ', 'and ').replace(/: /g, ' has ')}`],
    ['a double-quoted scalar over several lines', `description: "values\n${intervals(70, '  ')}"`],
    ['a single-quoted scalar over several lines', `description: 'values\n${intervals(70, '  ')}'`],
  ];
  for (const [what, description] of descriptions) {
    it(`${what}: the experiment loads`, () => {
      const file = join(tempDir(), 'x.yaml');
      writeFileSync(file, XOR.replace(/^description: >-\n(  .*\n)+/m, `${description}\n`));
      expect(() => checkYamlText(readFileSync(file, 'utf8'), file)).not.toThrow();
      expect(loadExperiment(file).config.name).toBe('xor-softmax');
    });
  }
});

describe('nesting that is there is still refused', () => {
  it('flow collections 65 deep after a block scalar with brackets', () => {
    const text = `description: |\n${intervals(10, '  ')}\nname: ${'['.repeat(70)}${']'.repeat(70)}\n`;
    expect(userError(() => checkYamlText(text, 'e.yaml')).format()).toBe('e.yaml:12:70: expected nesting at most 64 levels deep, but the document nests deeper here');
  });

  it('flow collections over several lines, and block mappings 65 deep', () => {
    const flow = `a:\n${Array.from({ length: 70 }, () => '  [').join('\n')}\n`;
    expect(userError(() => checkYamlText(flow, 'e.yaml')).format()).toBe('e.yaml:64:3: expected nesting at most 64 levels deep, but the document nests deeper here');
    const block = Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}k${i}: # [[[\n`).join('');
    expect(userError(() => checkYamlText(block, 'e.yaml')).format()).toBe('e.yaml:65:65: expected nesting at most 64 levels deep, but the document nests deeper here');
    // A byte-order mark (a Windows editor's) is no indentation: the first key stays at the first level.
    expect(userError(() => checkYamlText(`\ufeff${block}`, 'e.yaml')).format()).toBe('e.yaml:65:65: expected nesting at most 64 levels deep, but the document nests deeper here');
  });
});
