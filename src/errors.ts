// Errors as data: every user-facing problem is a UserError with a code, a place (file, line, column,
// key path) and a plain sentence, printed as `file:line:col: path: sentence` so editors can jump to it.
// Programming errors stay ordinary Errors (with stack traces); only UserErrors are shown without one. Every
// layer may import this module (it imports nothing); the exit codes live here too.

export type ErrorCode =
  | 'yaml_syntax'
  | 'duplicate_key'
  | 'unknown_key'
  | 'schema'
  | 'check'
  | 'data'
  | 'io'
  | 'usage'
  | 'model_format';

export interface Place {
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Key path in the file, dotted with [i] for list items: `model.layers[1].units`. */
  path?: string;
}

export class UserError extends Error {
  readonly code: ErrorCode;
  readonly place: Place;
  /** Of an 'io' error from a file-system call: the system's error name (`ENOSPC`), which the sentence also gives. */
  readonly errno?: string;

  constructor(code: ErrorCode, message: string, place: Place = {}, errno?: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.place = place;
    if (errno !== undefined) this.errno = errno;
  }

  /** `file:line:col: path: sentence`, leaving out the parts that are unknown. */
  format(): string {
    const { file, line, column, path } = this.place;
    let where = file ?? '';
    if (file !== undefined && line !== undefined) where += `:${line}:${column ?? 1}`;
    const parts = [where, path].filter((p): p is string => p !== undefined && p !== '');
    return [...parts, this.message].join(': ');
  }
}

/** Several UserErrors found together (a whole file's validation report), sorted by place: by file in the order the
 *  files first come (several experiment files' reports one after another, as the CLI prints them), then by line. */
export class UserErrors extends Error {
  readonly errors: readonly UserError[];

  constructor(errors: readonly UserError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'UserErrors';
    const files = [...new Set(errors.map((e) => e.place.file))];
    this.errors = [...errors].sort(
      (a, b) =>
        files.indexOf(a.place.file) - files.indexOf(b.place.file) ||
        (a.place.line ?? Infinity) - (b.place.line ?? Infinity) ||
        (a.place.column ?? 0) - (b.place.column ?? 0),
    );
  }

  format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}

/** A short description of a value for a message: `"x.yaml" (a string)`, `undefined`, `a list of 2`, `an object with keys a, b`. */
export function described(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (typeof v === 'string') return `${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)} (a string)`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${String(v)} (a ${typeof v})`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') {
    let json: string | undefined;
    try {
      json = JSON.stringify(v);
    } catch {
      json = undefined; // a cycle, a bigint
    }
    if (json !== undefined && json.length <= 80) return json;
    if (Array.isArray(v)) return `a list of ${v.length}`;
    const keys = Object.keys(v);
    return keys.length === 0 ? 'an object with no keys' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  }
  return `a ${typeof v}`;
}

/**
 * A library function's argument of the wrong kind (a JavaScript caller, `as any`): throws `fn: what: expected EXPECTED,
 * found FOUND` (usage). The checks themselves are their modules' (runner/arguments.ts, config/load.ts).
 */
export function badArgument(fn: string, what: string, expected: string, found: unknown): never {
  throw new UserError('usage', `${fn}: ${what}: expected ${expected}, found ${described(found)}`);
}

/**
 * A library function's list of texts (paths, column names, --set texts; a lone string would be read a letter at a
 * time): badArgument at the list (`what`), or at its first item that is no string (`items[k]`).
 */
export function checkTextList(fn: string, what: string, items: string, list: unknown, expected: string, itemExpected: string): asserts list is string[] {
  if (!Array.isArray(list)) badArgument(fn, what, `${expected}${typeof list === 'string' ? ` ([${JSON.stringify(list)}])` : ''}`, list);
  const k = list.findIndex((t) => typeof t !== 'string');
  if (k >= 0) badArgument(fn, `${items}[${k}]`, itemExpected, list[k]);
}

/** A file-system call's failure in words, by its errno code (files/fsfail.ts says output failures with them; ENOENT's
 *  words are the writer's: a reader says 'no such file' itself). */
export const SYSTEM_REASONS: Readonly<Record<string, string>> = Object.freeze({
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long for the file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such folder, and it cannot be made there',
  EEXIST: 'something of that name is already there',
  EBUSY: 'it is in use',
  EMFILE: 'too many open files',
  EIO: 'an input/output error from the device',
  EFBIG: 'the file would exceed the file-size limit (ulimit -f) or the file system\'s',
  ELOOP: 'too many symbolic links in the path, or a link where none is followed',
});

/** A reader's failure: `REASON (CODE)` for a known errno code, else the error's own message. */
export function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && Object.hasOwn(SYSTEM_REASONS, code) ? `${SYSTEM_REASONS[code]} (${code})` : (e as Error).message;
}

/** Is this an error meant for the user (printed without a stack trace)? */
export function isUserError(e: unknown): e is UserError | UserErrors {
  return e instanceof UserError || e instanceof UserErrors;
}

/** A key path in a file: ['model', 'layers', 1, 'units']. */
export type KeyPath = readonly (string | number)[];

/** Locates a key path of an experiment file: ["data", "csv", "path"] → its Place (file and dotted path filled in). */
export type Where = (path: KeyPath) => Place;

/** Dotted key path from path segments: ['model', 'layers', 1, 'units'] → `model.layers[1].units`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** formatPath's inverse: `model.layers[1].units` (or `model.layers.1.units`) → ['model', 'layers', 1, 'units']. */
export const parsePath = (path: string): (string | number)[] =>
  path === '' ? [] : path.replace(/\[(\d+)\]/g, '.$1').split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** The process exit codes, in one place: the CLI maps every outcome to one of these. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A problem in an input file (printed located, `file:line:col: path: sentence`). */
  input: 1,
  /** A usage error: unknown command or option, wrong arguments. */
  usage: 2,
  /** A bug in mlplab: printed with its stack trace. */
  internal: 3,
  /** Training diverged (a loss, gradient or weight became NaN or infinite); the run went to NAME.diverged/. */
  diverged: 4,
  /** Stopped by Ctrl-C (SIGINT), 128 + 2 as shells report it; the partial run went to NAME.interrupted/. */
  interrupted: 130,
  /** Stopped by SIGTERM, 128 + 15. */
  terminated: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
