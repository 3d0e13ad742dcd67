import {
  ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError, NotImplementedError,
  NotModifiedError, TooLargeError, UnauthorizedError, UnavailableError,
} from "../lib/errors.js";
import { errorMessage } from "../lib/errors.js";
import { log } from "../lib/log.js";

/** THE mapping from domain error kinds to HTTP status codes. No other place decides a status. */
export function statusFromError(err: unknown): number {
  if (err instanceof InvalidArgumentError) return 400;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof NotModifiedError) return 304;
  if (err instanceof UnauthorizedError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof TooLargeError) return 413;
  if (err instanceof NotImplementedError) return 501;
  if (err instanceof UnavailableError) return 503;
  return 500;
}

/** JavaScript's own error kinds: a bug in wharf, never something to show a client as is. */
function isProgrammingError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError || err instanceof EvalError;
}

/**
 * The message a client may see for an error. A TypeError and its kin are a
 * bug in wharf: their text ("Cannot read properties of undefined") means
 * nothing to the user, so it is logged with its stack and replaced.
 */
export function publicErrorMessage(err: unknown, what: string): string {
  if (isProgrammingError(err)) {
    log.error("internal error (a bug in wharf)", { while: what, error: (err as Error).stack ?? String(err) });
    return `internal error in the daemon while handling ${what}; the daemon log has the details`;
  }
  return errorMessage(err);
}
