import { isDiskFull, UnavailableError } from "../../lib/errors.js";
import { TransientError } from "./http.js";

/**
 * Which transfer failures dockerd retries: a broken or stalled connection
 * and server errors (5xx). Authentication, "not found", a verified digest
 * mismatch and a full disk are final.
 */
export function isRetryable(err: unknown): boolean {
  if (isDiskFull(err)) return false;
  if (err instanceof TransientError) return true;
  if (err instanceof UnavailableError) return false;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "ETIMEDOUT" || code === "ECONNREFUSED" || code === "ERR_STREAM_PREMATURE_CLOSE";
}

/** dockerd's back-off between transfer attempts: 5 s after the first failure, 10 s after the second, … */
export function retryDelaySeconds(failedAttempts: number): number {
  return 5 * failedAttempts;
}

/**
 * Run `fn` up to `attempts` times while it fails with a retryable error,
 * waiting dockerd's back-off in between; `onWait(seconds)` is told every
 * second of the wait ("Retrying in N seconds").
 */
export async function withRetries<T>(attempts: number, fn: (attempt: number) => Promise<T>, onWait: (secondsLeft: number) => void, unitMs = 1000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      for (let left = retryDelaySeconds(attempt); left > 0; left--) {
        onWait(left);
        await new Promise((r) => setTimeout(r, unitMs));
      }
    }
  }
}
