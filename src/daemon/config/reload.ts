// SIGHUP: re-read daemon.json and apply the keys dockerd reloads. A key taken
// out of the file goes back to its flag value, else to its default.
import { InvalidArgumentError } from "../../lib/errors.js";
import type { DaemonConfig } from "../config.js";
import { CONFIG_KEYS } from "./keys.js";
import { build, readConfigFile, readField, type LoadedConfig } from "./load.js";

export interface ConfigChange {
  key: string;
  from: unknown;
  to: unknown;
}

/**
 * Validates the whole new file first (nothing changes when it is bad: the
 * error says why), then assigns the reloadable fields of `live` that differ.
 */
export async function reloadDaemonConfig(live: DaemonConfig, loaded: LoadedConfig): Promise<ConfigChange[]> {
  const fromFile = await readConfigFile(loaded.file, loaded.flags.configFile !== undefined);
  const conflicts = [...loaded.flags.values.keys()].filter((k) => fromFile.has(k) && !CONFIG_KEYS.find((c) => c.name === k)?.mergeable);
  if (conflicts.length) {
    throw new InvalidArgumentError(`the following directives are specified both as a flag and in the configuration file: ${conflicts.join(", ")}`);
  }
  const { config: fresh } = build(loaded.flags.values, fromFile);
  const changes: ConfigChange[] = [];
  for (const key of CONFIG_KEYS) {
    if (!key.reload || !key.field) continue;
    const from = readField(live, key.field);
    const to = readField(fresh, key.field);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changes.push({ key: key.name, from, to });
    (live as unknown as Record<string, unknown>)[key.field] = to;
  }
  return changes;
}
