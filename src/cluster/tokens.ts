import { randomBytes, timingSafeEqual } from "node:crypto";
import { InvalidArgumentError } from "../lib/errors.js";

/**
 * Join tokens in Docker's format, `SWMTKN-1-<ca digest>-<secret>`: the
 * digest (sha256 of the CA certificate, base36, 50 chars) lets the joining
 * node check it talks to the right cluster before it sends anything; the
 * secret (base36, 25 chars) says which role it may join as.
 */
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

function base36(buf: Buffer, width: number): string {
  let n = BigInt(`0x${buf.toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 36n)] + out;
    n /= 36n;
  }
  return out.padStart(width, "0");
}

export function newSecret(): string {
  return base36(randomBytes(16), 25).slice(-25);
}

/** A random ID like swarmkit's: 25 base36 characters. */
export function newClusterObjectId(): string {
  return base36(randomBytes(16), 25).slice(-25);
}

export function formatToken(caDigest: Buffer, secret: string): string {
  return `SWMTKN-1-${base36(caDigest, 50)}-${secret}`;
}

export interface ParsedToken {
  digest: string;
  secret: string;
}

export function parseToken(token: string): ParsedToken {
  const m = /^SWMTKN-1-([0-9a-z]{50})-([0-9a-z]{25})$/.exec(token.trim());
  if (!m) throw new InvalidArgumentError("invalid join token");
  return { digest: m[1], secret: m[2] };
}

export function digestMatches(token: ParsedToken, caDigest: Buffer): boolean {
  return token.digest === base36(caDigest, 50);
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
