// CSV files as tables of strings (parsed by csv-parse), then as numeric columns, with located errors:
// problems in the file's content point at the CSV line (and, for values, the 1-based field number as
// the column); problems in the experiment file (a column that does not exist) point at its YAML key.
// It does not decide what the columns mean (task, encoding): that is load.ts.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UserError, type Place, type Where } from '../errors.js';
import { zeros, type Matrix } from '../matrix.js';


export interface CsvTable {
  file: string; // as shown in messages
  header: string[];
  rows: string[][]; // data rows only, each header.length long
  lines: number[]; // 1-based line in the file where each data row starts
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** A decimal number, as written in data files ("1", "-2.5", ".5", "3e-2"); not "", "NaN", "0x10", "Infinity". */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumeric(text: string): boolean {
  return NUMBER.test(text.trim());
}

const quote = (s: string): string => JSON.stringify(s);

/**
 * Reads and parses `file`; `pathPlace` is where its path is written in the experiment file, and
 * `written` the path as written there (relative to that file's folder), for the message.
 */
export function readCsv(file: string, delimiter: string, pathPlace: Place, written = file): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (e as Error).message;
    const read = written === file ? '' : ` (read as ${file}: the path is relative to the experiment file's folder)`;
    throw new UserError('data', `expected a CSV file at ${quote(written)}${read}, but ${reason}`, pathPlace);
  }
  const records = parseRecords(text, file, delimiter);
  if (records.length === 0) {
    throw new UserError('data', 'the CSV file is empty; expected a header row naming the columns, then data rows', { file, line: 1 });
  }
  const header = records[0].record;
  checkHeader(header, file);
  if (records.length === 1) {
    throw new UserError('data', 'the CSV file has a header row but no data rows', { file, line: records[0].info.lines + 1 });
  }
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = startLine(record, info.lines);
    if (record.length !== header.length) {
      const msg = `expected ${header.length} fields, as in the header row, but found ${record.length}`;
      throw new UserError('data', msg, { file, line });
    }
    rows.push(record);
    lines.push(line);
  }
  return { file, header, rows, lines };
}

function parseRecords(text: string, file: string, delimiter: string): ParsedRecord[] {
  try {
    const options = { delimiter, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true };
    return parse(text, options) as unknown as ParsedRecord[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new UserError('data', `the CSV file could not be read: ${err.message}`, { file, line: err.lines });
  }
}

/** csv-parse reports the line where a record ends; a quoted field may span several lines. */
function startLine(record: string[], endLine: number): number {
  let newlines = 0;
  for (const field of record) for (const ch of field) if (ch === '\n') newlines++;
  return endLine - newlines;
}

function checkHeader(header: string[], file: string): void {
  if (header.every(isNumeric)) {
    const shown = header.slice(0, 4).join(', ') + (header.length > 4 ? ', …' : '');
    const msg = `the header row seems missing: expected the first row to name the columns, but found only numbers (${shown})`;
    throw new UserError('data', msg, { file, line: 1 });
  }
  const seen = new Set<string>();
  header.forEach((name, i) => {
    const place = { file, line: 1, column: i + 1 };
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

/** The given columns as numbers (rows × columns.length); `role` says what they are for, in messages. */
export function numericColumns(table: CsvTable, columns: number[], role: string): Matrix {
  const m = zeros(table.rows.length, columns.length);
  table.rows.forEach((row, r) => {
    columns.forEach((c, k) => {
      const text = row[c];
      if (!isNumeric(text)) {
        const found = text === '' ? 'an empty field' : quote(text);
        const msg = `expected a number in column ${quote(table.header[c])} (${role}), but found ${found}`;
        throw new UserError('data', msg, { file: table.file, line: table.lines[r], column: c + 1 });
      }
      m.data[r * columns.length + k] = Number(text);
    });
  });
  return m;
}

/** One column as labels; empty fields are an error. */
export function labelColumn(table: CsvTable, column: number): string[] {
  return table.rows.map((row, r) => {
    if (row[column] === '') {
      const msg = `expected a class label in column ${quote(table.header[column])} (the target), but found an empty field`;
      throw new UserError('data', msg, { file: table.file, line: table.lines[r], column: column + 1 });
    }
    return row[column];
  });
}
