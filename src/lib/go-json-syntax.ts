/**
 * A JSON syntax checker that reports errors with the texts of Go's
 * encoding/json Decoder, which is what dockerd answers with ("invalid
 * character 'i' looking for beginning of object key string", "unexpected
 * EOF"). Clients and test suites match these texts.
 *
 * checkFirstValue() scans the first JSON value of a body the way
 * json.Decoder.Decode does, then reports whether more content follows the
 * way Decoder.More does (anything but whitespace, `]` or `}`).
 */

export type GoJsonCheck =
  | { ok: true; end: number; more: boolean }
  | { ok: false; error: string; eof: boolean };

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Go's quoteChar: `'x'`, with Go's escapes for quotes and control characters. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 0x5c: "\\\\" };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  return `'${String.fromCodePoint(c)}'`;
}

class SyntaxFailure extends Error {}

/** Scans the first value of `text` (a Go Decoder reads bytes; we read UTF-16 units, equal for ASCII syntax). */
export function checkFirstValue(text: string): GoJsonCheck {
  let i = 0;
  const n = text.length;
  const fail = (c: number, context: string): never => {
    throw new SyntaxFailure(`invalid character ${quoteChar(c)} ${context}`);
  };
  const eof = (): never => {
    throw new SyntaxFailure("EOF");
  };
  const skipSpace = () => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      if (i + k >= n) eof();
      const c = text.charCodeAt(i + k);
      if (c !== word.charCodeAt(k)) fail(c, `in literal ${word} (expecting '${word[k]}')`);
    }
    i += word.length;
  };
  const str = () => {
    i++; // opening quote
    for (;;) {
      if (i >= n) eof();
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail(c, "in string literal");
      if (c === 0x5c) {
        i++;
        if (i >= n) eof();
        const e = text.charCodeAt(i);
        if (e === 0x75) {
          for (let k = 1; k <= 4; k++) {
            if (i + k >= n) eof();
            if (!isHex(text.charCodeAt(i + k))) fail(text.charCodeAt(i + k), "in \\u hexadecimal character escape");
          }
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i])) fail(e, "in string escape code");
      }
      i++;
    }
  };
  const num = () => {
    if (text.charCodeAt(i) === 0x2d) {
      i++;
      if (i >= n) eof();
      if (!isDigit(text.charCodeAt(i))) fail(text.charCodeAt(i), "in numeric literal");
    }
    if (text.charCodeAt(i) === 0x30) i++;
    else while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i < n && text.charCodeAt(i) === 0x2e) {
      i++;
      if (i >= n) eof();
      if (!isDigit(text.charCodeAt(i))) fail(text.charCodeAt(i), "after decimal point in numeric literal");
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < n && (text.charCodeAt(i) === 0x65 || text.charCodeAt(i) === 0x45)) {
      i++;
      if (i < n && (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d)) i++;
      if (i >= n) eof();
      if (!isDigit(text.charCodeAt(i))) fail(text.charCodeAt(i), "in exponent of numeric literal");
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
  };
  // Iterative over containers so deep nesting cannot overflow the stack.
  const stack: ("{" | "[")[] = [];
  const value = () => {
    skipSpace();
    if (i >= n) eof();
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      stack.push(c === 0x7b ? "{" : "[");
      i++;
      skipSpace();
      if (i >= n) eof();
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (text.charCodeAt(i) === close) {
        stack.pop();
        i++;
        return true;
      }
      if (c === 0x7b) objectKey();
      return false;
    }
    if (c === 0x22) str();
    else if (c === 0x2d || isDigit(c)) num();
    else if (c === 0x74) literal("true");
    else if (c === 0x66) literal("false");
    else if (c === 0x6e) literal("null");
    else fail(c, "looking for beginning of value");
    return true;
  };
  const objectKey = () => {
    skipSpace();
    if (i >= n) eof();
    if (text.charCodeAt(i) !== 0x22) fail(text.charCodeAt(i), "looking for beginning of object key string");
    str();
    skipSpace();
    if (i >= n) eof();
    if (text.charCodeAt(i) !== 0x3a) fail(text.charCodeAt(i), "after object key");
    i++;
  };
  try {
    let complete = value();
    for (;;) {
      if (complete) {
        // A value ended: continue the enclosing container, or stop at top level.
        if (stack.length === 0) break;
        skipSpace();
        if (i >= n) eof();
        const c = text.charCodeAt(i);
        const top = stack[stack.length - 1];
        if (c === 0x2c) {
          i++;
          if (top === "{") objectKey();
          complete = value();
          continue;
        }
        if ((top === "{" && c === 0x7d) || (top === "[" && c === 0x5d)) {
          stack.pop();
          i++;
          continue;
        }
        fail(c, top === "{" ? "after object key:value pair" : "after array element");
      }
      complete = value();
    }
  } catch (err) {
    if (!(err instanceof SyntaxFailure)) throw err;
    if (err.message === "EOF") {
      // Go: io.EOF when only whitespace was read, io.ErrUnexpectedEOF inside a value.
      const onlySpace = text.trim() === "";
      return { ok: false, eof: onlySpace, error: onlySpace ? "EOF" : "unexpected EOF" };
    }
    return { ok: false, eof: false, error: err.message };
  }
  const end = i;
  skipSpace();
  const next = i < n ? text.charCodeAt(i) : -1;
  return { ok: true, end, more: next !== -1 && next !== 0x5d && next !== 0x7d };
}
