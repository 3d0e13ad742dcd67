import type { JsonObject } from "../../../client/types.js";
import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { errorText } from "../../exit-codes.js";
import { str, type ParsedFlags } from "../../flags.js";
import { cliVersion } from "../../build-info.js";
import { renderServerInfo } from "./info-render.js";

/** `wharf info`: docker's Client/Server report of what the daemon returns. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Display system-wide information",
  aliases: ["system info", "info"],
  args: { exact: 0 },
  flags: [{ long: "format", short: "f", kind: "string", usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates" }],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  let info: JsonObject | undefined;
  let failure: unknown;
  try {
    info = await (await ctx.client()).info();
  } catch (err) {
    failure = err;
  }
  const clientInfo = { Debug: ctx.debug, Version: cliVersion(), Context: "default", Plugins: [], Warnings: null };
  const format = str(p, "format");
  if (format) {
    const data = { ...(info ?? {}), ClientInfo: clientInfo, ServerErrors: failure ? [errorText(failure)] : undefined };
    ctx.io.stdout.write(format === "json" ? `${JSON.stringify(data)}\n` : `${(await import("../../format/go-template.js")).parseTemplate(format).execute(data)}\n`);
  } else {
    let out = `Client:\n Version:    ${clientInfo.Version}\n Context:    default\n Debug Mode: ${ctx.debug}\n`;
    if (info) out += `\nServer:\n${renderServerInfo(info)}\n`;
    ctx.io.stdout.write(out);
    for (const w of (info?.Warnings as string[] | null) ?? []) ctx.io.stderr.write(`${w}\n`);
  }
  if (failure) throw new StatusError(1, `\nServer:\nERROR: ${errorText(failure)}\nerrors pretty printing info`);
}
