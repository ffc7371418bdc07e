// Catalogue of hostile file-system cases (issue 21, item 7): symbolic links, special files, locks, nested and
// leftover folders, limits, seeds and bad files in results folders. Each case builds its files in a fresh temp
// root (the case's folder `{dir}` and, beside it, `{outside}`: what links point to, standing for the rest of
// the machine), runs `main(argv, io)` and asserts the exit code, the one stderr line, and that nothing outside
// `{dir}` changed: `{outside}` byte-identical and the current folder's entries unchanged (no results/ made).
// NOTE: special files are made in the temp root (mkfifo, mknod); /dev/zero is only ever a link target read from.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli.js';
import { snapshot } from '../runs/spawn.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const XOR = readFileSync(join(ROOT, 'experiments', 'xor-softmax.yaml'), 'utf8').replace('epochs: 2000', 'epochs: 20');
const MODEL = { format: 'mlplab.model/v1', inputs: 2, loss: 'cross_entropy', layers: [{ units: 2, activation: 'softmax', weights: [[1, 0], [0, 1]], bias: [0, 0] }], features: ['a', 'b'], targets: ['y=p', 'y=q'], classes: ['p', 'q'] };
const DATA = 'a,b,y\n1,2,p\n2,1,q\n';
const NAME = 'xor-softmax';

interface Paths {
  dir: string;
  outside: string;
}
interface Case {
  name: string;
  /** Makes the case's files; returns argv ({dir}, {outside} replaced). */
  setup(p: Paths): string[];
  /** The one stderr line (exact text, or a pattern), {dir} and {outside} replaced. */
  error: string | RegExp;
  code?: number;
  /** Checks after the run (on top of "nothing outside changed"). */
  after?(p: Paths): void;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fill = (s: string, p: Paths) => s.replaceAll('{dir}', p.dir).replaceAll('{outside}', p.outside);

async function runCase(c: Case): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'mlplab-fscat-'));
  const p = { dir: join(root, 'case'), outside: join(root, 'outside') };
  mkdirSync(p.dir);
  mkdirSync(join(p.outside, 'sub'), { recursive: true });
  writeFileSync(join(p.outside, 'precious.txt'), 'not mlplab\'s');
  writeFileSync(join(p.outside, 'sub', 'inner.txt'), 'not mlplab\'s either');
  writeFileSync(join(p.dir, 'x.yaml'), XOR);
  writeFileSync(join(p.dir, 'm.json'), JSON.stringify(MODEL));
  writeFileSync(join(p.dir, 'd.csv'), DATA);
  const argv = c.setup(p).map((a) => fill(a, p));
  const outsideBefore = snapshot(p.outside);
  const cwdBefore = readdirSync('.').sort();
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await main(argv, io);
  expect(err).not.toMatch(/internal error|\n\s+at /);
  const lines = err.trimEnd().split('\n').filter((l) => l !== '(see mlplab --help)');
  expect(lines, err).toHaveLength(1);
  const pattern = typeof c.error === 'string' ? new RegExp(`^${escape(fill(c.error, p))}$`) : new RegExp(c.error.source.replaceAll('\\{dir\\}', escape(p.dir)).replaceAll('\\{outside\\}', escape(p.outside)));
  expect(lines[0]).toMatch(pattern);
  expect(code).toBe(c.code ?? 1);
  expect(snapshot(p.outside)).toEqual(outsideBefore);
  expect(readdirSync('.').sort()).toEqual(cwdBefore);
  c.after?.(p);
  expect(out === '' || c.code === 0).toBe(true);
}

