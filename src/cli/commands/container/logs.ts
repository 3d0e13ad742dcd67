import { copyRaw, demuxStream } from "../../../client/stdcopy.js";
import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";

/** `wharf logs`: print (and with -f follow) a container's output, stdout/stderr kept apart. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER",
  short: "Fetch the logs of a container",
  aliases: ["container logs", "logs"],
  args: { exact: 1 },
  flags: [
    { long: "details", kind: "bool", usage: "Show extra details provided to logs" },
    { long: "follow", short: "f", kind: "bool", usage: "Follow log output" },
    { long: "since", kind: "string", usage: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { long: "tail", short: "n", kind: "string", default: "all", usage: "Number of lines to show from the end of the logs" },
    { long: "timestamps", short: "t", kind: "bool", usage: "Show timestamps" },
    { long: "until", kind: "string", usage: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
};

/** docker sends since/until as unix seconds; relative durations are resolved client-side. */
export function toApiTimestamp(value: string, now = Date.now()): string | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const dur = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(value) ? parseDur(value) : undefined;
  const ms = dur !== undefined ? now - dur : Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return (ms / 1000).toFixed(9).replace(/\.?0+$/, "");
}

function parseDur(v: string): number {
  let total = 0;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)) total += parseFloat(m[1]) * unit[m[2]];
  return total;
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const c = (await client.containerInspect(p.args[0])) as { Config?: { Tty?: boolean } };
  const res = await client.containerLogs(p.args[0], {
    stdout: true,
    stderr: true,
    follow: bool(p, "follow"),
    since: toApiTimestamp(str(p, "since")),
    until: toApiTimestamp(str(p, "until")),
    timestamps: bool(p, "timestamps"),
    tail: str(p, "tail") || "all",
    details: bool(p, "details"),
  });
  if (c.Config?.Tty) await copyRaw(res, (b) => ctx.io.stdout.write(b));
  else await demuxStream(res, { stdout: (b) => ctx.io.stdout.write(b), stderr: (b) => ctx.io.stderr.write(b) });
}
