import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CLIENT_API_VERSION } from "../../../client/engine-client.js";
import type { VersionResponse } from "../../../client/types.js";
import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { errorText } from "../../exit-codes.js";
import { str, type ParsedFlags } from "../../flags.js";
import { cliVersion } from "../../build-info.js";

/** `wharf version`: docker's Client/Server layout (tabwriter, min width 20). */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Show the Docker version information",
  aliases: [],
  args: { exact: 0 },
  flags: [{ long: "format", short: "f", kind: "string", usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates" }],
};

/** Go's time.ANSIC layout: "Mon Jan _2 15:04:05 2006". */
export function ansic(d: Date): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}

/** docker shows the server's RFC 3339 build time in ANSIC form. */
function ansicIfTime(v: string): string {
  const t = Date.parse(v);
  return /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(t) ? ansic(new Date(t)) : v;
}

function cell(indent: string, key: string, value: string): string {
  const left = `${indent}${key}:`;
  return `${left}${" ".repeat(Math.max(1, 20 - left.length))}${value}`;
}

function arch(): string {
  return process.arch === "x64" ? "amd64" : process.arch;
}

function clientInfo(apiVersion: string, context: string) {
  let built = "";
  try {
    built = ansic(statSync(fileURLToPath(import.meta.url)).mtime);
  } catch {
    built = "";
  }
  return {
    Platform: { Name: "" },
    Version: cliVersion(),
    ApiVersion: apiVersion,
    DefaultAPIVersion: CLIENT_API_VERSION,
    GoVersion: process.version,
    GitCommit: "unknown",
    BuildTime: built,
    Os: process.platform,
    Arch: arch(),
    Context: context,
  };
}

export function renderVersion(client: ReturnType<typeof clientInfo>, server: VersionResponse | undefined): string {
  const api = client.ApiVersion === client.DefaultAPIVersion ? client.ApiVersion : `${client.ApiVersion} (downgraded from ${client.DefaultAPIVersion})`;
  const lines = [
    "Client:",
    cell(" ", "Version", client.Version),
    cell(" ", "API version", api),
    cell(" ", "Go version", client.GoVersion),
    cell(" ", "Git commit", client.GitCommit),
    cell(" ", "Built", client.BuildTime),
    cell(" ", "OS/Arch", `${client.Os}/${client.Arch}`),
    cell(" ", "Context", client.Context),
  ];
  if (server) {
    lines.push("", `Server:${server.Platform?.Name ? ` ${server.Platform.Name}` : ""}`);
    const components = server.Components?.length
      ? server.Components
      : [{ Name: "Engine", Version: server.Version, Details: {} as Record<string, string> }];
    for (const comp of components) {
      lines.push(` ${comp.Name}:`);
      if (comp.Name === "Engine") {
        const d = comp.Details ?? {};
        const v = (k: keyof VersionResponse, dk: string) => String(d[dk] ?? server[k] ?? "");
        lines.push(
          cell("  ", "Version", comp.Version || server.Version),
          cell("  ", "API version", `${v("ApiVersion", "ApiVersion")} (minimum version ${v("MinAPIVersion", "MinAPIVersion")})`),
          cell("  ", "Go version", v("GoVersion", "GoVersion")),
          cell("  ", "Git commit", v("GitCommit", "GitCommit")),
          cell("  ", "Built", ansicIfTime(v("BuildTime", "BuildTime"))),
          cell("  ", "OS/Arch", `${v("Os", "Os")}/${v("Arch", "Arch")}`),
          cell("  ", "Experimental", String(d.Experimental ?? server.Experimental ?? false)),
        );
      } else {
        lines.push(cell("  ", "Version", comp.Version));
        for (const key of Object.keys(comp.Details ?? {}).sort()) lines.push(cell("  ", key, String(comp.Details?.[key] ?? "")));
      }
    }
  }
  return lines.join("\n") + "\n";
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  let server: VersionResponse | undefined;
  let apiVersion = CLIENT_API_VERSION;
  let failure: unknown;
  try {
    const client = await ctx.client();
    apiVersion = await client.apiVersion();
    server = await client.version();
  } catch (err) {
    failure = err;
  }
  let context = "default";
  try {
    context = ctx.endpoint().contextName;
  } catch {
    /* the connection error is reported below */
  }
  const info = clientInfo(apiVersion, context);
  const format = str(p, "format");
  if (format) {
    const data = { Client: info, Server: server ?? null };
    ctx.io.stdout.write(format === "json" ? `${JSON.stringify(data)}\n` : `${(await import("../../format/go-template.js")).parseTemplate(format).execute(data)}\n`);
  } else {
    ctx.io.stdout.write(renderVersion(info, server));
  }
  if (failure) throw new StatusError(1, errorText(failure));
}
