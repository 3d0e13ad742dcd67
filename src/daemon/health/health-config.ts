import { InvalidArgumentError } from "../../lib/errors.js";

/** Docker's HealthConfig (durations in nanoseconds). */
export interface HealthConfig {
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
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
  const ms = (ns: number | undefined, dflt: number) => (ns && ns > 0 ? ns / 1e6 : dflt);
  return {
    cmd,
    intervalMs: ms(h?.Interval, 30_000),
    timeoutMs: ms(h?.Timeout, 30_000),
    startPeriodMs: ms(h?.StartPeriod, 0),
    startIntervalMs: ms(h?.StartInterval, 5_000),
    retries: h?.Retries && h.Retries > 0 ? h.Retries : 3,
  };
}

/** dockerd's create-time checks of a healthcheck. */
export function validateHealthConfig(h: HealthConfig | undefined | null): void {
  if (!h) return;
  const minimum = 1e6; // 1ms
  const check = (v: number | undefined, what: string) => {
    if (v !== undefined && v !== 0 && v < minimum) throw new InvalidArgumentError(`${what} in Healthcheck cannot be less than ${minimum / 1e6}ms`);
  };
  check(h.Interval, "Interval");
  check(h.Timeout, "Timeout");
  check(h.StartPeriod, "StartPeriod");
  check(h.StartInterval, "StartInterval");
  if (h.Retries !== undefined && h.Retries < 0) throw new InvalidArgumentError("Retries in Healthcheck cannot be negative");
}
