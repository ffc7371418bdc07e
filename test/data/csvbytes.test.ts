// The CSV reader on bytes: numbers read straight from bytes exactly as Number() reads their text (the oracle),
// a BOM or a character split between reads, records longer than the scanner's buffer, a delimiter outside
// ASCII, and a binary file's NUL byte placed at its line and column.
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { chunkSource } from '../../src/data/csvread.js';
import { scanCsv } from '../../src/data/csvscan.js';
import { parseDecimal } from '../../src/data/decimal.js';
import { Rng } from '../../src/random.js';
import { tempDir, userError } from './helpers.js';

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** parseDecimal of text as bytes, and what Number() gives for it (NaN unless a plain decimal). */
function both(text: string): [number, number] {
  const bytes = Buffer.from(text, 'latin1');
  return [parseDecimal(bytes, 0, bytes.length), PLAIN.test(text) ? Number(text) : NaN];
}

/** The texts whose parse differs from Number()'s (none expected). */
const mismatches = (texts: string[]): string[] => texts.filter((t) => !Object.is(...both(t)));

describe('numbers read from bytes', () => {
  const rng = new Rng(11);

  it('reads every float64 written by String() as Number() does (the 17-digit path)', () => {
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    const texts: string[] = [];
    for (let i = 0; i < 20000; i++) {
      texts.push(String(rng.normal()), String(rng.normal() * 1000), String(rng.next()), String(-rng.next() * 1e-5));
      [u[0], u[1]] = [rng.int(2 ** 32), rng.int(2 ** 32)];
      if (Number.isFinite(f[0])) texts.push(String(f[0])); // any exponent: the fallback
    }
    expect(mismatches(texts)).toEqual([]);
  });

  it('reads 16 to 20 random digits with the point anywhere, and halfway cases, as Number() does', () => {
    const texts: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const digits = Array.from({ length: 16 + rng.int(5) }, () => rng.int(10)).join('');
      const point = rng.int(digits.length + 1);
      texts.push(`${digits.slice(0, point)}.${digits.slice(point)}`, `-${digits}e-${rng.int(8)}`);
    }
    // 2^53 + 1 and 2^53 + 3 lie halfway between two float64s (ties to even); 0.1's and 1/3's long forms.
    texts.push('9007199254740993', '9007199254740995', '900719925474099.3', '0.1000000000000000055511151231257827', '0.33333333333333331483');
    expect(mismatches(texts)).toEqual([]);
  });

  it('reads signs, zeros, exponents and refuses what is not a plain decimal', () => {
    const texts = ['-0', '-0.0', '+.5e+3', '1.', '.5', '1e400', '-1e400', '1e-400', '4.9e-324', '1.7976931348623157e308'];
    expect(mismatches([...texts, '', '-', '+', '.', 'e5', '1e', '1e+', '0x10', 'NaN', 'Infinity', '1.2.3', '1 2'])).toEqual([]);
    expect(Object.is(both('-0.0')[0], -0)).toBe(true);
  });
});

describe('the scanner fed bytes in pieces', () => {
  /** The records of the bytes (or the error), fed as `chunks` into a buffer of `size` bytes at first. */
  function records(chunks: Uint8Array[], size?: number): string {
    const out: unknown[] = [];
    scanCsv(chunkSource(chunks), ',', 'f.csv', (r) => out.push([r.line, ...Array.from({ length: r.count }, (_, k) => r.text(k))]), size);
    return JSON.stringify(out);
  }

  it('keeps an empty field between two delimiters that are tabs or spaces, and trims the other blank', () => {
    const scan = (text: string, delimiter: string) => {
      const out: string[][] = [];
      scanCsv(chunkSource([Buffer.from(text)]), delimiter, 'f.csv', (r) => out.push(Array.from({ length: r.count }, (_, k) => r.text(k))));
      return out;
    };
    expect(scan('a\tb\tc\n1\t\t3\n\t 5 \t\n"x"\t\t"y"\n', '\t')).toEqual([['a', 'b', 'c'], ['1', '', '3'], ['', '5', ''], ['x', '', 'y']]);
    expect(scan('a b c\n1  3\n\t4\t 5 6\n', ' ')).toEqual([['a', 'b', 'c'], ['1', '', '3'], ['4', '5', '6']]);
    expect(scan(' 1 ,\t2\t, "3" \n', ',')).toEqual([['1', '2', '3']]);
  });

  it('drops a BOM and decodes a character split between any two reads', () => {
    const bytes = Buffer.from('\ufeffa,né\r\n"x\ny",€\n', 'utf8');
    const expected = JSON.stringify([[1, 'a', 'né'], [2, 'x\ny', '€']]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(records([bytes.subarray(0, cut), bytes.subarray(cut)], 1)).toBe(expected);
    }
  });

  it('reads a record longer than the buffer, through a file too', () => {
    const width = 30000; // a header of ≈200 kB: longer than the scanner's first buffer
    const header = Array.from({ length: width }, (_, c) => `c${c}`).join(',');
    const row = Array.from({ length: width }, (_, c) => String(c / 7)).join(',');
    const file = tempDir().write('wide.csv', `${header}\n${row}\n${row}\n`);
    const table = readCsv(file, ',', { file });
    expect([table.rowCount, table.header.length, table.header[width - 1]]).toEqual([2, width, `c${width - 1}`]);
    expect(Array.from(table.values.subarray(width - 2, width + 1))).toEqual([(width - 2) / 7, (width - 1) / 7, 0]);
  });
});

