import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { InvalidArgumentError, WharfError } from "../../lib/errors.js";
import { detectHostInfo } from "../../runtime/host-info.js";
import type { ContainerService } from "../containers/container-service.js";
import { stateDir } from "../containers/start.js";
import { isRunning } from "../containers/state.js";
import type { RestartPolicy } from "../containers/types.js";
import { cgroupFile, cgroupSupport } from "./cgroup-paths.js";
import { toOciResources, type DockerResources } from "./resource-spec.js";
import { validateResources } from "./validate.js";
import { validateRestartPolicy } from "../containers/validate-config.js";

const run = promisify(execFile);

/** Resource fields `docker update` may change; zero means "leave as is", like dockerd. */
const UPDATABLE: (keyof DockerResources)[] = [
  "Memory", "MemoryReservation", "MemorySwap", "CpuShares", "CpuPeriod", "CpuQuota", "NanoCpus", "CpusetCpus", "CpusetMems",
  "CpuRealtimePeriod", "CpuRealtimeRuntime", "PidsLimit", "BlkioWeight",
];

/** `POST /containers/{id}/update`: new limits on the record, applied live through the runtime's `update`. */
export class ResourceUpdater {
  constructor(private readonly svc: ContainerService) {}

  async update(ref: string, body: DockerResources & { RestartPolicy?: RestartPolicy }): Promise<{ Warnings: string[] }> {
    const c = this.svc.get(ref);
    const hc = c.hostConfig as DockerResources & typeof c.hostConfig;
    const warnings: string[] = [];
    const next: DockerResources & { RestartPolicy?: RestartPolicy } = { ...hc };
    for (const k of UPDATABLE) {
      const v = body[k];
      if (v === undefined || v === null || v === 0 || v === "") continue;
      (next as Record<string, unknown>)[k] = v;
    }
    if (body.Memory && !body.MemorySwap && (hc.MemorySwap ?? 0) > 0 && body.Memory > (hc.MemorySwap ?? 0)) {
      throw new InvalidArgumentError(`Cannot update container ${c.id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time`);
    }
    if (body.NanoCpus) (next.CpuPeriod = 0), (next.CpuQuota = 0);
    if (body.CpuQuota || body.CpuPeriod) next.NanoCpus = 0;
    const host = await detectHostInfo();
    const support = cgroupSupport(host.cgroupVersion);
    try {
      validateResources(next, host, support, warnings, true);
    } catch (err) {
      throw new InvalidArgumentError(`Cannot update container ${c.id}: ${(err as Error).message}`);
    }
    // PidsLimit is a pointer in dockerd: set (0 or negative: unlimited, shown as 0) or left alone.
    if (typeof body.PidsLimit === "number") next.PidsLimit = body.PidsLimit > 0 ? body.PidsLimit : 0;
    if (body.RestartPolicy?.Name) {
      validateRestartPolicy(body.RestartPolicy);
      if (c.hostConfig.AutoRemove && body.RestartPolicy.Name !== "no") {
        throw new InvalidArgumentError("Restart policy cannot be updated because AutoRemove is enabled for the container");
      }
      // RestartCount is kept: the new MaximumRetryCount counts the restarts already made.
      next.RestartPolicy = { Name: body.RestartPolicy.Name, MaximumRetryCount: body.RestartPolicy.MaximumRetryCount ?? 0 };
    }
    const live = toOciResources(next, support);
    // PidsLimit 0 is "unlimited" in the record. The runtimes skip a limit of 0 and crun
    // writes -1 literally (EINVAL), so an existing limit is lifted by writing "max" ourselves.
    const liftPids = typeof body.PidsLimit === "number" && body.PidsLimit <= 0;
    if (liftPids) delete live.pids;
    // CpuQuota -1 lifts the quota: the runtimes refuse to write -1 (ERANGE), so it is written here.
    const liftQuota = typeof body.CpuQuota === "number" && body.CpuQuota < 0 && !body.NanoCpus;
    // Only a live process has runtime state to update (a "restarting" container between runs has none).
    if (isRunning(c.state.status) && c.state.pid > 0) {
      await this.applyLive(c.id, c.runtime, live);
      if (liftPids) await this.liftPidsLimit(c.id, host.cgroupVersion);
      if (liftQuota) await this.liftCpuQuota(c.id, host.cgroupVersion);
    }
    Object.assign(c.hostConfig, next);
    await this.svc.deps.store.save(c);
    this.svc.deps.events.publish("container", "update", c.id, { ...(c.config.Labels ?? {}), image: c.image, name: c.name.slice(1) });
    return { Warnings: warnings };
  }

  private async liftPidsLimit(id: string, version: 1 | 2): Promise<void> {
    const file = cgroupFile(version, "pids", `${this.svc.deps.cgroupParent.replace(/\/$/, "")}/${id}`, "pids.max");
    await fs.writeFile(file, "max").catch((err: Error) => {
      throw new WharfError(`Cannot update container ${id}: writing file \`pids.max\`: ${err.message}`);
    });
  }

  private async liftCpuQuota(id: string, version: 1 | 2): Promise<void> {
    const rel = `${this.svc.deps.cgroupParent.replace(/\/$/, "")}/${id}`;
    const [file, value] = version === 2 ? [cgroupFile(2, "cpu", rel, "cpu.max"), "max"] : [cgroupFile(1, "cpu", rel, "cpu.cfs_quota_us"), "-1"];
    await fs.writeFile(file, value).catch((err: Error) => {
      throw new WharfError(`Cannot update container ${id}: writing file \`${path.basename(file)}\`: ${err.message}`);
    });
  }

  private async applyLive(id: string, runtimeName: string, resources: object): Promise<void> {
    const deps = this.svc.deps;
    const rt = deps.runtimes[runtimeName] ?? deps.runtimes[deps.defaultRuntime];
    const file = path.join(stateDir(deps, id), "update-resources.json");
    await fs.writeFile(file, JSON.stringify(resources));
    try {
      await run(rt.path, ["--root", path.join(deps.execRoot, "runtime-" + rt.name), "update", "--resources", file, id]);
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new WharfError(`Cannot update container ${id}: ${(e.stderr || e.message).trim()}`);
    } finally {
      await fs.rm(file, { force: true });
    }
  }
}
