// CSV files as numeric columns (one Float64Array, row-major, NaN where a cell is not a number) plus the text
// of the columns asked for (labels, ids), with located errors: problems in the file's content point at the
// CSV line (and, for values, the 1-based field number as the column); problems in the experiment file (a
// column that does not exist) point at its YAML key. It does not decide what the columns mean: that is load.ts.

import { UserError, type Place, type Where } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { openBytes } from './csvread.js';
import { scanCsv, type CsvRecord } from './csvscan.js';
import { isNumeric } from './decimal.js';
import { sharedFloat64 } from './shared.js';

export { isNumeric };

/** The first cell of a column that is not a finite number: its data row (0-based) and text. */
interface BadCell {
  row: number;
  text: string;
}

export interface CsvTable {
  file: string; // as shown in messages
  header: string[];
  headerLine: number; // 1-based line where the header row starts (after any empty lines)
  rowCount: number; // data rows
  lines: Int32Array; // 1-based line in the file where each data row starts (rowCount of them)
  /** (rowCount, header.length), row-major: each cell as a number, NaN where it is not a finite number. */
  values: Float64Array;
  /** Per column: its first cell that is not a finite number, if any. */
  bad: (BadCell | undefined)[];
  /** Per column: the cells' text, for the columns kept as text (labels, ids). */
  texts: (string[] | undefined)[];
  /** SHA-256 (hex) of the file's bytes, as read for this table (readCsv); absent for a table made otherwise. */
  sha256?: string;
}

const quote = (s: string): string => JSON.stringify(s);

/**
 * Room for more rows: projected from the bytes of the data rows read so far (this one included) against the
 * file's size. NOTE: the first call already projects the whole file, so a file of even rows is stored without a
 * copy: a first buffer of 1024 rows, once outgrown, stayed resident (garbage not yet collected) through
 * training, 6 MB for rows of 784 values. Pages of the room left unused are never touched, so never resident.
 */
function grow(t: CsvTable, bytesRead: number, headerBytes: number, size: number): void {
  const width = t.header.length;
  const rows = t.rowCount + 1;
  const per = Math.max(bytesRead - headerBytes, 1) / rows; // bytes per row so far
  const rest = Math.max(size, bytesRead) - headerBytes;
  // At most a row per 2 bytes a field ("0,"): a short first row must not reserve many times the file.
  const projected = Math.min(Math.ceil((rest / per) * 1.02), Math.ceil(rest / (2 * width))) + 16;
  const values = sharedFloat64(Math.max(projected, rows * 2) * width); // shared: the runs of --jobs take it as read (runner/datacache.ts)
  values.set(t.values.subarray(0, t.rowCount * width));
  t.values = values;
  const lines = new Int32Array(values.length / width);
  lines.set(t.lines.subarray(0, t.rowCount));
  t.lines = lines;
}

/**
 * Reads and parses `file`; `pathPlace` is where its path is written in the experiment file, and
 * `written` the path as written there (relative to that file's folder), for the message. `keepText`
 * names the columns whose text is kept (class labels, ids); all columns when not given.
 */
export function readCsv(file: string, delimiter: string, pathPlace: Place, written = file, keepText?: readonly string[], delimiterPlace = pathPlace): CsvTable {
  if (delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new UserError('data', `expected a delimiter other than a quote or a line break, found ${quote(delimiter)}`, delimiterPlace);
  }
  const { size, read, sha256, close } = openBytes(file, pathPlace, written);
  let table: CsvTable | undefined;
  let headerEnd = 1;
  let headerBytes = 0;
  try {
    scanCsv(read, delimiter, file, (record, bytesRead, nextLine) => {
      if (table === undefined) {
        const header = Array.from({ length: record.count }, (_, k) => record.text(k));
        checkHeader(header, file, record.line); // not line 1 after empty lines
        table = emptyTable(file, header, record.line, keepText);
        headerEnd = nextLine;
        headerBytes = bytesRead;
        return;
      }
      if (record.count !== table.header.length) {
        const msg = `expected ${table.header.length} fields, as in the header row, but found ${record.count}`;
        throw new UserError('data', msg, { file, line: record.line });
      }
      if ((table.rowCount + 1) * record.count > table.values.length) grow(table, bytesRead, headerBytes, size);
      addRow(table, record);
    });
  } finally {
    close();
  }
  if (table === undefined) {
    throw new UserError('data', 'the CSV file is empty; expected a header row naming the columns, then data rows', { file, line: 1 });
  }
  if (table.rowCount === 0) throw new UserError('data', 'the CSV file has a header row but no data rows', { file, line: headerEnd });
  table.values = table.values.subarray(0, table.rowCount * table.header.length);
  table.lines = table.lines.subarray(0, table.rowCount);
  table.sha256 = sha256(); // the scanner reads to the end of the file
  return table;
}

function emptyTable(file: string, header: string[], headerLine: number, keepText?: readonly string[]): CsvTable {
  const texts = header.map((name) => (keepText === undefined || keepText.includes(name) ? [] : undefined));
  return { file, header, headerLine, rowCount: 0, lines: new Int32Array(0), values: new Float64Array(0), bad: header.map(() => undefined), texts };
}

function addRow(t: CsvTable, record: CsvRecord): void {
  const r = t.rowCount++;
  const base = r * record.count;
  t.lines[r] = record.line;
  record.numbers(t.values, base);
  for (let c = 0; c < record.count; c++) {
    if (!Number.isFinite(t.values[base + c]) && t.bad[c] === undefined) t.bad[c] = { row: r, text: record.text(c) };
    t.texts[c]?.push(record.text(c));
  }
}

