/**
 * Go literal syntax used inside template actions: quoted strings (with Go's
 * escapes), raw strings, character constants and numbers.
 */

/** strconv.Unquote for "..." / `...` / '...'; throws on invalid syntax. */
export function unquote(s: string): string {
  if (s.length < 2) throw new Error("invalid syntax");
  const q = s[0];
  if (q !== s[s.length - 1]) throw new Error("invalid syntax");
  const body = s.slice(1, -1);
  if (q === "`") {
    if (body.includes("`")) throw new Error("invalid syntax");
    return body.replace(/\r/g, "");
  }
  if (q !== '"' && q !== "'") throw new Error("invalid syntax");
  let out = "";
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c === q || c === "\n") throw new Error("invalid syntax");
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    switch (e) {
      case "a": out += "\x07"; break;
      case "b": out += "\b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "v": out += "\v"; break;
      case "\\": out += "\\"; break;
      case "'":
      case '"':
        if (e !== q) throw new Error("invalid syntax");
        out += e;
        break;
      case "x":
      case "u":
      case "U": {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = body.slice(i, i + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error("invalid syntax");
        i += n;
        const v = parseInt(hex, 16);
        if (e === "x") out += byteChar(v);
        else {
          if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new Error("invalid syntax");
          out += String.fromCodePoint(v);
        }
        break;
      }
      default: {
        if (e !== undefined && e >= "0" && e <= "7") {
          const oct = body.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(oct)) throw new Error("invalid syntax");
          i += 2;
          out += byteChar(parseInt(oct, 8));
          break;
        }
        throw new Error("invalid syntax");
      }
    }
  }
  if (q === "'" && [...out].length !== 1) throw new Error("invalid syntax");
  return out;
}

/** A \xNN byte: ASCII maps to itself; other single bytes have no JS string form, use U+FFFD. */
function byteChar(v: number): string {
  return v < 0x80 ? String.fromCharCode(v) : "\uFFFD";
}

export interface ParsedNumber {
  value: number;
  isInt: boolean;
  isChar: boolean;
}

/** Parses a Go number literal (ints in any base, floats, char constants). */
export function parseNumber(text: string): ParsedNumber {
  if (text.startsWith("'")) {
    const s = unquote(text);
    return { value: s.codePointAt(0)!, isInt: true, isChar: true };
  }
  if (text.endsWith("i")) throw new Error(`complex numbers are not supported: ${text}`);
  const t = text.replace(/_/g, "");
  let sign = 1;
  let body = t;
  if (body[0] === "+" || body[0] === "-") {
    if (body[0] === "-") sign = -1;
    body = body.slice(1);
  }
  let value: number;
  let floatSyntax = false;
  if (/^0[xX]/.test(body)) {
    if (/[pP.]/.test(body)) {
      floatSyntax = true;
      const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(body);
      if (!m) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
      const frac = m[2] ?? "";
      value = parseInt((m[1] || "0") + frac, 16) / 16 ** frac.length * 2 ** Number(m[3] ?? 0);
    } else value = parseInt(body.slice(2), 16);
  } else if (/^0[bB]/.test(body)) value = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) value = parseInt(body.slice(2), 8);
  else if (/^0[0-7]+$/.test(body)) value = parseInt(body.slice(1), 8);
  else {
    floatSyntax = /[.eE]/.test(body);
    value = Number(body);
  }
  if (!Number.isFinite(value) && !Number.isNaN(value)) {
    throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  }
  if (Number.isNaN(value)) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  value *= sign;
  // Go treats integral values as usable where ints are needed, but a literal
  // written with float syntax still evaluates to a float64.
  return { value, isInt: !floatSyntax && Number.isInteger(value), isChar: false };
}
