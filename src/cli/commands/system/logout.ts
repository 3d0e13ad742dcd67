import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { readConfig, serverKey, writeConfig } from "./login.js";

/** `wharf logout [SERVER]`: forget the stored credentials. */
export const command: CommandModule["command"] = {
  use: "[SERVER]",
  short: "Log out from a registry",
  aliases: ["logout"],
  args: { max: 1 },
  flags: [],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const key = serverKey(p.args[0]);
  const cfg = readConfig();
  const auths = (cfg.auths as Record<string, unknown> | undefined) ?? {};
  if (!(key in auths)) {
    ctx.io.stdout.write(`Not logged in to ${key}\n`);
    return;
  }
  ctx.io.stdout.write(`Removing login credentials for ${key}\n`);
  delete auths[key];
  cfg.auths = auths;
  writeConfig(cfg);
}
