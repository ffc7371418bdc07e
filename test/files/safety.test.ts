// The file-system layer cannot be turned against its user (issue 21, item 1): no removing or moving through a
// symbolic link, outputs only to regular files or new paths (a FIFO or device is refused before any work and
// left as it was; an output equal to an input is refused), short writes and file-size limits are errors,
// files and folders are flushed to disk before the rename that publishes them (seen with strace), and other
// runs' folders moved into a staging folder go back before it is removed.
// NOTE: special files are made in temp folders (mkfifo, mknod); the machine's /dev/null is never touched.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomically, StagedFolder } from '../../src/files/outputs.js';
import { recover } from '../../src/files/recover.js';
import { checkOutputFile, readBounded, writeAll } from '../../src/files/safefs.js';
import { cli } from '../helpers/cli.js';
import { loadPlan, runPlans } from '../../src/index.js';
import { BIN, removeTemps, snapshot, tempDir, XOR } from '../runs/spawn.js';

afterAll(removeTemps);

const NAME = 'xor-softmax';
const MODEL = { format: 'mlplab.model/v1', inputs: 2, loss: 'cross_entropy', layers: [{ units: 2, activation: 'softmax', weights: [[1, 0], [0, 1]], bias: [0, 0] }], features: ['a', 'b'], targets: ['y=p', 'y=q'], classes: ['p', 'q'] };