describe('files read as bytes', () => {
  const tmp = tempDir();

  it('splits on a delimiter outside ASCII (several bytes)', () => {
    const file = tmp.write('section.csv', 'a§"b§c"§label\n1.5§2§x§y\n3§4§"§"\n');
    const e = userError(() => readCsv(file, '§', { file }));
    expect(e.place).toEqual({ file, line: 2 });
    const table = readCsv(tmp.write('section2.csv', 'a§"b§c"§label\n1.5§2§x\n3§4§"§"\n'), '§', { file });
    expect(table.header).toEqual(['a', 'b§c', 'label']);
    expect(Array.from(table.values.subarray(0, 2))).toEqual([1.5, 2]);
    expect(table.texts[2]).toEqual(['x', '§']);
  });

  it('keeps every row when the rows after the first are longer or shorter (the values buffer grows)', () => {
    const rng = new Rng(5);
    for (const first of ['1,2', '0.12345678901234567,-0.12345678901234567']) {
      const rows = [first, ...Array.from({ length: 3000 }, (_, r) => (r % 2 ? `${r},${-r}` : `${rng.next()},${rng.normal()}`))];
      const table = readCsv(tmp.write('uneven.csv', `a,b\n${rows.join('\n')}\n`), ',', { file: 'uneven.csv' });
      expect(table.rowCount).toBe(3001);
      expect(Array.from(table.values)).toEqual(rows.flatMap((row) => row.split(',').map(Number)));
      expect(table.lines[3000]).toBe(3002);
    }
  });

  it('places a NUL byte (a binary file) at its line and column (in characters; it was always column 1)', () => {
    const file = tmp.write('binary.csv', 'a,b\n1,2\n\n3,\0\n');
    const e = userError(() => readCsv(file, ',', { file }));
    expect(e.place).toEqual({ file, line: 4, column: 3 });
    expect(e.message).toBe('expected a text CSV file, but found a NUL byte (is this a binary file?)');
    // A character of several bytes is one column; CRLF line ends; the first byte of the file.
    const accented = tmp.write('accented.csv', 'a,b\r\ncafé,ü\0\r\n');
    expect(userError(() => readCsv(accented, ',', { file: accented })).place).toEqual({ file: accented, line: 2, column: 7 });
    const first = tmp.write('first.csv', '\0a,b\n');
    expect(userError(() => readCsv(first, ',', { file: first })).place).toEqual({ file: first, line: 1, column: 1 });
    // A BOM is no column (the scanner drops it; editors do not show it): its line's NUL is where it is without one.
    const bom = tmp.write('bom.csv', '\ufeffa,\0b\n');
    expect(userError(() => readCsv(bom, ',', { file: bom })).place).toEqual({ file: bom, line: 1, column: 3 });
    const bomFirst = tmp.write('bom-first.csv', '\ufeff\0a,b\n1,2\n');
    expect(userError(() => readCsv(bomFirst, ',', { file: bomFirst })).place).toEqual({ file: bomFirst, line: 1, column: 1 });
  });

  it('places a NUL byte in a file whose lines end in a lone CR (old Mac), or CRLF across two reads, counting each line end once', () => {
    const cr = tmp.write('cr.csv', 'a,b\r1,2\r\r3,\0\r');
    expect(userError(() => readCsv(cr, ',', { file: cr })).place).toEqual({ file: cr, line: 4, column: 3 });
    const mixed = tmp.write('mixed.csv', 'a,b\r\n1,2\r3,4\n5,\0\n');
    expect(userError(() => readCsv(mixed, ',', { file: mixed })).place).toEqual({ file: mixed, line: 4, column: 3 });
    // A CRLF whose CR ends the first read (the scanner's 128 KiB buffer) and whose LF starts the second: one line end.
    const first = `a,b\r\n1,${'1'.repeat((1 << 17) - 8)}\r`;
    expect(first.length).toBe(1 << 17);
    const split = tmp.write('split.csv', `${first}\n2,\0\r\n`);
    expect(userError(() => readCsv(split, ',', { file: split })).place).toEqual({ file: split, line: 3, column: 3 });
  });

  it('places a NUL byte read after the first read of a file: lines and the column carried over from the reads before', () => {
    // Lines of 70,000 bytes: a read of the scanner's 128 KiB buffer ends inside the second, and the NUL is in the third.
    const long = (k: number) => `${k},${'1'.repeat(70_000 - String(k).length - 2)}\n`;
    const file = tmp.write('late.csv', `a,b\n${long(1)}${long(2)}3,${'2'.repeat(50_000)}\0\n`);
    expect(userError(() => readCsv(file, ',', { file })).place).toEqual({ file, line: 4, column: 50_003 });
    // The NUL's line starts in the first read (at byte 70,004) and the NUL is in the second (at byte 150,006).
    const across = tmp.write('across.csv', `a,b\n${long(1)}2,${'é'.repeat(40_000)}\0\n`);
    expect(userError(() => readCsv(across, ',', { file: across })).place).toEqual({ file: across, line: 3, column: 40_003 });
  });
});