function checkHeader(header: string[], file: string, line: number): void {
  if (header.every(isNumeric)) {
    const shown = header.slice(0, 4).join(', ') + (header.length > 4 ? ', …' : '');
    const msg = `the header row seems missing: expected the first row to name the columns, but found only numbers (${shown})`;
    throw new UserError('data', msg, { file, line });
  }
  const seen = new Set<string>();
  header.forEach((name, i) => {
    const place = { file, line, column: i + 1 };
    if (name === '') {
      throw new UserError('data', `expected a name for every column, but column ${i + 1} of the header row is empty`, place);
    }
    if (seen.has(name)) {
      throw new UserError('data', `expected distinct column names, but ${quote(name)} appears twice in the header row`, place);
    }
    seen.add(name);
  });
}

/** The index of each named column; `path` is the YAML key holding the names (a string or a list). */
export function columnIndices(table: CsvTable, names: string | string[], at: Where, path: (string | number)[]): number[] {
  const list = typeof names === 'string' ? [names] : names;
  return list.map((name, i) => {
    const index = table.header.indexOf(name);
    if (index < 0) {
      const keyPath = typeof names === 'string' ? path : [...path, i];
      const msg = `expected a column named ${quote(name)} in ${table.file}, but its columns are: ${table.header.join(', ')}`;
      throw new UserError('data', msg, at(keyPath));
    }
    return index;
  });
}

/**
 * The given columns as numbers (rows × columns.length); `role` says what they are for, in messages. With
 * `consume`, the table's own values become the result when the columns ascend (no copy of a large file's
 * data); NOTE: the table's values are then gone, so take every other numeric column first.
 */
export function numericColumns(table: CsvTable, columns: number[], role: string, consume = false): Matrix {
  checkNumeric(table, columns, role);
  const { rowCount: rows, values } = table;
  if (values.length < rows * table.header.length) throw new Error('numericColumns: the table\'s values were consumed');
  const n = columns.length;
  const ascending = columns.every((c, k) => k === 0 || c > columns[k - 1]);
  // In place is safe when the columns ascend: each write (r·n + k) lands at or before its read (r·width + c).
  const data = consume && ascending ? values : sharedFloat64(rows * n); // shared, as the table's values: see grow
  const width = table.header.length;
  for (let r = 0; r < rows; r++) for (let k = 0; k < n; k++) data[r * n + k] = values[r * width + columns[k]];
  if (consume) table.values = new Float64Array(0);
  return { data: data.subarray(0, rows * n), rows, cols: n };
}

/**
 * The first cell (in row order, then in the order of `columns`) that is not a finite number is an error; `hint`
 * (what to do about a column that is text) ends the message when the cell is not a number at all.
 */
export function checkNumeric(table: CsvTable, columns: number[], role: string, hint?: string): void {
  let first: { c: number; cell: BadCell } | undefined;
  for (const c of columns) {
    const cell = table.bad[c];
    if (cell !== undefined && (first === undefined || cell.row < first.cell.row)) first = { c, cell };
  }
  if (first === undefined) return;
  const { c, cell } = first;
  const column = quote(table.header[c]);
  const msg = isNumeric(cell.text)
    ? `expected a finite number in column ${column} (${role}), but found ${quote(cell.text)}, which is beyond the range of a 64-bit float`
    : `expected a number in column ${column} (${role}), but found ${cell.text === '' ? 'an empty field' : quote(cell.text)}${hint && isWord(cell.text) ? `; ${hint}` : ''}`;
  throw new UserError('data', msg, { file: table.file, line: table.lines[cell.row], column: c + 1 });
}

/** Text that is no spelling of a number (not `NaN`, `Infinity`, `0x10`, empty): an ID or a name, say. */
const isWord = (text: string): boolean => text.trim() !== '' && Number.isNaN(Number(text)) && !/^[+-]?(nan|inf(inity)?)$/i.test(text.trim());

/** One column's text (a column kept by readCsv's keepText). */
export function textColumn(table: CsvTable, column: number): string[] {
  const texts = table.texts[column];
  if (texts === undefined) throw new Error(`textColumn: column ${table.header[column]} was not kept as text`);
  return texts;
}

/** One column as labels; empty fields are an error. */
export function labelColumn(table: CsvTable, column: number): string[] {
  const labels = textColumn(table, column);
  const r = labels.indexOf('');
  if (r >= 0) {
    const msg = `expected a class label in column ${quote(table.header[column])} (the target), but found an empty field`;
    throw new UserError('data', msg, { file: table.file, line: table.lines[r], column: column + 1 });
  }
  return labels;
}

/** The data rows as text (every column must have been kept: readCsv without keepText); for small files. */
export function textRows(table: CsvTable): string[][] {
  const columns = table.header.map((_, c) => textColumn(table, c));
  return Array.from({ length: table.rowCount }, (_, r) => columns.map((texts) => texts[r]));
}

/** A table of the given data rows (0-based, each < rowCount), in that order: their values, texts and lines. */
export function selectRows(t: CsvTable, rows: readonly number[]): CsvTable {
  const w = t.header.length;
  const values = new Float64Array(rows.length * w);
  rows.forEach((r, k) => values.set(t.values.subarray(r * w, (r + 1) * w), k * w));
  const texts = t.texts.map((list) => list && rows.map((r) => list[r]));
  const bad = t.header.map((_, c) => {
    const k = rows.findIndex((_r, i) => !Number.isFinite(values[i * w + c]));
    if (k < 0) return undefined;
    const r = rows[k];
    return { row: k, text: t.texts[c]?.[r] ?? (t.bad[c]?.row === r ? t.bad[c]!.text : String(values[k * w + c])) };
  });
  return { file: t.file, header: t.header, headerLine: t.headerLine, rowCount: rows.length, lines: Int32Array.from(rows, (r) => t.lines[r]), values, bad, texts };
}
