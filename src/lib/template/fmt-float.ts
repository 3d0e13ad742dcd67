/**
 * Go's strconv float formatting (%e, %f, %g with and without precision).
 * JS's toFixed/toPrecision round exact ties upwards; Go rounds exact ties to
 * even (e.g. "%.3g" of 1.125 is "1.12"), so digits are derived from the exact
 * binary value here and rounded the way Go does.
 */

interface Decimal {
  d: string; // significant digits, no leading zeros ("" for zero)
  dp: number; // decimal point position: value = 0.d * 10^dp
}

/** Exact decimal expansion of a finite non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return trimZeros({ d: digits, dp });
}

function trimZeros(a: Decimal): Decimal {
  let d = a.d.replace(/0+$/, "");
  let dp = a.dp;
  const lead = d.length - d.replace(/^0+/, "").length;
  d = d.slice(lead);
  dp -= lead;
  return d === "" ? { d: "", dp: 0 } : { d, dp };
}

/** Shortest digits that round-trip (same as Go's shortest mode). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: "", dp: 0 };
  const [mant, e] = x.toExponential().split("e") as [string, string];
  const d = mant.replace(".", "");
  return trimZeros({ d, dp: Number(e) + 1 });
}

/** Rounds to nd digits, ties to even, like Go's decimal.Round. */
function roundTo(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  const up = a.d[nd] === "5" && nd + 1 === a.d.length
    ? nd > 0 && Number(a.d[nd - 1]) % 2 === 1
    : a.d[nd]! >= "5";
  if (!up) return trimZeros({ d: a.d.slice(0, nd), dp: a.dp });
  const digits = a.d.slice(0, nd).split("");
  let i = nd - 1;
  while (i >= 0 && digits[i] === "9") i--;
  if (i < 0) return { d: "1", dp: a.dp + 1 };
  digits[i] = String(Number(digits[i]) + 1);
  return trimZeros({ d: digits.slice(0, i + 1).join(""), dp: a.dp });
}

function digitAt(a: Decimal, i: number): string {
  return i >= 0 && i < a.d.length ? a.d[i]! : "0";
}

function fmtE(a: Decimal, prec: number, upper: boolean): string {
  let s = a.d.length === 0 ? "0" : a.d[0]!;
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(a, i);
  }
  const exp = a.d.length === 0 ? 0 : a.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  const abs = Math.abs(exp);
  return `${s}${upper ? "E" : "e"}${sign}${abs < 10 ? "0" : ""}${abs}`;
}

function fmtF(a: Decimal, prec: number): string {
  let s = "";
  if (a.dp > 0) for (let i = 0; i < a.dp; i++) s += digitAt(a, i);
  else s = "0";
  if (prec > 0) {
    s += ".";
    for (let i = 0; i < prec; i++) s += digitAt(a, a.dp + i);
  }
  return s;
}

/**
 * strconv.FormatFloat(x, fmt, prec, 64) for fmt in e, E, f, F, g, G;
 * prec -1 means the shortest representation.
 */
export function formatFloat(x: number, fmt: "e" | "E" | "f" | "F" | "g" | "G", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? "-" : "";
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let digs: Decimal;
  const lower = fmt.toLowerCase();
  if (shortest) {
    digs = shortestDecimal(abs);
    prec = lower === "e" ? Math.max(digs.d.length - 1, 0) : lower === "f" ? Math.max(digs.d.length - digs.dp, 0) : digs.d.length;
  } else {
    const exact = exactDecimal(abs);
    if (lower === "e") digs = roundTo(exact, prec + 1);
    else if (lower === "f") digs = roundTo(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      digs = roundTo(exact, prec);
    }
  }
  if (lower === "e") return sign + fmtE(digs, prec, fmt === "E");
  if (lower === "f") return sign + fmtF(digs, prec);
  // %g
  let eprec = prec;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  if (shortest) eprec = 6;
  const exp = digs.dp - 1;
  if (digs.d.length > 0 && (exp < -4 || exp >= eprec)) {
    if (prec > digs.d.length) prec = digs.d.length;
    return sign + fmtE(digs, prec - 1, fmt === "G");
  }
  if (prec > digs.dp) prec = digs.d.length;
  return sign + fmtF(digs, Math.max(prec - digs.dp, 0));
}
