// Every daemon setting, by module. To add settings: write a `ConfigKey[]` table
// in your module (see key.ts) and list it here; cross-key checks go in CONFIG_CHECKS.
import { engineKeys } from "./engine-keys.js";
import type { ConfigCheck, ConfigKey } from "./key.js";
import { checkDefaultLogConfig, loggingKeys } from "./logging-keys.js";
import { tlsKeys } from "./tls-keys.js";
import { uiKeys } from "./ui-keys.js";

export const CONFIG_KEYS: readonly ConfigKey[] = [...engineKeys, ...loggingKeys, ...tlsKeys, ...uiKeys];

export const CONFIG_CHECKS: readonly ConfigCheck[] = [checkDefaultLogConfig];
