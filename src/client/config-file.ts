import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The docker CLI's config.json: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json` (`--config DIR` overrides both). Only the keys the
 * CLI uses are typed; a missing or unreadable file means defaults.
 */
export interface CliConfigFile {
  psFormat?: string;
  imagesFormat?: string;
  detachKeys?: string;
  auths?: Record<string, { auth?: string }>;
  [key: string]: unknown;
}

export function configDir(override?: string): string {
  return override || process.env.DOCKER_CONFIG || join(homedir(), ".docker");
}

export function loadConfigFile(override?: string): CliConfigFile {
  try {
    const parsed = JSON.parse(readFileSync(join(configDir(override), "config.json"), "utf8")) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as CliConfigFile) : {};
  } catch {
    return {};
  }
}
