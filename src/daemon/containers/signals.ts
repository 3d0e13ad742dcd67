import { constants } from "node:os";
import { InvalidArgumentError } from "../../lib/errors.js";

const SIGNALS = constants.signals as Record<string, number>;

/** Parse a signal as Docker does: "SIGTERM", "TERM", "term", "15", "SIGRTMIN+3". */
export function parseSignal(sig: string | number): number {
  if (typeof sig === "number") return sig;
  const s = String(sig).trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n < 1 || n > 64) throw new InvalidArgumentError(`invalid signal: ${s}`);
    return n;
  }
  const up = s.toUpperCase().replace(/^SIG/, "");
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(up) ?? /^RTMAX(?:-(\d+))?$/.exec(up);
  if (rt) return up.startsWith("RTMIN") ? 34 + Number(rt[1] ?? 0) : 64 - Number(rt[1] ?? 0);
  const n = SIGNALS["SIG" + up];
  if (n === undefined) throw new InvalidArgumentError(`invalid signal: ${s}`);
  return n;
}

