import os from "node:os";
import { promises as fs } from "node:fs";
import type { SystemBackend } from "../../api/routes/system/backend.js";
import { API_VERSION, MIN_API_VERSION } from "../../api/version.js";
import type { EventBus } from "../events/event-bus.js";
import type { DaemonConfig } from "../config.js";
import { LOG_DRIVERS } from "../../logging/log-config.js";
import type { ContainerStore } from "../containers/container-store.js";
import { detectHostInfo } from "../../runtime/host-info.js";
import type { RuntimeChoice } from "../containers/deps.js";

export const WHARF_VERSION = "0.1.0";

export interface SystemDeps {
  config: DaemonConfig;
  events: EventBus;
  containers: ContainerStore;
  imageCount: () => Promise<number>;
  runtimes: Record<string, RuntimeChoice>;
  defaultRuntime: string;
  daemonId: string;
  /** Listed by `docker info` (dockerd's API exposure notices). */
  warnings?: string[];
  /** /info's Swarm section (inactive when the node is in no swarm). */
  swarmInfo?: () => Promise<Record<string, unknown>>;
}

/** /version and /info in Docker's shapes. */
export class SystemService implements SystemBackend {
  constructor(private readonly d: SystemDeps) {}

  async version(): Promise<Record<string, unknown>> {
    const base = {
      Version: WHARF_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      GitCommit: process.env.WHARF_GIT_COMMIT ?? "unknown",
      GoVersion: `node${process.versions.node}`,
      Os: "linux",
      Arch: goArch(),
      KernelVersion: os.release(),
      BuildTime: "",
    };
    return {
      Platform: { Name: "wharf" },
      Components: [
        { Name: "Engine", Version: WHARF_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: base.GitCommit, GoVersion: base.GoVersion, Os: "linux", Arch: base.Arch, KernelVersion: base.KernelVersion, Experimental: "false", BuildTime: "" } },
        ...Object.values(this.d.runtimes).map((r) => ({ Name: r.name, Version: "", Details: { Path: r.path } })),
      ],
      ...base,
    };
  }

  async info(): Promise<Record<string, unknown>> {
    const host = await detectHostInfo();
    const all = this.d.containers.all();
    const count = (s: string[]) => all.filter((c) => s.includes(c.state.status)).length;
    const osRelease = await fs.readFile("/etc/os-release", "utf8").catch(() => "");
    const prettyName = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? "Linux";
    const osVersion = /^VERSION_ID="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? "";
    const runtimes: Record<string, { path: string }> = {};
    for (const r of Object.values(this.d.runtimes)) runtimes[r.name] = { path: r.path };
    return {
      ID: this.d.daemonId,
      Containers: all.length,
      ContainersRunning: count(["running", "restarting"]),
      ContainersPaused: count(["paused"]),
      ContainersStopped: count(["created", "exited", "dead", "removing"]),
      Images: await this.d.imageCount(),
      Driver: "overlay2",
      DriverStatus: [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Using metacopy", "false"], ["Native Overlay Diff", "true"], ["userxattr", "false"]],
      Plugins: { Volume: ["local"], Network: ["bridge", "host", "null"], Authorization: null, Log: LOG_DRIVERS.filter((d) => d !== "none").sort() },
      MemoryLimit: true,
      SwapLimit: true,
      KernelMemoryTCP: false,
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: true,
      PidsLimit: true,
      IPv4Forwarding: true,
      Debug: this.d.config.debug,
      NFd: await fs.readdir("/proc/self/fd").then((f) => f.length, () => 0),
      OomKillDisable: host.cgroupVersion === 1,
      NGoroutines: 0,
      SystemTime: new Date().toISOString(),
      LoggingDriver: this.d.config.logDriver,
      CgroupDriver: "cgroupfs",
      CgroupVersion: String(host.cgroupVersion),
      NEventsListener: 0,
      KernelVersion: os.release(),
      OperatingSystem: prettyName,
      OSVersion: osVersion,
      OSType: "linux",
      Architecture: os.machine(),
      IndexServerAddress: "https://index.docker.io/v1/",
      RegistryConfig: {
        AllowNondistributableArtifactsCIDRs: null,
        AllowNondistributableArtifactsHostnames: null,
        InsecureRegistryCIDRs: ["127.0.0.0/8", "::1/128"],
        IndexConfigs: { "docker.io": { Name: "docker.io", Mirrors: this.d.config.registryMirrors, Secure: true, Official: true } },
        Mirrors: this.d.config.registryMirrors,
      },
      NCPU: host.ncpu,
      MemTotal: host.memTotal,
      GenericResources: null,
      DockerRootDir: this.d.config.dataRoot,
      HttpProxy: process.env.HTTP_PROXY ?? "",
      HttpsProxy: process.env.HTTPS_PROXY ?? "",
      NoProxy: process.env.NO_PROXY ?? "",
      Name: os.hostname(),
      Labels: this.d.config.labels,
      ExperimentalBuild: this.d.config.experimental,
      ServerVersion: WHARF_VERSION,
      Runtimes: runtimes,
      DefaultRuntime: this.d.defaultRuntime,
      Swarm: this.d.swarmInfo ? await this.d.swarmInfo() : { NodeID: "", NodeAddr: "", LocalNodeState: "inactive", ControlAvailable: false, Error: "", RemoteManagers: null },
      LiveRestoreEnabled: this.d.config.liveRestore,
      Isolation: "",
      InitBinary: "docker-init",
      ContainerdCommit: { ID: "" },
      RuncCommit: { ID: "" },
      InitCommit: { ID: "" },
      SecurityOptions: ["name=seccomp,profile=builtin", ...(host.cgroupVersion === 2 ? ["name=cgroupns"] : [])],
      Warnings: this.d.warnings?.length ? this.d.warnings : null,
      CDISpecDirs: [],
      Containerd: null,
    };
  }

  eventHistory(sinceMs: number) {
    return this.d.events.history(sinceMs);
  }

  subscribe(listener: Parameters<EventBus["subscribe"]>[0]) {
    return this.d.events.subscribe(listener);
  }
}

function goArch(): string {
  const a = os.arch();
  return a === "x64" ? "amd64" : a === "ia32" ? "386" : a;
}
