import { describeWriteError, isDiskFull } from "./errors.js";

/**
 * node-tar's extractor turns an entry it cannot write into a warning and goes
 * on, so a full disk would look like a successful (but truncated) copy.
 * Pass `onwarn` to the extractor and call `check()` after it finished: a
 * write failure of the disk (ENOSPC, EDQUOT) becomes the error it is.
 */
export function diskErrorsOf(what: string): { onwarn: (code: string, message: string | Error, data?: unknown) => void; check(): void } {
  let failure: unknown;
  return {
    onwarn: (_code, message, data) => {
      const err = (data as { recoverable?: boolean } & Error) ?? message;
      if (failure === undefined && isDiskFull(err instanceof Error ? err : message)) failure = err instanceof Error ? err : message;
    },
    check: () => {
      if (failure !== undefined) throw describeWriteError(failure, what);
    },
  };
}
