import { goQuote } from "../go-quote.js";
/**
 * Lexer for Go text/template syntax. It produces the same token stream as
 * Go's lexer (including whitespace tokens inside actions, which the parser
 * needs to tell `$x := 1` from `$x 1`), so that parse errors name the same
 * tokens Go names. Delimiters are fixed to `{{` / `}}` as docker uses them.
 */

export type ItemType =
  | "error" | "bool" | "char" | "charConstant" | "comment" | "assign" | "declare"
  | "eof" | "field" | "identifier" | "leftDelim" | "leftParen" | "number" | "pipe"
  | "rawString" | "rightDelim" | "rightParen" | "space" | "string" | "text" | "variable"
  // keywords (Go prints these as <val>)
  | "block" | "break" | "continue" | "dot" | "define" | "else" | "end" | "if"
  | "nil" | "range" | "template" | "with";

const KEYWORDS: Record<string, ItemType> = {
  ".": "dot", block: "block", break: "break", continue: "continue", define: "define",
  else: "else", end: "end", if: "if", range: "range", nil: "nil", template: "template", with: "with",
};
const KEYWORD_TYPES = new Set<ItemType>(Object.values(KEYWORDS));

export interface Item {
  typ: ItemType;
  pos: number; // byte-ish offset (UTF-16 index) of the token in the input
  val: string;
  line: number; // 1-based line of the token's start
}

/** Go's item.String(): how a token is named in "unexpected X in Y" errors. */
export function itemString(i: Item): string {
  if (i.typ === "eof") return "EOF";
  if (i.typ === "error") return i.val;
  if (KEYWORD_TYPES.has(i.typ)) return `<${i.val}>`;
  if (i.val.length > 10) return `${goQuote(i.val.slice(0, 10))}...`;
  return goQuote(i.val);
}


const LEFT = "{{";
const RIGHT = "}}";
const TRIM_MARKER_LEN = 2; // " -" or "- "

export function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}
function isAlphaNumeric(c: string): boolean {
  return c === "_" || /[\p{L}\p{Nd}]/u.test(c);
}
function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === "-" && isSpace(s[1]!);
}
function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s[0]!) && s[1] === "-";
}
function trimRightSpace(s: string): string {
  let e = s.length;
  while (e > 0 && isSpace(s[e - 1]!)) e--;
  return s.slice(0, e);
}
function leftTrimLength(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s[i]!)) i++;
  return i;
}

