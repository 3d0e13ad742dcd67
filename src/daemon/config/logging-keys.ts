// The default log driver for containers that name none (reloaded on SIGHUP for new containers).
import { validateLogConfig } from "../../logging/log-config.js";
import type { ConfigCheck, ConfigKey } from "./key.js";
import { map, str } from "./kinds.js";

export const loggingKeys: ConfigKey[] = [
  { name: "log-driver", flags: ["--log-driver"], kind: str, field: "logDriver", reload: true },
  { name: "log-opts", flags: ["--log-opt"], kind: map, field: "logOpts", reload: true },
];

export const checkDefaultLogConfig: ConfigCheck = (cfg) => validateLogConfig(cfg.logDriver, cfg.logOpts);
