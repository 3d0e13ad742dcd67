/**
 * Domain error kinds. Code below api/ throws these; api/errors.ts maps each
 * kind to an HTTP status once, and the CLI maps API errors back to exit codes.
 * Messages follow Docker's wording and tell the user what to do.
 */
export class WharfError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
/** 400: the request is malformed or a parameter is invalid. */
export class InvalidArgumentError extends WharfError {}
/** 404: the named object does not exist. */
export class NotFoundError extends WharfError {}
/** 409: the object exists but its state forbids the operation. */
export class ConflictError extends WharfError {}
/** 304: the operation is a no-op (container already started/stopped). */
export class NotModifiedError extends WharfError {}
/** 401: credentials missing or rejected. */
export class UnauthorizedError extends WharfError {}
/** 403: the operation is forbidden. */
export class ForbiddenError extends WharfError {}
/** 501: wharf does not implement this yet. */
export class NotImplementedError extends WharfError {}
/** 503: the subsystem is not available (e.g. swarm inactive). */
export class UnavailableError extends WharfError {}
/** 413: request body too large. */
export class TooLargeError extends WharfError {}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * 500, as dockerd answers: an archive (a layer, an import, a `cp` payload, a
 * build context) that cannot be applied safely or is malformed. Messages
 * read "Error processing tar file: <what>", dockerd's words.
 */
export class ArchiveError extends WharfError {}

/** 500: the filesystem holding `what` is full (ENOSPC, EDQUOT); the message names what was being written. */
export class DiskFullError extends WharfError {
  /** The file whose write failed, when known. */
  where?: string;
}

/**
 * Turn a filesystem error into one that says what was being written, so a
 * full disk reads "no space left on device: writing layer … (free space …)"
 * instead of a bare errno. An error already described is described again
 * with the caller's (wider) `what`, keeping the file; other errors pass
 * through unchanged.
 */
export function describeWriteError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (err instanceof DiskFullError || code === "ENOSPC" || code === "EDQUOT") {
    const where = err instanceof DiskFullError ? err.where : (err as NodeJS.ErrnoException).path;
    const out = new DiskFullError(`no space left on device: writing ${what}${where ? ` (${where})` : ""}; free space on that filesystem and retry`, { cause: err });
    out.where = where;
    return out;
  }
  return err;
}

export function isDiskFull(err: unknown): boolean {
  if (err instanceof DiskFullError) return true;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}
