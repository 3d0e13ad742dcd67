import { accessSync, constants } from "node:fs";
import { InvalidArgumentError } from "../lib/errors.js";
import type { HostInfo } from "../runtime/host-info.js";
import type { DaemonConfig } from "./config.js";
import type { RuntimeChoice } from "./containers/deps.js";

const CANDIDATES: Record<string, string[]> = {
  crun: ["/usr/bin/crun", "/usr/local/bin/crun"],
  runc: ["/usr/sbin/runc", "/usr/bin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc"],
};

function firstExecutable(paths: string[]): string | undefined {
  for (const p of paths) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/**
 * The OCI runtimes this daemon can use, and the default. crun is preferred,
 * except on a hybrid cgroup host where crun 1.8 refuses to run (the setup
 * step makes such hosts pure v1 by mounting hugetlb as a v1 hierarchy).
 */
export function chooseRuntimes(cfg: DaemonConfig, host: HostInfo): { runtimes: Record<string, RuntimeChoice>; defaultRuntime: string } {
  const runtimes: Record<string, RuntimeChoice> = {};
  for (const [name, paths] of Object.entries(CANDIDATES)) {
    const p = firstExecutable(paths);
    if (p) runtimes[name] = { name, path: p };
  }
  for (const [name, r] of Object.entries(cfg.runtimes)) runtimes[name] = { name, path: r.path };
  let def = cfg.defaultRuntime;
  if (def) {
    if (!runtimes[def]) throw new InvalidArgumentError(`default runtime ${def} is not installed or not configured; install it or pass --add-runtime ${def}=/path`);
  } else if (runtimes.crun && !host.cgroupHybrid) def = "crun";
  else if (runtimes.runc) def = "runc";
  else if (runtimes.crun) def = "crun";
  else throw new InvalidArgumentError("no OCI runtime found: install crun or runc (apt-get install -y crun runc)");
  return { runtimes, defaultRuntime: def };
}
