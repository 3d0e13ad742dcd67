import type { SpecInput } from "../../runtime/spec/index.js";
import { detectHostInfo } from "../../runtime/host-info.js";
import type { ContainerExtension } from "../containers/extensions.js";
import type { ContainerRecord } from "../containers/types.js";
import { cgroupSupport } from "./cgroup-paths.js";
import type { OomWatcher } from "./oom-watcher.js";
import { toOciDevices, toOciResources, type DockerResources } from "./resource-spec.js";
import { validateResources } from "./validate.js";

/**
 * Cgroup limits for containers: validated and normalised at create, put in
 * the OCI spec at each start; OOM kills marked on the exit (State.OOMKilled).
 */
export class ResourceExtension implements ContainerExtension {
  readonly name = "resources";

  constructor(private readonly oom: OomWatcher) {}

  async create(c: ContainerRecord, warnings: string[]): Promise<void> {
    const host = await detectHostInfo();
    const r = c.hostConfig as DockerResources;
    validateResources(r, host, cgroupSupport(host.cgroupVersion), warnings);
    toOciDevices(r); // fails create, as dockerd does, for a --device that does not exist
  }

  async prepare(c: ContainerRecord, input: SpecInput): Promise<void> {
    const host = await detectHostInfo();
    const r = c.hostConfig as DockerResources;
    const resources = toOciResources(r, cgroupSupport(host.cgroupVersion));
    const { nodes, rules } = toOciDevices(r);
    if (rules.length) resources.devices = rules;
    input.resources = { ...(input.resources ?? {}), ...resources };
    if (nodes.length) input.devices = [...(input.devices ?? []), ...nodes];
    this.oom.reset(c.id);
  }

  async exiting(c: ContainerRecord, exit: { exitCode: number }): Promise<void> {
    // An OOM kill ends the process with SIGKILL; the kernel's line may trail the exit a little.
    // Only worth waiting for when a memory limit could have been hit and nobody killed it on purpose.
    // Decided before the container shows as exited, so an inspect after the exit sees OOMKilled (as dockerd).
    const maybe = exit.exitCode === 137 && !!(c.hostConfig as DockerResources).Memory && !c.state.stoppedByUser;
    if (await this.oom.wasKilled(c.id, maybe ? 300 : 0)) c.state.oomKilled = true;
  }
}
