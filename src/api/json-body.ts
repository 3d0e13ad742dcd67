import { InvalidArgumentError } from "../lib/errors.js";
import { checkFirstValue } from "../lib/go-json-syntax.js";

/**
 * dockerd's rules for a JSON request body (Docker ≥ 23, httputils.ReadJSON):
 * a body needs `Content-Type: application/json` (parameters allowed); an empty
 * body is allowed and means "nothing set"; otherwise exactly one JSON value,
 * syntax errors reported with Go's texts, and nothing but whitespace (or a
 * stray `]`/`}`, which Go's Decoder.More does not count) after it.
 */
export function checkJsonContentType(contentType: string | undefined, bodyLength: number): void {
  const ct = contentType ?? "";
  if (ct === "" && bodyLength === 0) return;
  const mediaType = ct.split(";")[0].trim().toLowerCase();
  if (mediaType === "") throw new InvalidArgumentError(`malformed Content-Type header (${ct}): mime: no media type`);
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(mediaType)) {
    throw new InvalidArgumentError(`malformed Content-Type header (${ct}): mime: expected token after slash`);
  }
  if (mediaType !== "application/json") throw new InvalidArgumentError(`unsupported Content-Type header (${ct}): must be 'application/json'`);
}

export const EOF_MESSAGE = "invalid JSON: got EOF while reading request body";

/**
 * Parses a body already read. Returns `undefined` for an empty body (the
 * caller decides: most endpoints treat it as "nothing set", container create
 * refuses it) and `null` for a literal `null`.
 */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  const check = checkFirstValue(text);
  if (!check.ok) throw new InvalidArgumentError(check.eof ? EOF_MESSAGE : `invalid JSON: ${check.error}`);
  if (check.more) throw new InvalidArgumentError("unexpected content after JSON");
  return JSON.parse(text.slice(0, check.end));
}
