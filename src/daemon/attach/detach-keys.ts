import { InvalidArgumentError } from "../../lib/errors.js";

export const DEFAULT_DETACH_KEYS = "ctrl-p,ctrl-q";

/** Parse Docker's detach key spec: "ctrl-p,ctrl-q", "a,ctrl-@", "ctrl-[". */
export function parseDetachKeys(spec: string): Buffer {
  const out: number[] = [];
  for (const key of spec.split(",")) {
    const k = key.trim();
    if (k.length === 1) out.push(k.charCodeAt(0));
    else if (/^ctrl-[a-z@\[\\\]^_]$/i.test(k)) {
      const c = k[5].toLowerCase();
      const code = c >= "a" && c <= "z" ? c.charCodeAt(0) - 96 : { "@": 0, "[": 27, "\\": 28, "]": 29, "^": 30, _: 31 }[c]!;
      out.push(code);
    } else throw new InvalidArgumentError(`Invalid detach keys (${spec}) provided`);
  }
  return Buffer.from(out);
}

/**
 * Watches a TTY's stdin for the detach sequence. Bytes that turn out not to
 * be part of it are passed on; a complete sequence is swallowed and reported.
 */
export class DetachKeyScanner {
  private matched = 0;

  constructor(private readonly keys: Buffer) {}

  /** Returns the bytes to forward and whether the sequence completed (anything after it is dropped). */
  push(chunk: Buffer): { forward: Buffer; detach: boolean } {
    const out: number[] = [];
    for (const b of chunk) {
      if (b === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) return { forward: Buffer.from(out), detach: true };
        continue;
      }
      // Mismatch: the held-back prefix was ordinary input.
      for (let i = 0; i < this.matched; i++) out.push(this.keys[i]);
      this.matched = 0;
      if (b === this.keys[0]) this.matched = 1;
      else out.push(b);
    }
    return { forward: Buffer.from(out), detach: false };
  }
}