/** Tokenizes the whole input; the last item is always "eof" or "error". */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let start = 0;
  let pos = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;
  let insideAction = false;

  const countLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (input[i] === "\n") line++;
  };
  const emit = (typ: ItemType) => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: startLine });
    countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const ignore = () => {
    countLines(start, pos);
    start = pos;
    startLine = line;
  };
  const fail = (msg: string): false => {
    items.push({ typ: "error", pos: start, val: msg, line: startLine });
    return false;
  };
  const atRightDelim = (): [boolean, boolean] => {
    const rest = input.slice(pos);
    if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT, TRIM_MARKER_LEN)) return [true, true];
    if (rest.startsWith(RIGHT)) return [true, false];
    return [false, false];
  };
  const atTerminator = (): boolean => {
    const c = input[pos];
    if (c === undefined) return true;
    if (isSpace(c)) return true;
    if (".,|:)(".includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const runeAt = (p: number): string => {
    const cp = input.codePointAt(p);
    return cp === undefined ? "" : String.fromCodePoint(cp);
  };
  const uplus = (c: string) =>
    `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${c}'`;

  // One action's tokens; returns false after an error.
  const lexText = (): boolean => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit("text");
      return true;
    }
    pos = x;
    let text = input.slice(start, pos);
    const trim = hasLeftTrimMarker(input.slice(pos + LEFT.length));
    if (trim) text = trimRightSpace(text);
    if (text.length > 0) {
      const save = pos;
      pos = start + text.length;
      emit("text");
      pos = save;
    }
    ignore();
    // left delimiter
    pos += LEFT.length;
    const afterMarker = trim ? TRIM_MARKER_LEN : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment();
    }
    emit("leftDelim");
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    insideAction = true;
    return true;
  };

  const lexComment = (): boolean => {
    pos += 2;
    const x = input.indexOf("*/", pos);
    if (x < 0) return fail("unclosed comment");
    pos = x + 2;
    const [delim, trim] = atRightDelim();
    if (!delim) return fail("comment ends before closing delimiter");
    emit("comment");
    if (trim) pos += TRIM_MARKER_LEN;
    pos += RIGHT.length;
    if (trim) pos += leftTrimLength(input.slice(pos));
    ignore();
    return true;
  };

  const lexInsideAction = (): boolean => {
    const [delim, trim] = atRightDelim();
    if (delim) {
      if (parenDepth !== 0) return fail("unclosed left paren");
      if (trim) {
        pos += TRIM_MARKER_LEN;
        ignore();
      }
      pos += RIGHT.length;
      emit("rightDelim");
      if (trim) {
        pos += leftTrimLength(input.slice(pos));
        ignore();
      }
      insideAction = false;
      return true;
    }
    const r = runeAt(pos);
    if (r === "") return fail("unclosed action");
    if (isSpace(r)) {
      let n = 0;
      while (pos < input.length && isSpace(input[pos]!)) {
        pos++;
        n++;
      }
      // Keep the space in front of a " -}}" trim marker out of the token.
      const rest = input.slice(pos - 1);
      if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT, TRIM_MARKER_LEN)) {
        pos--;
        if (n === 1) return true;
      }
      emit("space");
      return true;
    }
    pos += r.length;
    switch (r) {
      case "=":
        emit("assign");
        return true;
      case ":":
        if (input[pos] !== "=") return fail("expected :=");
        pos++;
        emit("declare");
        return true;
      case "|":
        emit("pipe");
        return true;
      case '"':
        return lexQuote();
      case "`":
        return lexRawQuote();
      case "$":
        return lexFieldOrVariable("variable");
      case "'":
        return lexChar();
      case "(":
        parenDepth++;
        emit("leftParen");
        return true;
      case ")":
        parenDepth--;
        if (parenDepth < 0) return fail("unexpected right paren");
        emit("rightParen");
        return true;
    }
    if (r === ".") {
      const n = input[pos];
      if (n !== undefined && (n < "0" || n > "9")) return lexFieldOrVariable("field");
    }
    if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
      pos -= r.length;
      return lexNumber();
    }
    if (isAlphaNumeric(r)) {
      pos -= r.length;
      return lexIdentifier();
    }
    const cp = r.codePointAt(0)!;
    if (cp < 0x7f && cp >= 0x20) {
      emit("char");
      return true;
    }
    return fail(`unrecognized character in action: ${uplus(r)}`);
  };

  const lexIdentifier = (): boolean => {
    while (pos < input.length && isAlphaNumeric(runeAt(pos))) pos += runeAt(pos).length;
    const word = input.slice(start, pos);
    if (!atTerminator()) return fail(`bad character ${uplus(runeAt(pos))}`);
    const kw = KEYWORDS[word];
    if (kw) emit(kw);
    else if (word === "true" || word === "false") emit("bool");
    else emit("identifier");
    return true;
  };

  const lexFieldOrVariable = (typ: "field" | "variable"): boolean => {
    if (atTerminator()) {
      emit(typ === "variable" ? "variable" : "dot");
      return true;
    }
    while (pos < input.length && isAlphaNumeric(runeAt(pos))) pos += runeAt(pos).length;
    if (!atTerminator()) return fail(`bad character ${uplus(runeAt(pos))}`);
    emit(typ);
    return true;
  };

  const lexChar = (): boolean => {
    for (;;) {
      const c = input[pos++];
      if (c === "\\") {
        if (pos < input.length && input[pos] !== "\n") {
          pos++;
          continue;
        }
      }
      if (c === undefined || c === "\n") return fail("unterminated character constant");
      if (c === "'") break;
    }
    emit("charConstant");
    return true;
  };

  const lexQuote = (): boolean => {
    for (;;) {
      const c = input[pos++];
      if (c === "\\") {
        if (pos < input.length && input[pos] !== "\n") {
          pos++;
          continue;
        }
      }
      if (c === undefined || c === "\n") return fail("unterminated quoted string");
      if (c === '"') break;
    }
    emit("string");
    return true;
  };

  const lexRawQuote = (): boolean => {
    const x = input.indexOf("`", pos);
    if (x < 0) return fail("unterminated raw quoted string");
    pos = x + 1;
    emit("rawString");
    return true;
  };

  const lexNumber = (): boolean => {
    // Accept Go's number syntax loosely, then require a terminator.
    const m = /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?)i?/.exec(
      input.slice(pos),
    );
    const len = m ? m[0].length : 0;
    pos += len;
    if (len === 0 || isAlphaNumeric(runeAt(pos))) {
      if (pos < input.length) pos += runeAt(pos).length;
      return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    }
    emit("number");
    return true;
  };

  for (;;) {
    const ok = insideAction ? lexInsideAction() : lexText();
    if (!ok) return items;
    if (!insideAction && pos >= input.length) {
      if (pos > start) emit("text");
      items.push({ typ: "eof", pos, val: "", line });
      return items;
    }
  }
}
