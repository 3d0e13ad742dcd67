import type { Writable } from "node:stream";

/** What the stats and update routes need (consumer-declared). */
export interface StatsBackend {
  stats(ref: string, opts: { stream: boolean; oneShot: boolean }, out: Writable, closed: Promise<void>): Promise<void>;
  /** Throws 404 before the response starts. */
  check(ref: string): void;
  update(ref: string, body: unknown): Promise<{ Warnings: string[] }>;
}
