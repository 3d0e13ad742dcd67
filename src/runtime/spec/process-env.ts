/**
 * The environment a container process starts with, as Docker builds it:
 * daemon-provided PATH/HOSTNAME/TERM, overridden by the image and container
 * env, then HOME from the user's passwd entry when nobody set it.
 */
import { DEFAULT_PATH_ENV } from "./defaults.js";

export interface EnvRequest {
  /** Image env followed by container env ("K=V"; a bare "K" removes K). */
  env: readonly string[];
  hostname: string;
  tty: boolean;
  /** The resolved user's home directory. */
  home: string;
}

function keyOf(entry: string): string {
  const eq = entry.indexOf("=");
  return eq < 0 ? entry : entry.slice(0, eq);
}

/** Replaces entries with the same key in place, appends new ones; "K" without "=" deletes K. */
export function replaceOrAppendEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  for (const entry of overrides) {
    const key = keyOf(entry);
    const i = out.findIndex((e) => keyOf(e) === key);
    if (!entry.includes("=")) {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = entry;
    else out.push(entry);
  }
  return out;
}

export function buildEnv(req: EnvRequest): string[] {
  const base = [`PATH=${DEFAULT_PATH_ENV}`, `HOSTNAME=${req.hostname}`];
  if (req.tty) base.push("TERM=xterm");
  const env = replaceOrAppendEnv(base, req.env);
  if (!env.some((e) => keyOf(e) === "HOME")) env.push(`HOME=${req.home}`);
  return env;
}
