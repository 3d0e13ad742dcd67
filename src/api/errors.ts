import {
  ConflictError, ForbiddenError, InvalidArgumentError, NotFoundError, NotImplementedError,
  NotModifiedError, TooLargeError, UnauthorizedError, UnavailableError,
} from "../lib/errors.js";

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
