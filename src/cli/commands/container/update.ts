import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { int, str, type ParsedFlags } from "../../flags.js";
import { forEachName } from "../shared/each.js";
import { parseBytes, parseRestart } from "./create-parsers.js";

/** `wharf update`: change the resource limits (and restart policy) of one or more containers. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER [CONTAINER...]",
  short: "Update configuration of one or more containers",
  aliases: ["container update", "update"],
  args: { min: 1 },
  flags: [
    { long: "blkio-weight", kind: "int", usage: "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)" },
    { long: "cpu-period", kind: "int", usage: "Limit CPU CFS (Completely Fair Scheduler) period" },
    { long: "cpu-quota", kind: "int", usage: "Limit CPU CFS (Completely Fair Scheduler) quota" },
    { long: "cpu-rt-period", kind: "int", usage: "Limit the CPU real-time period in microseconds" },
    { long: "cpu-rt-runtime", kind: "int", usage: "Limit the CPU real-time runtime in microseconds" },
    { long: "cpu-shares", short: "c", kind: "int", usage: "CPU shares (relative weight)" },
    { long: "cpus", kind: "string", typeName: "decimal", usage: "Number of CPUs" },
    { long: "cpuset-cpus", kind: "string", usage: "CPUs in which to allow execution (0-3, 0,1)" },
    { long: "cpuset-mems", kind: "string", usage: "MEMs in which to allow execution (0-3, 0,1)" },
    { long: "memory", short: "m", kind: "string", typeName: "bytes", usage: "Memory limit" },
    { long: "memory-reservation", kind: "string", typeName: "bytes", usage: "Memory soft limit" },
    { long: "memory-swap", kind: "string", typeName: "bytes", usage: "Swap limit equal to memory plus swap: -1 to enable unlimited swap" },
    { long: "pids-limit", kind: "int", usage: "Tune container pids limit (set -1 for unlimited)" },
    { long: "restart", kind: "string", usage: "Restart policy to apply when a container exits" },
  ],
};

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const bytes = (flag: string, label: string) => (str(p, flag) ? parseBytes(str(p, flag), label) : 0);
  const body: Record<string, unknown> = {
    BlkioWeight: int(p, "blkio-weight"),
    CpuPeriod: int(p, "cpu-period"),
    CpuQuota: int(p, "cpu-quota"),
    CpuRealtimePeriod: int(p, "cpu-rt-period"),
    CpuRealtimeRuntime: int(p, "cpu-rt-runtime"),
    CpuShares: int(p, "cpu-shares"),
    NanoCpus: str(p, "cpus") ? Math.round(parseFloat(str(p, "cpus")) * 1e9) : 0,
    CpusetCpus: str(p, "cpuset-cpus"),
    CpusetMems: str(p, "cpuset-mems"),
    Memory: bytes("memory", "-m, --memory"),
    MemoryReservation: bytes("memory-reservation", "--memory-reservation"),
    MemorySwap: str(p, "memory-swap") === "-1" ? -1 : bytes("memory-swap", "--memory-swap"),
    PidsLimit: p.changed.has("pids-limit") ? int(p, "pids-limit") : undefined,
  };
  if (str(p, "restart")) body.RestartPolicy = parseRestart(str(p, "restart"));
  const changed = [...p.changed].filter((f) => f !== "help");
  if (changed.length === 0) throw new StatusError(1, "you must provide one or more flags when using this command");
  const client = await ctx.client();
  const warnings: string[] = [];
  await forEachName(ctx, p.args, async (name) => {
    const res = await client.containerUpdate(name, body);
    warnings.push(...(res.Warnings ?? []));
  });
  for (const w of warnings) ctx.io.stderr.write(`${w}\n`);
}
