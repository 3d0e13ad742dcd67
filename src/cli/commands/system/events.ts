import type { CliContext, CommandModule } from "../../context.js";
import { list, str, type ParsedFlags } from "../../flags.js";
import { parseTemplate } from "../../format/go-template.js";
import { parseFilterFlags } from "../shared/filter-flag.js";
import { parseGoDuration } from "../../../lib/filters.js";

/** `wharf events`: stream engine events, docker's line format or --format. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS]",
  short: "Get real time events from the server",
  aliases: ["system events", "events"],
  args: { max: 0 },
  flags: [
    { long: "filter", short: "f", kind: "list", typeName: "filter", usage: "Filter output based on conditions provided" },
    { long: "format", kind: "string", usage: "Format output using a custom template" },
    { long: "since", kind: "string", usage: "Show all events created since timestamp" },
    { long: "until", kind: "string", usage: "Stream events until this timestamp" },
  ],
};

interface EventMessage {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** docker's rfc3339NanoFixed in local time: 2006-01-02T15:04:05.000000000Z07:00 */
function formatTime(nanos: bigint): string {
  const ms = Number(nanos / 1_000_000n);
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const local = new Date(ms + off * 60_000);
  const base = local.toISOString().slice(0, 19);
  const frac = (nanos % 1_000_000_000n).toString().padStart(9, "0");
  const zone = off === 0 ? "Z" : `${off > 0 ? "+" : "-"}${String(Math.floor(Math.abs(off) / 60)).padStart(2, "0")}:${String(Math.abs(off) % 60).padStart(2, "0")}`;
  return `${base}.${frac}${zone}`;
}

export function prettyEvent(e: EventMessage, exactNanos?: string): string {
  let line = "";
  if (exactNanos && exactNanos !== "0") line += formatTime(BigInt(exactNanos)) + " ";
  else if (e.timeNano) line += formatTime(BigInt(e.timeNano)) + " ";
  else if (e.time) line += formatTime(BigInt(e.time) * 1_000_000_000n) + " ";
  line += `${e.Type} ${e.Action} ${e.Actor.ID}`;
  const attrs = e.Actor.Attributes ?? {};
  const keys = Object.keys(attrs).sort();
  if (keys.length) line += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(", ")})`;
  return line + "\n";
}

/** Relative durations ("10m") become absolute unix timestamps, as the docker CLI sends them. */
function timestamp(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const dur = parseGoDuration(v);
  return dur === undefined ? v : ((Date.now() - dur) / 1000).toFixed(9);
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const client = await ctx.client();
  const format = str(p, "format");
  const tmpl = format ? parseTemplate(format === "json" ? "{{json .}}" : format) : undefined;
  const res = await client.events({ since: timestamp(str(p, "since")), until: timestamp(str(p, "until")), filters: parseFilterFlags(list(p, "filter")) });
  let pending = "";
  await new Promise<void>((resolve, reject) => {
    res.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) {
        if (!l.trim()) continue;
        const ev = JSON.parse(l) as EventMessage;
        // timeNano exceeds 2^53: take its exact digits from the text, as Go's int64 decoding does.
        const nanos = /"timeNano":(\d+)/.exec(l)?.[1];
        ctx.io.stdout.write(tmpl ? tmpl.execute(ev) + "\n" : prettyEvent(ev, nanos));
      }
    });
    res.on("end", () => resolve());
    res.on("error", reject);
  });
}
