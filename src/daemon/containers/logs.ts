import { InvalidArgumentError } from "../../lib/errors.js";
import { parseTimestamp } from "../../lib/filters.js";
import type { LogReadOptions } from "../../logging/read-logs.js";

export type LogOptions = LogReadOptions;

export function parseLogOptions(q: { stdout: boolean; stderr: boolean; follow: boolean; timestamps: boolean; tail?: string; since?: string; until?: string }, tty: boolean): LogOptions {
  if (!q.stdout && !q.stderr) throw new InvalidArgumentError("Bad parameters: you must choose at least one stream");
  let tail: number | undefined;
  if (q.tail !== undefined && q.tail !== "" && q.tail !== "all") {
    tail = Number(q.tail);
    if (!Number.isInteger(tail)) throw new InvalidArgumentError(`invalid value for "tail": ${q.tail}`);
    if (tail < 0) tail = undefined;
  }
  const since = q.since && q.since !== "0" ? parseTimestamp(q.since) : undefined;
  const until = q.until && q.until !== "0" ? parseTimestamp(q.until) : undefined;
  return { stdout: q.stdout, stderr: q.stderr, follow: q.follow, timestamps: q.timestamps, tail, since, until, tty };
}