const fifo = (dir: string, name = 'pipe'): string => {
  const path = join(dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
};

/** A folder elsewhere with a file and a sub-folder, and its snapshot. */
function elsewhere() {
  const target = tempDir();
  writeFileSync(join(target, 'precious.txt'), 'keep me');
  mkdirSync(join(target, 'sub'));
  writeFileSync(join(target, 'sub', 'inner.txt'), 'keep me too');
  return { target, before: snapshot(target) };
}

describe('symbolic links are never followed when removing or moving', () => {
  it('a run folder that is a link is refused before training; the link and what it points to are untouched', async () => {
    const out = tempDir();
    const { target, before } = elsewhere();
    symlinkSync(target, join(out, NAME));
    const r = await cli('run', XOR, '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${join(out, NAME)}: cannot write the results here: it is a symbolic link; mlplab never replaces a linked results folder or writes through it: make it a folder, or give the link's target as --out\n`,
    );
    expect(snapshot(target)).toEqual(before);
    expect(readlinkSync(join(out, NAME))).toBe(target);
    expect(readdirSync(out)).toEqual([NAME]);
  });

  for (const status of ['diverged', 'interrupted']) {
    it(`NAME.${status}/, where a run that does not complete goes, a link or a file: refused before training, left alone`, async () => {
      for (const kind of ['link', 'file']) {
        const out = tempDir();
        const { target, before } = elsewhere();
        const at = join(out, `${NAME}.${status}`);
        if (kind === 'link') symlinkSync(target, at);
        else writeFileSync(at, 'mine');
        const r = await cli('run', XOR, '--out', out, '--quiet');
        expect(r.code, kind).toBe(1);
        expect(r.stderr, kind).toMatch(new RegExp(`^${at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the results here: it is (a symbolic link|a file)`));
        expect(readdirSync(out), kind).toEqual([`${NAME}.${status}`]); // nothing trained, nothing written
        expect(snapshot(target)).toEqual(before);
      }
    });
  }

  it('--out itself may be a link: the run is written inside what it points to', async () => {
    const real = tempDir();
    const out = join(tempDir(), 'results');
    symlinkSync(real, out);
    expect((await cli('run', XOR, '--out', out, '--quiet')).code).toBe(0);
    expect(readdirSync(join(real, NAME)).sort()).toEqual(['config.json', 'loss.csv', 'loss.svg', 'loss.vl.json', 'model.json', 'run.json']);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
  });

  it('recovery unlinks planted links named like staging or old folders, never reading or moving through them', () => {
    const out = tempDir();
    const { target, before } = elsewhere();
    symlinkSync(target, join(out, `.${NAME}.partial-99999999-1`));
    symlinkSync(target, join(out, `.${NAME}.old-99999999-2`));
    recover(join(out, NAME)); // the run folder is missing: a real old folder would be put back, a link is not
    expect(readdirSync(out)).toEqual([]);
    expect(snapshot(target)).toEqual(before);
  });

  it('other runs moved into a staging folder go back before it is removed (an abandoned commit)', () => {
    const out = tempDir();
    mkdirSync(join(out, 'x', 'seed=3'), { recursive: true });
    writeFileSync(join(out, 'x', 'seed=3', 'run.json'), '{}');
    const folder = StagedFolder.open(join(out, 'x'));
    folder.append('loss.csv', 'a\n');
    renameSync(join(out, 'x', 'seed=3'), join(folder.staging, 'seed=3')); // as a commit failing half-way leaves it
    folder.close();
    expect(readFileSync(join(out, 'x', 'seed=3', 'run.json'), 'utf8')).toBe('{}');
    expect(readdirSync(out)).toEqual(['x']);
  });
});

describe('outputs only to regular files or new paths', () => {
  it('a FIFO, a link, a folder are refused by the writer and left as they were', () => {
    const d = tempDir();
    const pipe = fifo(d);
    symlinkSync(join(d, 'real.txt'), join(d, 'link'));
    mkdirSync(join(d, 'folder'));
    expect(() => writeFileAtomically(pipe, 'x')).toThrow(/^cannot write the output here: it is a named pipe \(FIFO\), not a regular file; mlplab writes outputs only to regular files or new paths$/);
    expect(() => writeFileAtomically(join(d, 'link'), 'x')).toThrow(/it is a symbolic link, not a regular file; give the path the link points to, or remove the link$/);
    expect(() => writeFileAtomically(join(d, 'folder'), 'x')).toThrow(/it is a folder, not a regular file/);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expect(lstatSync(join(d, 'link')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(d, 'real.txt'))).toBe(false);
    expect(readdirSync(d).sort()).toEqual(['folder', 'link', 'pipe']);
  });

  it('a device node (made in a temp folder) is refused (skipped where mknod is not allowed)', ({ skip }) => {
    const d = tempDir();
    if (spawnSync('mknod', [join(d, 'null'), 'c', '1', '3']).status !== 0) skip('cannot make a device node here (needs root)');
    expect(() => checkOutputFile(join(d, 'null'), '--out')).toThrow(/^cannot write --out here: it is a character device, not a regular file/);
    expect(lstatSync(join(d, 'null')).isCharacterDevice()).toBe(true);
  });

  it("a sweep's summary.csv that is a FIFO, a link or a folder: exit 1 before any run trains (CLI and runPlans), left as it was", async () => {
    for (const make of ['fifo', 'link', 'folder'] as const) {
      const d = tempDir();
      const file = join(d, 'sw.yaml');
      writeFileSync(file, readFileSync(XOR, 'utf8').replace(/^name: .*$/m, 'name: sw').replace(/epochs: \d+/, 'epochs: 5') + 'sweep:\n  seed: [1, 2]\n');
      const summary = join(d, 'out', 'sw', 'summary.csv');
      mkdirSync(join(d, 'out', 'sw'), { recursive: true });
      if (make === 'fifo') fifo(join(d, 'out', 'sw'), 'summary.csv');
      else if (make === 'link') symlinkSync(join(d, 'elsewhere.csv'), summary);
      else mkdirSync(summary);
      const r = await cli('run', file, '--out', join(d, 'out'));
      expect(r.code, make).toBe(1);
      expect(r.stdout, make).toBe('');
      expect(r.stderr, make).toMatch(new RegExp(`^${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the output here: it is (a named pipe \\(FIFO\\)|a symbolic link|a folder), not a regular file`));
      await expect(runPlans([loadPlan(file)], { out: join(d, 'out') }), make).rejects.toThrow(/cannot write the output here/);
      expect(readdirSync(join(d, 'out', 'sw')), make).toEqual(['summary.csv']); // no run trained
      expect(lstatSync(summary).isFIFO() || lstatSync(summary).isSymbolicLink() || lstatSync(summary).isDirectory(), make).toBe(true);
    }
  });

  for (const command of ['predict', 'evaluate']) {
    it(`${command} --out FIFO: exit 1 before any work, the FIFO still a FIFO`, async () => {
      const d = tempDir();
      writeFileSync(join(d, 'm.json'), JSON.stringify(MODEL));
      writeFileSync(join(d, 'd.csv'), 'a,b,y\n1,2,p\n2,1,q\n');
      const pipe = fifo(d);
      const r = await cli(command, join(d, 'm.json'), join(d, 'd.csv'), '--out', pipe);
      expect(r).toEqual({ code: 1, stdout: '', stderr: `${pipe}: cannot write --out here: it is a named pipe (FIFO), not a regular file; mlplab writes outputs only to regular files or new paths\n` });
      expect(lstatSync(pipe).isFIFO()).toBe(true);
      expect(readdirSync(d).sort()).toEqual(['d.csv', 'm.json', 'pipe']);
    });

    it(`${command} --out its own data file: exit 1, the data unchanged`, async () => {
      const d = tempDir();
      writeFileSync(join(d, 'm.json'), JSON.stringify(MODEL));
      writeFileSync(join(d, 'd.csv'), 'a,b,y\n1,2,p\n2,1,q\n');
      mkdirSync(join(d, 'sub'));
      const r = await cli(command, join(d, 'm.json'), join(d, 'd.csv'), '--out', join(d, 'sub', '..', 'd.csv'));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${join(d, 'sub', '..', 'd.csv')}: cannot write --out here: it is also an input of this command (${join(d, 'd.csv')}); write the output to another file\n`);
      expect(readFileSync(join(d, 'd.csv'), 'utf8')).toBe('a,b,y\n1,2,p\n2,1,q\n');
    });
  }
});

describe('every byte written, or an error', () => {
  it('writeAll writes a text of several MiB whole', () => {
    const d = tempDir();
    const text = 'é'.repeat(3 << 20);
    const fd = openSync(join(d, 'f'), 'w');
    writeAll(fd, text);
    closeSync(fd);
    expect(readFileSync(join(d, 'f'), 'utf8')).toBe(text);
  });

  it('a file-size limit (ulimit -f, as a filling disk) cutting a file of the run: exit 1 naming the file, nothing kept', () => {
    const out = tempDir();
    // NOTE: /bin/sh (dash, bash) counts ulimit -f in 512-byte blocks: 4 is 2 KiB, less than loss.svg's ≈6 KiB.
    const r = spawnSync('/bin/sh', ['-c', `ulimit -f 4; exec "${process.execPath}" "${BIN}" run "${XOR}" --out "${out}" --quiet`], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${join(out, NAME).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[a-z.]+: cannot write: the file would exceed the file-size limit \\(ulimit -f\\) or the file system's \\(EFBIG\\)\n$`));
    expect(readdirSync(out)).toEqual([]);
  });

  it('reading is bounded: a file over the limit is refused at the limit; an endless device is not read at all', () => {
    const big = join(tempDir(), 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, (1 << 20) + 1); // sparse: no MiB written
    expect(() => readBounded(big, 1 << 20, 'an experiment file')).toThrow(/^expected an experiment file of at most 1 MiB, but it is larger/);
    expect(() => readBounded('/dev/zero', 1 << 20, 'an experiment file')).toThrow(/^expected an experiment file \(a regular file\), but found a character device$/);
  });
});

describe('flushed to disk before the rename that publishes them (strace)', () => {
  it('every file of the run and the staging folder are synced before the staging folder is renamed in, the parent after', ({ skip }) => {
    if (spawnSync('strace', ['-V']).status !== 0) skip('strace is not installed');
    const out = tempDir();
    const r = spawnSync('strace', ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', process.execPath, BIN, 'run', XOR, '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n');
    const publish = lines.findIndex((l) => /rename/.test(l) && l.includes(`.${NAME}.partial-`) && l.includes(`"${join(out, NAME)}"`));
    expect(publish, r.stderr).toBeGreaterThan(0);
    const before = lines.slice(0, publish).join('\n');
    for (const file of readdirSync(join(out, NAME))) expect(before).toMatch(new RegExp(`fdatasync\\(\\d+<[^>]*\\.${NAME}\\.partial-[^>/]*/${file.replace('.', '\\.')}>`));
    expect(before).toMatch(new RegExp(`fsync\\(\\d+<[^>]*/\\.${NAME}\\.partial-[^>/]*>`));
    expect(lines.slice(publish).join('\n')).toMatch(new RegExp(`fsync\\(\\d+<${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>`));
  });
});
