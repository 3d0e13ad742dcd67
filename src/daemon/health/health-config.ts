import { InvalidArgumentError } from "../../lib/errors.js";

/** Docker's HealthConfig (durations in nanoseconds). */
export interface HealthConfig {
  Test?: string[] | null;
  Interval?: number | null;
  Timeout?: number | null;
  StartPeriod?: number | null;
  StartInterval?: number | null;
  Retries?: number | null;
}

/** Go clients send `null` or leave out what they do not set; like Go's zero value, both mean 0 ("use the default"). */
function orZero(v: number | null | undefined): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** State.Health. */
export interface HealthState {
  Status: "starting" | "healthy" | "unhealthy" | "none";
  FailingStreak: number;
  Log: HealthLogEntry[];
}

export interface WithHealth {
  health?: HealthState;
}

/** The probe to run, with dockerd's defaults; undefined when there is no check ("NONE" or none at all). */
export function effectiveCheck(h: HealthConfig | undefined | null): { cmd: string[]; intervalMs: number; timeoutMs: number; startPeriodMs: number; startIntervalMs: number; retries: number } | undefined {
  const test = h?.Test ?? [];
  if (test.length === 0 || test[0] === "NONE") return undefined;
  let cmd: string[];
  if (test[0] === "CMD") cmd = test.slice(1);
  else if (test[0] === "CMD-SHELL") cmd = ["/bin/sh", "-c", test.slice(1).join(" ")];
  else cmd = ["/bin/sh", "-c", test.join(" ")];
  if (cmd.length === 0) return undefined;
  const ms = (ns: number | null | undefined, dflt: number) => (orZero(ns) > 0 ? orZero(ns) / 1e6 : dflt);
  return {
    cmd,
    intervalMs: ms(h?.Interval, 30_000),
    timeoutMs: ms(h?.Timeout, 30_000),
    startPeriodMs: ms(h?.StartPeriod, 0),
    startIntervalMs: ms(h?.StartInterval, 5_000),
    retries: orZero(h?.Retries) > 0 ? orZero(h?.Retries) : 3,
  };
}

/** dockerd's create-time checks of a healthcheck. */
export function validateHealthConfig(h: HealthConfig | undefined | null): void {
  if (!h) return;
  const minimum = 1e6; // 1ms
  const check = (v: number | null | undefined, what: string) => {
    if (orZero(v) !== 0 && orZero(v) < minimum) throw new InvalidArgumentError(`${what} in Healthcheck cannot be less than ${minimum / 1e6}ms`);
  };
  check(h.Interval, "Interval");
  check(h.Timeout, "Timeout");
  check(h.StartPeriod, "StartPeriod");
  check(h.StartInterval, "StartInterval");
  if (orZero(h.Retries) < 0) throw new InvalidArgumentError("Retries in Healthcheck cannot be negative");
}

/**
 * dockerd's merge of a container's healthcheck with its image's: fields the
 * container leaves empty (no Test, zero or null durations) come from the image.
 */
export function mergeHealthConfig(user: HealthConfig | null | undefined, image: HealthConfig | null | undefined): HealthConfig | undefined {
  if (!user) return image ?? undefined;
  if (!image) return user;
  const out: HealthConfig = { ...user };
  if (!out.Test || out.Test.length === 0) out.Test = image.Test;
  for (const k of ["Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"] as const) if (orZero(out[k]) === 0 && image[k] != null) out[k] = image[k];
  return out;
}
