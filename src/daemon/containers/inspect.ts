import type { ContainerRecord } from "./types.js";
import { etcFilePaths } from "./etc-files.js";

export interface InspectPaths {
  containerDir: string;
  logPath: string;
  graph?: { lowerDirs: string[]; upperDir: string; workDir: string; mergedDir: string };
}

/** GET /containers/{id}/json, Docker's ContainerInspectResponse shape. */
export function inspectContainer(c: ContainerRecord, p: InspectPaths, sizes?: { rw: number; rootFs: number }): Record<string, unknown> {
  const st = c.state;
  const etc = etcFilePaths(p.containerDir);
  const hc = { ...c.hostConfig };
  // dockerd shows null where nothing is recorded (a privileged container's path lists).
  hc.MaskedPaths ??= null;
  hc.ReadonlyPaths ??= null;
  const out: Record<string, unknown> = {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: {
      Status: st.status,
      Running: st.status === "running" || st.status === "paused" || st.status === "restarting",
      Paused: st.status === "paused",
      Restarting: st.status === "restarting",
      OOMKilled: st.oomKilled,
      Dead: st.status === "dead",
      Pid: st.pid,
      ExitCode: st.exitCode,
      Error: st.error,
      StartedAt: st.startedAt,
      FinishedAt: st.finishedAt,
    },
    Image: c.imageId,
    ResolvConfPath: etc.resolvConf,
    HostnamePath: etc.hostname,
    HostsPath: etc.hosts,
    LogPath: p.logPath,
    Name: c.name,
    RestartCount: c.restartCount,
    Driver: "overlay2",
    Platform: "linux",
    MountLabel: "",
    ProcessLabel: "",
    AppArmorProfile: "",
    ExecIDs: null,
    HostConfig: hc,
    GraphDriver: {
      Name: "overlay2",
      Data: p.graph
        ? {
            LowerDir: p.graph.lowerDirs.join(":"),
            MergedDir: p.graph.mergedDir,
            UpperDir: p.graph.upperDir,
            WorkDir: p.graph.workDir,
          }
        : null,
    },
    Mounts: [],
    Config: { ...c.config, Hostname: c.config.Hostname ?? "", Domainname: c.config.Domainname ?? "" },
    NetworkSettings: {
      Bridge: "",
      SandboxID: "",
      SandboxKey: st.pid ? `/proc/${st.pid}/ns/net` : "",
      Ports: {},
      HairpinMode: false,
      LinkLocalIPv6Address: "",
      LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: "",
      Gateway: "",
      GlobalIPv6Address: "",
      GlobalIPv6PrefixLen: 0,
      IPAddress: "",
      IPPrefixLen: 0,
      IPv6Gateway: "",
      MacAddress: "",
      Networks: {},
    },
  };
  if (sizes) {
    out.SizeRw = sizes.rw;
    out.SizeRootFs = sizes.rootFs;
  }
  return out;
}

