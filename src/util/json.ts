/**
 * Reading JSON inputs: a byte-order mark is accepted (editors on Windows write one),
 * and a syntax error names the file and the 1-based line, like trace errors do.
 */
import { UsageError } from './errors';
import { readInputText } from './fsErrors';

/** Offset of the first JSON syntax error in `text` (a strict RFC 8259 scan), or -1. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  // Iterative value scan with an explicit stack (deep nesting must not overflow).
  const stack: number[] = []; // 123 '{' or 91 '['
  const value = (): boolean => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 34) return str();
    if (c === 123 || c === 91) {
      stack.push(c);
      i++;
      return true;
    }
    for (const lit of ['true', 'false', 'null'])
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return true;
      }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  const str = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  if (!value()) return i;
  // After an opening bracket: expect a member/element or a close; after a value: ',' or close.
  let justOpened = stack.length > 0;
  while (stack.length > 0) {
    ws();
    const top = stack[stack.length - 1];
    const close = top === 123 ? 125 : 93;
    const c = text.charCodeAt(i);
    if (c === close) {
      stack.pop();
      i++;
      justOpened = false;
      continue;
    }
    if (!justOpened) {
      if (c !== 44) return i;
      i++;
      ws();
    }
    justOpened = false;
    const before = stack.length;
    if (top === 123) {
      if (text.charCodeAt(i) !== 34 || !str()) return i;
      ws();
      if (text.charCodeAt(i) !== 58) return i;
      i++;
    }
    if (!value()) return i;
    if (stack.length > before) justOpened = true;
  }
  ws();
  return i < n ? i : -1;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) line++;
  return line;
}

/** Parses JSON text; a syntax error is a UsageError `file:line: invalid JSON …`. */
export function parseJsonText(text: string, file: string): unknown {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(t);
  } catch {
    const at = jsonErrorOffset(t);
    const pos = at < 0 ? t.length : at;
    const near = t.slice(pos, pos + 20);
    throw new UsageError(
      `${file}:${lineAt(t, pos)}: invalid JSON ${pos >= t.length ? '(unexpected end of file)' : `near ${JSON.stringify(near)}`}`,
    );
  }
}

/** Reads and parses a JSON file (file-system errors and syntax errors name the file). */
export function readJsonFile(file: string): unknown {
  return parseJsonText(readInputText(file), file);
}