const catalogue = (cases: readonly Case[]) => cases.forEach((c) => it(c.name, () => runCase(c)));
const mkfifo = (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0);
const lockText = (fields: Record<string, unknown>) => JSON.stringify({ mlplab: 'lock', host: hostname(), pid: 99999999, thread: 0, nonce: 'x', ...fields });
const run = (...extra: string[]) => ['run', '{dir}/x.yaml', '--out', '{dir}/out', '--quiet', ...extra];
const LINKED = '{dir}/out/xor-softmax: cannot write the results here: it is a symbolic link; mlplab never replaces a linked results folder or writes through it: make it a folder, or give the link\'s target as --out';
const FIFO = (opt: string, path: string) => `${path}: cannot write ${opt} here: it is a named pipe (FIFO), not a regular file; mlplab writes outputs only to regular files or new paths`;

const LINKS: Case[] = [
  { name: 'run folder a link to a folder elsewhere', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(p.outside, join(p.dir, 'out', NAME)), run()), error: LINKED },
  { name: 'run folder a link to a file elsewhere', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(join(p.outside, 'precious.txt'), join(p.dir, 'out', NAME)), run()), error: LINKED },
  { name: 'run folder a dangling link', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(join(p.outside, 'missing'), join(p.dir, 'out', NAME)), run()), error: LINKED },
  { name: 'run folder a link to /', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync('/', join(p.dir, 'out', NAME)), run()), error: LINKED },
  { name: 'run folder a link to itself (a loop)', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(join(p.dir, 'out', NAME), join(p.dir, 'out', NAME)), run()), error: LINKED },
  { name: '--seed run: the experiment folder holding the run folder a link', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(p.outside, join(p.dir, 'out', NAME)), run('--seed', '3')), error: LINKED },
  { name: 'sweep: the sweep folder a link', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(p.outside, join(p.dir, 'out', NAME)), run('--sweep', 'seed=1,2')), error: LINKED },
  { name: 'sweep: a run folder of the sweep a link', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME), { recursive: true }), symlinkSync(p.outside, join(p.dir, 'out', NAME, 'seed=2')), run('--sweep', 'seed=1,2')), error: LINKED.replace(`${NAME}:`, `${NAME}/seed=2:`) },
  { name: 'a planted link named like a staging folder is only unlinked', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(p.outside, join(p.dir, 'out', `.${NAME}.partial-99999999-1`)), run()), error: /^$/, code: 0, after: (p) => expect(readdirSync(join(p.dir, 'out'))).toEqual([NAME]) },
  { name: 'a planted link named like an old folder is not restored', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync(p.outside, join(p.dir, 'out', `.${NAME}.old-99999999-1`)), run()), error: /^$/, code: 0, after: (p) => expect(readdirSync(join(p.dir, 'out'))).toEqual([NAME]) },
  { name: 'predict --out a link to a file elsewhere', setup: (p) => (symlinkSync(join(p.outside, 'precious.txt'), join(p.dir, 'o.csv')), ['predict', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/o.csv']), error: '{dir}/o.csv: cannot write --out here: it is a symbolic link, not a regular file; give the path the link points to, or remove the link' },
  { name: 'evaluate --out a dangling link', setup: (p) => (symlinkSync(join(p.outside, 'new.json'), join(p.dir, 'o.json')), ['evaluate', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/o.json']), error: '{dir}/o.json: cannot write --out here: it is a symbolic link, not a regular file; give the path the link points to, or remove the link' },
  { name: 'experiment file a link to /dev/zero', setup: (p) => (symlinkSync('/dev/zero', join(p.dir, 'z.yaml')), ['validate', '{dir}/z.yaml']), error: '{dir}/z.yaml: expected an experiment file (a regular file), but found a character device' },
  { name: 'model file a link to /dev/zero', setup: (p) => (symlinkSync('/dev/zero', join(p.dir, 'z.json')), ['predict', '{dir}/z.json', '{dir}/d.csv']), error: '{dir}/z.json: expected a model file (a regular file), but found a character device' },
];

const SPECIAL: Case[] = [
  { name: 'predict --out a FIFO', setup: (p) => (mkfifo(join(p.dir, 'pipe')), ['predict', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/pipe']), error: FIFO('--out', '{dir}/pipe') },
  { name: 'evaluate --out a FIFO', setup: (p) => (mkfifo(join(p.dir, 'pipe')), ['evaluate', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/pipe']), error: FIFO('--out', '{dir}/pipe') },
  { name: 'run: the run folder a FIFO', setup: (p) => (mkdirSync(join(p.dir, 'out')), mkfifo(join(p.dir, 'out', NAME)), run()), error: '{dir}/out/xor-softmax: cannot write the results here: it is a named pipe (FIFO), not a folder' },
  { name: 'run: --out a FIFO', setup: (p) => (mkfifo(join(p.dir, 'pipe')), ['run', '{dir}/x.yaml', '--out', '{dir}/pipe', '--quiet']), error: '{dir}/pipe: cannot write into this folder: a part of the path is a file, not a folder (ENOTDIR)' },
  { name: 'run: summary.csv a FIFO', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME), { recursive: true }), mkfifo(join(p.dir, 'out', NAME, 'summary.csv')), run('--sweep', 'seed=1,2')), error: FIFO('the output', '{dir}/out/xor-softmax/summary.csv') },
  { name: 'run: summary.csv a folder', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME, 'summary.csv'), { recursive: true }), run('--sweep', 'seed=1,2')), error: '{dir}/out/xor-softmax/summary.csv: cannot write the output here: it is a folder, not a regular file; expected a file name' },
  { name: 'predict --out its own model file', setup: () => ['predict', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/m.json'], error: '{dir}/m.json: cannot write --out here: it is also an input of this command ({dir}/m.json); write the output to another file' },
  { name: 'predict --out a hard link to its data file', setup: (p) => (spawnSync('ln', [join(p.dir, 'd.csv'), join(p.dir, 'h.csv')]), ['predict', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/h.csv']), error: '{dir}/h.csv: cannot write --out here: it is also an input of this command ({dir}/d.csv); write the output to another file' },
  { name: 'evaluate --out its own data file by another path', setup: () => ['evaluate', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/./d.csv'], error: '{dir}/./d.csv: cannot write --out here: it is also an input of this command ({dir}/d.csv); write the output to another file' },
  { name: 'predict --out a new name ending in / (a folder, not a file)', setup: () => ['predict', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/new/'], error: '{dir}/new/: cannot write --out here: the path ends in "/", which names a folder; expected a file name' },
  { name: 'evaluate --out a new name ending in / (refused before the report)', setup: () => ['evaluate', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/new/'], error: '{dir}/new/: cannot write --out here: the path ends in "/", which names a folder; expected a file name' },
  { name: 'export --out a new name ending in /', setup: () => ['export', '{dir}/m.json', '--format', 'onnx', '--out', '{dir}/new/'], error: '{dir}/new/: cannot write --out here: the path ends in "/", which names a folder; expected a file name' },
  { name: 'run: the experiment file a link to /dev/zero', setup: (p) => (symlinkSync('/dev/zero', join(p.dir, 'e.yaml')), ['run', '{dir}/e.yaml', '--out', '{dir}/out']), error: '{dir}/e.yaml: expected an experiment file (a regular file), but found a character device' },
  { name: 'predict --out a link to /dev/null (the link refused, /dev/null never touched)', setup: (p) => (symlinkSync('/dev/null', join(p.dir, 'null')), ['predict', '{dir}/m.json', '{dir}/d.csv', '--out', '{dir}/null']), error: '{dir}/null: cannot write --out here: it is a symbolic link, not a regular file; give the path the link points to, or remove the link' },
  { name: 'run: summary.csv a link to a file elsewhere', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME), { recursive: true }), symlinkSync(join(p.outside, 'precious.txt'), join(p.dir, 'out', NAME, 'summary.csv')), run('--sweep', 'seed=1')), error: '{dir}/out/xor-softmax/summary.csv: cannot write the output here: it is a symbolic link, not a regular file; give the path the link points to, or remove the link' },
  { name: 'evaluate --out the run.json of its --run folder', setup: (p) => (mkdirSync(join(p.dir, 'r')), writeFileSync(join(p.dir, 'r', 'run.json'), '{}'), ['evaluate', '{dir}/m.json', '{dir}/d.csv', '--rows', 'test', '--run', '{dir}/r', '--out', '{dir}/r/run.json']), error: '{dir}/r/run.json: cannot write --out here: it is also an input of this command ({dir}/r/run.json); write the output to another file' },
];

const LOCKS: Case[] = [
  { name: 'the lock path a folder', setup: (p) => (mkdirSync(join(p.dir, 'out', `.${NAME}.lock`), { recursive: true }), run()), error: '{dir}/out/.xor-softmax.lock: cannot take the lock for {dir}/out/xor-softmax: it is a folder, not an mlplab lock file; remove it if no mlplab process is writing there' },
  { name: 'the lock path a link to /dev/zero', setup: (p) => (mkdirSync(join(p.dir, 'out')), symlinkSync('/dev/zero', join(p.dir, 'out', `.${NAME}.lock`)), run()), error: '{dir}/out/.xor-softmax.lock: cannot take the lock for {dir}/out/xor-softmax: it is a symbolic link, not an mlplab lock file; remove it if no mlplab process is writing there' },
  { name: 'the lock path a FIFO (never waited on)', setup: (p) => (mkdirSync(join(p.dir, 'out')), mkfifo(join(p.dir, 'out', `.${NAME}.lock`)), run()), error: '{dir}/out/.xor-softmax.lock: cannot take the lock for {dir}/out/xor-softmax: it is a named pipe (FIFO), not an mlplab lock file; remove it if no mlplab process is writing there' },
  { name: 'the lock holding junk', setup: (p) => (mkdirSync(join(p.dir, 'out')), writeFileSync(join(p.dir, 'out', `.${NAME}.lock`), 'junk'), run()), error: '{dir}/out/.xor-softmax.lock: cannot take the lock for {dir}/out/xor-softmax: it holds "junk", not an mlplab lock file; remove it if no mlplab process is writing there' },
  { name: 'a lock of another host', setup: (p) => (mkdirSync(join(p.dir, 'out')), writeFileSync(join(p.dir, 'out', `.${NAME}.lock`), lockText({ host: 'node9' })), run()), error: '{dir}/out/xor-softmax: another mlplab process (pid 99999999 on host node9) is writing {dir}/out/xor-softmax; mlplab cannot tell from here whether it still runs: wait for it to finish, or delete {dir}/out/.xor-softmax.lock if no mlplab process on node9 is writing it' },
  { name: 'a lock of another host above the run folder', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME), { recursive: true }), writeFileSync(join(p.dir, 'out', `.${NAME}.lock`), lockText({ host: 'node9' })), run('--seed', '4')), error: '{dir}/out/xor-softmax/seed=4: another mlplab process (pid 99999999 on host node9) is writing {dir}/out/xor-softmax, which holds {dir}/out/xor-softmax/seed=4; mlplab cannot tell from here whether it still runs: wait for it to finish, or delete {dir}/out/.xor-softmax.lock if no mlplab process on node9 is writing it' },
  { name: 'a lock of another host below the run folder', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME), { recursive: true }), writeFileSync(join(p.dir, 'out', NAME, '.seed=4.lock'), lockText({ host: 'node9' })), run()), error: '{dir}/out/xor-softmax: another mlplab process (pid 99999999 on host node9) is writing {dir}/out/xor-softmax/seed=4, inside {dir}/out/xor-softmax; mlplab cannot tell from here whether it still runs: wait for it to finish, or delete {dir}/out/xor-softmax/.seed=4.lock if no mlplab process on node9 is writing it' },
  { name: 'a lock of another host on summary.csv', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME), { recursive: true }), writeFileSync(join(p.dir, 'out', NAME, '.summary.csv.lock'), lockText({ host: 'node9' })), run()), error: /^\{dir\}\/out\/xor-softmax: another mlplab process \(pid 99999999 on host node9\) is writing \{dir\}\/out\/xor-softmax\/summary\.csv, inside/ },
  { name: 'a dead lock of this host is taken over', setup: (p) => (mkdirSync(join(p.dir, 'out')), writeFileSync(join(p.dir, 'out', `.${NAME}.lock`), lockText({})), run()), error: /^$/, code: 0, after: (p) => expect(readdirSync(join(p.dir, 'out'))).toEqual([NAME]) },
];

const seedFile = (seed: string) => (p: Paths) => (writeFileSync(join(p.dir, 's.yaml'), XOR.replace('seed: 1', `seed: ${seed}`)), ['validate', '{dir}/s.yaml']);
const SEED_LINE = XOR.split('\n').findIndex((l) => l.startsWith('seed: 1')) + 1; // the shipped file's description may take lines
const SEED_RANGE = 'expected an integer from -9007199254740991 to 9007199254740991 (larger ones are not exact as numbers)';
const LIMITS: Case[] = [
  // The seed as written (it was quoted rounded: 9007199254740992, -1152921504606847000, 1e+300).
  { name: 'a seed of 2^53 + 1 in the file', setup: seedFile('9007199254740993'), error: `{dir}/s.yaml:${SEED_LINE}:7: seed: ${SEED_RANGE}, found 9007199254740993` },
  { name: 'a seed of -2^60 in the file', setup: seedFile('-1152921504606846976'), error: `{dir}/s.yaml:${SEED_LINE}:7: seed: ${SEED_RANGE}, found -1152921504606846976` },
  { name: 'a seed of 1e300 in the file', setup: seedFile('1e300'), error: `{dir}/s.yaml:${SEED_LINE}:7: seed: ${SEED_RANGE}, found 1e300` },
  { name: 'a seed of 2^54 + 1 in hexadecimal in the file', setup: seedFile('0x40000000000001'), error: `{dir}/s.yaml:${SEED_LINE}:7: seed: ${SEED_RANGE}, found 0x40000000000001` },
  // Both round to 18014398509481984: the --set value's text is quoted, not the file's.
  { name: 'a seed beyond 2^53 from --set over one in the file', setup: (p) => [...seedFile('18014398509481985')(p), '--set', 'seed=18014398509481986'], error: `{dir}/s.yaml: seed: ${SEED_RANGE}, found 18014398509481986 (from --set seed=18014398509481986)` },
  { name: 'a seed beyond 2^53 in a sweep', setup: () => ['run', '{dir}/x.yaml', '--out', '{dir}/out', '--sweep', 'seed=1,9007199254740993'], error: `{dir}/x.yaml: seed: ${SEED_RANGE}, found 9007199254740993 (from --sweep seed=1,9007199254740993: 9007199254740993) (in run seed=9007199254740993)` },
  { name: 'a seed of 1e300 from --set', setup: () => ['validate', '{dir}/x.yaml', '--set', 'seed=1e300'], error: `{dir}/x.yaml: seed: ${SEED_RANGE}, found 1e300 (from --set seed=1e300)` },
  { name: 'a seed of 1e300 from --set with a YAML comment after it (it was quoted with the comment)', setup: () => ['validate', '{dir}/x.yaml', '--set', 'seed=1e300 # big'], error: `{dir}/x.yaml: seed: ${SEED_RANGE}, found 1e300 (from --set seed=1e300 # big)` },
  { name: 'a seed beyond 2^53 from --seed', setup: () => ['validate', '{dir}/x.yaml', '--seed', '9007199254740993'], error: '--seed expects an integer, found "9007199254740993" (a decimal whole number from -9007199254740991 to 9007199254740991, like 3)', code: 2 },
  { name: 'a model file nested 100 deep', setup: (p) => (writeFileSync(join(p.dir, 'deep.json'), '['.repeat(100) + ']'.repeat(100)), ['predict', '{dir}/deep.json', '{dir}/d.csv']), error: '{dir}/deep.json:1:65: expected nesting at most 64 levels deep in the model file, but it nests deeper here' },
  { name: 'a model file nested 100,000 deep', setup: (p) => (writeFileSync(join(p.dir, 'deep.json'), '{"a":'.repeat(100000) + '1' + '}'.repeat(100000)), ['predict', '{dir}/deep.json', '{dir}/d.csv']), error: '{dir}/deep.json:1:321: expected nesting at most 64 levels deep in the model file, but it nests deeper here' },
  { name: 'a model file with a duplicate top-level key', setup: (p) => (writeFileSync(join(p.dir, 'dup.json'), JSON.stringify(MODEL).replace('"inputs":2', '"inputs":2,"inputs":3')), ['predict', '{dir}/dup.json', '{dir}/d.csv']), error: /^\{dir\}\/dup\.json:1:\d+: the key "inputs" appears twice in one object of the model file \(a JSON reader keeps only the last\): remove one$/ },
  { name: 'a model file with a duplicate key in a layer', setup: (p) => (writeFileSync(join(p.dir, 'dup.json'), JSON.stringify(MODEL).replace('"units":2', '"units":2,"units":2')), ['evaluate', '{dir}/dup.json', '{dir}/d.csv']), error: /^\{dir\}\/dup\.json:1:\d+: the key "units" appears twice in one object of the model file/ },
  { name: 'a model file with a duplicate key written with an escape', setup: (p) => (writeFileSync(join(p.dir, 'dup.json'), JSON.stringify(MODEL).replace('"loss":', '"lo\\u0073s":"mse","loss":')), ['predict', '{dir}/dup.json', '{dir}/d.csv']), error: /the key "loss" appears twice in one object of the model file/ },
  { name: 'a golden file of binary bytes', setup: (p) => (writeFileSync(join(p.dir, 'g.yaml'), XOR.replace('name: xor-softmax', `name: xor-softmax\ngolden: g.csv`)), writeFileSync(join(p.dir, 'g.csv'), 'a,b\n"x\n'), ['check', '{dir}/g.yaml']), error: /^\{dir\}\/g\.csv: cannot read the golden file: it is not CSV of rows of one length \(.*\); write it again with mlplab check --update$/ },
  { name: 'a golden file with ragged rows', setup: (p) => (writeFileSync(join(p.dir, 'g.yaml'), XOR.replace('name: xor-softmax', `name: xor-softmax\ngolden: g.csv`)), writeFileSync(join(p.dir, 'g.csv'), 'a,b\n1\n'), ['check', '{dir}/g.yaml']), error: /^\{dir\}\/g\.csv: cannot read the golden file: it is not CSV of rows of one length \(Invalid Record Length/ },
  { name: 'a golden file a link to /dev/zero', setup: (p) => (writeFileSync(join(p.dir, 'g.yaml'), XOR.replace('name: xor-softmax', `name: xor-softmax\ngolden: g.csv`)), symlinkSync('/dev/zero', join(p.dir, 'g.csv')), ['check', '{dir}/g.yaml']), error: '{dir}/g.csv: expected a golden file (a regular file), but found a character device' },
  { name: 'a name of 900,000 characters: the message quotes 100 of them', setup: (p) => (writeFileSync(join(p.dir, 'n.yaml'), XOR.replace('name: xor-softmax', `name: ${'a'.repeat(900_000)}`)), ['validate', '{dir}/n.yaml']), error: `{dir}/n.yaml:2:7: name: expected a string of at most 100 character(s), found "${'a'.repeat(100)}"… (a string of 900000 characters)` },
  { name: '--set with a value of 100,000 characters: quoted short twice', setup: () => ['validate', '{dir}/x.yaml', '--set', `name=${'b'.repeat(100_000)}`], error: `{dir}/x.yaml: name: expected a string of at most 100 character(s), found "${'b'.repeat(100)}"… (a string of 100000 characters) (from --set name=${'b'.repeat(95)}… (100005 characters))` },
  { name: '--jobs 100000', setup: () => run('--jobs', '100000'), error: '--jobs expects a number of worker threads from 1 to 256 or auto, found "100000"', code: 2 },
  { name: '--jobs 0', setup: () => run('--jobs', '0'), error: '--jobs expects a number of worker threads from 1 to 256 or auto, found "0"', code: 2 },
  { name: 'the experiment file under a file (x.yaml/e.yaml)', setup: () => ['validate', '{dir}/x.yaml/e.yaml'], error: '{dir}/x.yaml/e.yaml: cannot read the experiment file: a part of the path is a file, not a folder (ENOTDIR)' },
  { name: 'the model file under a file (m.json/)', setup: () => ['predict', '{dir}/m.json/', '{dir}/d.csv'], error: '{dir}/m.json/: cannot read the model file: a part of the path is a file, not a folder (ENOTDIR)' },
  { name: 'the data file under a file (d.csv/)', setup: () => ['predict', '{dir}/m.json', '{dir}/d.csv/'], error: '{dir}/d.csv/: expected a CSV file at "{dir}/d.csv/", but a part of the path is a file, not a folder (ENOTDIR)' },
  { name: 'an experiment file name too long for the file system', setup: () => ['validate', `{dir}/${'a'.repeat(300)}.yaml`], error: `{dir}/${'a'.repeat(300)}.yaml: cannot read the experiment file: the name is too long for the file system (ENAMETOOLONG)` },
  { name: 'a data file name too long for the file system', setup: () => ['predict', '{dir}/m.json', `{dir}/${'d'.repeat(300)}.csv`], error: `{dir}/${'d'.repeat(300)}.csv: expected a CSV file at "{dir}/${'d'.repeat(300)}.csv", but the name is too long for the file system (ENAMETOOLONG)` },
  { name: 'compare of a path through a file (d.csv/)', setup: () => ['compare', '{dir}/d.csv/', '--out', '{dir}/cmp'], error: '{dir}/d.csv/: cannot read this path: a part of the path is a file, not a folder (ENOTDIR); expected a result folder (with run.json, config.json and loss.csv), a folder containing result folders, a summary.csv, or an experiment file that has been run' },
  { name: 'the experiment file a folder', setup: (p) => (mkdirSync(join(p.dir, 'f.yaml')), ['validate', '{dir}/f.yaml']), error: '{dir}/f.yaml: expected an experiment file, but found a folder' },
  { name: 'the model file a folder', setup: (p) => (mkdirSync(join(p.dir, 'f.json')), ['predict', '{dir}/f.json', '{dir}/d.csv']), error: '{dir}/f.json: expected a model file, but found a folder' },
  { name: 'the golden file a folder', setup: (p) => (writeFileSync(join(p.dir, 'g.yaml'), XOR.replace('name: xor-softmax', `name: xor-softmax\ngolden: g.csv`)), mkdirSync(join(p.dir, 'g.csv')), ['check', '{dir}/g.yaml']), error: '{dir}/g.csv: expected a golden file, but found a folder' },
];

const corruptRun = (text: string, file = 'run.json') => (p: Paths) => {
  mkdirSync(join(p.dir, 'out', NAME, 'seed=9'), { recursive: true });
  writeFileSync(join(p.dir, 'out', NAME, 'seed=9', file), text);
  writeFileSync(join(p.dir, 'out', NAME, 'seed=9', file === 'run.json' ? 'config.json' : 'run.json'), file === 'run.json' ? '{}' : '{"final":{}}');
  return run('--sweep', 'seed=1');
};
const RESULTS: Case[] = [
  { name: 'a sweep folder with a run.json cut short', setup: corruptRun('{"final": {'), error: /^\{dir\}\/out\/xor-softmax\/seed=9\/run\.json: cannot read this run folder's file for the sweep's summary\.csv: not valid JSON/ },
  { name: 'a sweep folder with a run.json that is an array', setup: corruptRun('[1]'), error: "{dir}/out/xor-softmax/seed=9/run.json: expected a JSON object in this run folder's file; remove or rerun the run folder" },
  { name: 'a sweep folder with a run.json without final metrics', setup: corruptRun('{"status": "completed"}'), error: '{dir}/out/xor-softmax/seed=9/run.json: expected a run.json written by mlplab (with its final metrics); remove or rerun this run folder' },
  { name: 'a sweep folder with a config.json that is not JSON', setup: corruptRun('not json', 'config.json'), error: /^\{dir\}\/out\/xor-softmax\/seed=9\/config\.json: cannot read this run folder's file for the sweep's summary\.csv: not valid JSON/ },
  { name: 'a sweep folder with a run.json a link to /dev/zero', setup: (p) => (mkdirSync(join(p.dir, 'out', NAME, 'seed=9'), { recursive: true }), symlinkSync('/dev/zero', join(p.dir, 'out', NAME, 'seed=9', 'run.json')), writeFileSync(join(p.dir, 'out', NAME, 'seed=9', 'config.json'), '{}'), run('--sweep', 'seed=1')), error: '{dir}/out/xor-softmax/seed=9/run.json: expected a run file (a regular file), but found a character device' },
  { name: 'the run folder a regular file', setup: (p) => (mkdirSync(join(p.dir, 'out')), writeFileSync(join(p.dir, 'out', NAME), 'x'), run()), error: '{dir}/out/xor-softmax: cannot write the results here: it is a file, not a folder' },
];

const csvExperiment = (p: Paths) => writeFileSync(join(p.dir, 'c.yaml'), XOR.replace(/  inline:\n    inputs: .*\n    targets: .*\n/, '  csv: { path: d.csv, target: y }\n'));
const CLASHES: Case[] = [
  { name: 'a name ending in .diverged from --set', setup: () => run('--set', 'name=xor.diverged'), error: '{dir}/x.yaml: the name "xor.diverged" ends in .diverged, which names the folder a run that diverged is kept in; choose another name (a name: key, or --set name=...)' },
  { name: 'a name ending in .interrupted in the file', setup: (p) => (writeFileSync(join(p.dir, 'i.yaml'), XOR.replace('name: xor-softmax', 'name: xor-softmax.interrupted')), ['run', '{dir}/i.yaml', '--out', '{dir}/out']), error: '{dir}/i.yaml: the name "xor-softmax.interrupted" ends in .interrupted, which names the folder a run that was interrupted is kept in; choose another name (a name: key, or --set name=...)' },
  { name: 'a run ID ending in .diverged (a --set value)', setup: (p) => (csvExperiment(p), writeFileSync(join(p.dir, 'd.diverged'), DATA), ['run', '{dir}/c.yaml', '--out', '{dir}/out', '--set', 'data.csv.path=d.diverged']), error: '{dir}/c.yaml: the run ID "path=d.diverged" ends in .diverged, which names the folder a run that diverged is kept in; choose another value' },
];

describe('symbolic links', () => catalogue(LINKS));
describe('names that would clash with status folders', () => catalogue(CLASHES));
describe('special files and outputs equal to inputs', () => catalogue(SPECIAL));
describe('locks', () => catalogue(LOCKS));
describe('limits: seeds, nesting, duplicate keys, golden files', () => catalogue(LIMITS));
describe('bad files in results folders', () => catalogue(RESULTS));
