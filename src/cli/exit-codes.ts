import { ApiError, ConnectionError } from "../client/api-error.js";

/**
 * How failures become text and exit codes, as the docker CLI does it.
 * `run`/`create`/`start -a` map a failed start to 125, or 126/127 when the
 * runtime says the command cannot be invoked or does not exist.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `Error response from daemon: ${err.message}`;
  if (err instanceof ConnectionError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function runExitCode(message: string): number {
  if (message.includes("executable file not found") || message.includes("no such file or directory") || message.includes("system cannot find the file specified")) {
    return 127;
  }
  if (message.includes("permission denied") || message.includes("is a directory")) return 126;
  return 125;
}

