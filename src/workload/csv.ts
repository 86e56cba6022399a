/**
 * A small, fast CSV reader for trace files (RFC 4180 subset): comma separator,
 * optional double-quoted fields ("" escapes a quote, quoted fields may span
 * lines), LF or CRLF line ends, a header row, blank lines ignored.
 *
 * Every record carries the 1-based line on which it starts, and the field
 * helpers throw `TraceError(file, line, column, reason)` so a bad value can be
 * found in an editor. Unquoted lines (the common case) take a fast path:
 * one `indexOf('\n')` and one `split(',')`.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { TraceError } from '../util/errors';
import { fsUsageError } from '../util/fsErrors';

export interface CsvRecord {
  /** 1-based line number of the first line of the record. */
  readonly line: number;
  readonly fields: string[];
  /**
   * Set when the record as a whole is malformed (more fields than the header, or the
   * last record of a file that ends without a line end, i.e. probably cut off): loaders
   * report it like a bad field, so `--skip-invalid` can skip it.
   */
  error?: TraceError;
}

/** Yields every non-blank record of `text` (the header included). */
export function* parseCsvRecords(text: string, file: string, firstLine = 1): Generator<CsvRecord> {
  let pos = 0;
  let line = firstLine;
  if (firstLine === 1 && text.charCodeAt(0) === 0xfeff) pos = 1; // UTF-8 byte-order mark
  const n = text.length;
  // Position of the next double quote at or after `pos` (n if none): cached so
  // that quote-free files are scanned once, not once per line.
  let quote = -1;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const startLine = line;
    if (quote < pos) {
      quote = text.indexOf('"', pos);
      if (quote < 0) quote = n;
    }
    if (quote >= end) {
      // Fast path: no quote on this line.
      if (end > pos) yield { line: startLine, fields: text.slice(pos, end).split(',') };
      pos = nl + 1;
      line++;
      continue;
    }
    // Slow path: a quoted field somewhere in this record (may span lines).
    const fields: string[] = [];
    let field = '';
    let i = pos;
    for (;;) {
      if (text.charCodeAt(i) === 34 /* " */) {
        i++;
        for (;;) {
          if (i >= n) throw new TraceError(file, startLine, `column ${fields.length + 1}`, 'unterminated quoted field');
          const c = text.charCodeAt(i);
          if (c === 34) {
            if (text.charCodeAt(i + 1) === 34) {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === 10) line++;
          field += text[i];
          i++;
        }
        const c = text.charCodeAt(i);
        const atEol = i >= n || c === 10 || (c === 13 && (i + 1 >= n || text.charCodeAt(i + 1) === 10));
        if (!atEol && c !== 44)
          throw new TraceError(file, line, `column ${fields.length + 1}`, 'unexpected character after closing quote');
      } else {
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 44 || c === 10 || (c === 13 && (i + 1 >= n || text.charCodeAt(i + 1) === 10))) break;
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      field = '';
      if (i < n && text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      // End of record.
      if (i < n && text.charCodeAt(i) === 13) i++;
      if (i < n) i++; // the '\n'
      line++;
      break;
    }
    pos = i;
    yield { line: startLine, fields };
  }
}

/** Text of a CSV source in decoded chunks (a file read 1 MiB at a time, or one string). */
type ChunkSource = () => Generator<string>;

const CHUNK = 1 << 20;

function fileChunks(file: string): ChunkSource {
  return function* () {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw fsUsageError('read', file, e);
    }
    try {
      const buf = Buffer.alloc(CHUNK);
      const dec = new StringDecoder('utf8');
      for (;;) {
        let n: number;
        try {
          n = readSync(fd, buf, 0, CHUNK, null);
        } catch (e) {
          throw fsUsageError('read', file, e);
        }
        if (n === 0) break;
        yield dec.write(buf.subarray(0, n));
      }
      const rest = dec.end();
      if (rest) yield rest;
    } finally {
      closeSync(fd);
    }
  };
}

