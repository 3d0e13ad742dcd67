import { createHash } from "node:crypto";
import { InvalidArgumentError } from "../lib/errors.js";

/** A content digest in OCI form: `sha256:<64 lowercase hex>`. Only sha256 is supported. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: string): value is Digest {
  return DIGEST_RE.test(value);
}

/** Validate a digest string, throwing InvalidArgumentError with a message naming the bad value. */
export function parseDigest(value: string): Digest {
  if (!isDigest(value)) throw new InvalidArgumentError(`invalid digest "${value}": expected sha256:<64 hex digits>`);
  return value;
}

export function digestHex(digest: string): string {
  return digest.startsWith("sha256:") ? digest.slice(7) : digest;
}

export function sha256Digest(data: Buffer | string): Digest {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}
