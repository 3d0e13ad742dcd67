import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { wharfBinPath } from "../../main.js";

/**
 * `compose install-plugin`: link wharf as the docker CLI's compose plugin
 * (`$DOCKER_CONFIG/cli-plugins/docker-compose`, default ~/.docker; with
 * --system /usr/local/lib/docker/cli-plugins), so `docker compose` runs
 * wharf's compose against whatever daemon the docker CLI points at.
 */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Install wharf as the docker CLI's compose plugin",
  args: { exact: 0 },
  flags: [
    { long: "system", kind: "bool", usage: "Install for every user (/usr/local/lib/docker/cli-plugins)" },
    { long: "dir", kind: "string", usage: "Install into this plugin directory" },
  ],
};

export function pluginDir(system: boolean, env: NodeJS.ProcessEnv = process.env): string {
  if (system) return "/usr/local/lib/docker/cli-plugins";
  return path.join(env.DOCKER_CONFIG || path.join(os.homedir(), ".docker"), "cli-plugins");
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const dir = str(p, "dir") || pluginDir(bool(p, "system"));
  await fs.mkdir(dir, { recursive: true });
  const target = path.join(dir, "docker-compose");
  await fs.rm(target, { force: true });
  await fs.symlink(wharfBinPath(), target);
  ctx.io.stdout.write(`${target} -> ${wharfBinPath()}\n`);
}