function countChar(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

/**
 * Records of a chunked source, parsed piece by piece: a piece ends at a line end and
 * never inside a quoted field (an odd number of quotes means the field goes on), so
 * quoted fields may span lines and chunks. Also reports whether the text ended with
 * a line end (through `end`).
 */
function* streamRecords(source: ChunkSource, file: string, end: { newline: boolean }): Generator<CsvRecord> {
  let carry = '';
  let line = 1;
  let last = '';
  for (const chunk of source()) {
    if (chunk.length === 0) continue;
    last = chunk;
    carry += chunk;
    const cut = carry.lastIndexOf('\n');
    if (cut < 0) continue;
    const piece = carry.slice(0, cut + 1);
    if (piece.includes('"') && countChar(piece, '"') % 2 === 1) continue; // inside a quoted field
    carry = carry.slice(cut + 1);
    yield* parseCsvRecords(piece, file, line);
    line += countChar(piece, '\n');
  }
  if (carry.length > 0) yield* parseCsvRecords(carry, file, line);
  end.newline = last.length > 0 && last.charCodeAt(last.length - 1) === 10;
}

/**
 * A CSV file: header, data records and the SHA-256 of its bytes. Records are streamed
 * from the file on each iteration of `records` (1 MiB at a time), never held all in
 * memory, so a million-row trace costs the jobs it becomes, not its text.
 */
export class CsvTable {
  readonly header: string[];
  readonly headerLine: number;

  private constructor(
    readonly file: string,
    readonly sha256: string,
    private readonly source: ChunkSource,
  ) {
    const all = streamRecords(source, file, { newline: false });
    const first = all.next();
    all.return(undefined);
    if (first.done) throw new TraceError(file, 1, '(header)', 'empty file: no header row');
    this.header = first.value.fields.map((h) => h.trim());
    this.headerLine = first.value.line;
    const seen = new Map<string, number>();
    this.header.forEach((h, i) => {
      const j = seen.get(h);
      if (j !== undefined)
        throw new TraceError(file, this.headerLine, h, `duplicate header column (columns ${j + 1} and ${i + 1})`);
      seen.set(h, i);
    });
  }

  /**
   * The data records, in file order (streamed anew on each iteration). A record with
   * more fields than the header, and the last record of a file that does not end with
   * a line end (cut off mid-write: its last field would read as a shorter, wrong
   * value), carry an `error` that the field helpers throw.
   */
  get records(): Iterable<CsvRecord> {
    const { file, source } = this;
    const width = this.header.length;
    return {
      *[Symbol.iterator]() {
        const end = { newline: true };
        const it = streamRecords(source, file, end);
        it.next(); // the header
        let prev: CsvRecord | undefined;
        for (const r of it) {
          if (r.fields.length > width)
            r.error = new TraceError(
              file,
              r.line,
              `column ${width + 1}`,
              `row has ${r.fields.length} fields but the header has ${width} (an unquoted comma?)`,
            );
          if (prev) yield prev;
          prev = r;
        }
        if (prev) {
          if (!end.newline && !prev.error)
            prev.error = new TraceError(
              file,
              prev.line,
              '(row)',
              'the file ends inside this row without a line end (truncated file?); if the row is complete, end it with a newline',
            );
          yield prev;
        }
      },
    };
  }

  static read(file: string): CsvTable {
    const source = fileChunks(file);
    const hash = createHash('sha256');
    // First pass: the SHA-256 of the bytes (streamed too).
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw fsUsageError('read', file, e);
    }
    try {
      const buf = Buffer.alloc(CHUNK);
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        hash.update(buf.subarray(0, n));
      }
    } catch (e) {
      throw fsUsageError('read', file, e);
    } finally {
      closeSync(fd);
    }
    return new CsvTable(file, hash.digest('hex'), source);
  }

  static fromText(text: string, file: string): CsvTable {
    return new CsvTable(file, sha256Hex(Buffer.from(text, 'utf8')), function* () {
      yield text;
    });
  }

  /** Index of a required column; a missing one is a TraceError on the header line naming it. */
  column(name: string): number {
    const i = this.header.indexOf(name);
    if (i < 0)
      throw new TraceError(
        this.file,
        this.headerLine,
        name,
        `missing required column (header: ${quoteInput(this.header.join(','), 200)})`,
      );
    return i;
  }

  /** Index of an optional column, or -1. */
  optionalColumn(name: string): number {
    return this.header.indexOf(name);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Raw text of a field; a missing field (short row) or a malformed record is a TraceError. */
export function fieldText(file: string, rec: CsvRecord, col: number, name: string): string {
  if (rec.error) throw rec.error;
  if (col >= rec.fields.length)
    throw new TraceError(file, rec.line, name, `missing value (row has ${rec.fields.length} fields)`);
  return rec.fields[col];
}

/** Plain decimal notation only: `Number()` would also take 0x10, 0b1, 0o7 and '1_0'-free oddities. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A required finite decimal number. Empty, non-numeric, hex or infinite values are TraceErrors. */
export function parseNumber(file: string, line: number, name: string, s: string): number {
  const t = s.trim();
  if (t.length === 0) throw new TraceError(file, line, name, 'missing value');
  const v = Number(t);
  if (!Number.isFinite(v) || !DECIMAL.test(t))
    throw new TraceError(file, line, name, `not a number (${quoteInput(s)})`);
  return v;
}

/** Input text quoted for a message: JSON-escaped (control characters included) and capped. */
export function quoteInput(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
}

export function numberField(file: string, rec: CsvRecord, col: number, name: string): number {
  return parseNumber(file, rec.line, name, fieldText(file, rec, col, name));
}

/** A required integer (e.g. a GPU count). */
export function intField(file: string, rec: CsvRecord, col: number, name: string): number {
  const v = numberField(file, rec, col, name);
  if (!Number.isInteger(v)) throw new TraceError(file, rec.line, name, `not an integer (${v})`);
  return v;
}

/** A required non-empty string. */
export function textField(file: string, rec: CsvRecord, col: number, name: string): string {
  const s = fieldText(file, rec, col, name).trim();
  if (s.length === 0) throw new TraceError(file, rec.line, name, 'missing value');
  return s;
}

/** The first `bytes` bytes of a file as text (for format detection). */
export function readHead(file: string, bytes = 4096): string {
  try {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const n = readSync(fd, buf, 0, bytes, 0);
      return buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw fsUsageError('read', file, e);
  }
}
