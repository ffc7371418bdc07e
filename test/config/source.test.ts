// Places of YAML-level problems (src/config/source.ts): duplicate keys are named in full, and an unclosed
// flow collection is placed at its opening bracket, not where the parser gave up.
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/config/source.js';

const errorsOf = (text: string) => parseYaml(text, 'f.yaml').errors.map((e) => e.format());

describe('YAML problems are placed and named', () => {
  it('names a duplicate key in full: plain, quoted, in a flow mapping', () => {
    const dup = (key: string, at: string) => `f.yaml:${at}: duplicate key "${key}": each key may appear once in a mapping; remove or rename one of them`;
    expect(errorsOf('epochs: 1\nepochs: 2\n')).toEqual([dup('epochs', '2:1')]);
    expect(errorsOf('"a:b": 1\n"a:b": 2\n')).toEqual([dup('a:b', '2:1')]);
    expect(errorsOf('opt: { lr: 1, lr: 2 }\n')).toEqual([dup('lr', '1:15')]);
  });

  it('places an unclosed [ or { at the bracket, also when the next key is on the next line', () => {
    const seq = 'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]';
    const map = 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }';
    expect(errorsOf('a: [1, 2\nb: 3\n')).toEqual([`f.yaml:1:4: ${seq}`]);
    expect(errorsOf('a: [1, 2\n')).toEqual([`f.yaml:1:4: ${seq}`]);
    expect(errorsOf('a:\n  b: { x: 1\n  c: 3\n')).toEqual([`f.yaml:2:6: ${map}`]);
    // Two brackets left open: one message for each.
    expect(errorsOf('a: [[1, 2], [3\nb: 1\n').sort()).toEqual([`f.yaml:1:13: ${seq}`, `f.yaml:1:4: ${seq}`].sort());
  });

  it('leaves other syntax errors where the parser reports them', () => {
    expect(errorsOf('a: [1, 2]]\n')).toEqual(['f.yaml:1:10: YAML syntax error: Unexpected flow-seq-end token in YAML stream: "]"']);
  });

  it('names an alias without an anchor before it, at that alias (not as an alias bomb)', () => {
    const msg = (name: string, at: string) => `f.yaml:${at}: expected an anchor &${name} before the alias *${name}, found none (an alias repeats a value marked earlier in the file)`;
    const thrown = (text: string) => { try { parseYaml(text, 'f.yaml'); } catch (e) { return (e as { format(): string }).format(); } return 'no error'; };
    expect(thrown('a: &a 1\nb: *a\nc: *nope\n')).toBe(msg('nope', '3:4'));
    // Used before it is set: YAML anchors only reach forward.
    expect(thrown('b: [1, *a]\na: &a 1\n')).toBe(msg('a', '1:8'));
  });

  it('says that a file holds one document, not which function of the yaml package reads several', () => {
    expect(errorsOf('a: 1\n---\nb: 2\n')).toEqual(['f.yaml:2:1: expected one YAML document, found a second one (after a --- line): an experiment file holds one experiment']);
  });

  it('refuses a key that is not a name, at the key (a list key made a stringified key and a warning on stderr)', () => {
    expect(errorsOf('a: 1\n? [x, y]\n: 2\n')).toEqual(['f.yaml:2:3: expected a key name, found a list']);
    expect(errorsOf('a: 1\ntraining:\n  ~: 2\n')).toEqual(['f.yaml:3:3: training: expected a key name, found an empty key']);
    expect(errorsOf('a: { {b: 1}: 2 }\n')).toEqual(['f.yaml:1:6: a: expected a key name, found a mapping']);
  });

  it('refuses a tag the core schema cannot apply (the value stayed a string: !!int 5 read as "5", !!float 3 as "3")', () => {
    const msg = (tag: string, at: string) => `f.yaml:${at}: expected a plain value, or a tag YAML's core schema applies to it; found the tag ${tag}, which it cannot apply here: remove the tag`;
    expect(errorsOf('a: !!float 3\n')).toEqual([msg('!!float', '1:4')]);
    expect(errorsOf('a: 1\nb: !foo bar\n')).toEqual([msg('!foo', '2:4')]);
    expect(errorsOf('a: !!int 5\nb: !!str 5\n')).toEqual([]);
  });
});
