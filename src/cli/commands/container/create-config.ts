import type { ContainerCreateBody } from "../../../client/types.js";
import { StatusError } from "../../context.js";
import { bool, int, list, str, type ParsedFlags } from "../../flags.js";
import {
  expandEnv, keyValueMap, parseBytes, parseDurationNs, parseMount, parsePorts, parseRestart, parseUlimit, readKeyValueFile,
} from "./create-parsers.js";

/**
 * `run`/`create` flags → the `POST /containers/create` request, following
 * docker's parse(): env files before -e, label files before -l, attach
 * defaults (stdout+stderr unless -d), and the HostConfig pieces.
 */
export interface CreateRequest {
  image: string;
  name?: string;
  platform?: string;
  pull: "always" | "missing" | "never";
  body: ContainerCreateBody;
}

export function buildCreateRequest(p: ParsedFlags, detach: boolean): CreateRequest {
  const [image, ...cmd] = p.args;
  const pull = str(p, "pull") || "missing";
  if (pull !== "always" && pull !== "missing" && pull !== "never") {
    throw new StatusError(125, `invalid pull option: '${pull}': must be one of "always", "missing" or "never"`);
  }
  const stdin = bool(p, "interactive");
  const attach = list(p, "attach").map((a) => a.toLowerCase());
  for (const a of attach) {
    if (!["stdin", "stdout", "stderr"].includes(a)) throw new StatusError(125, `invalid argument "${a}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`);
  }
  if (detach && attach.length > 0) throw new StatusError(125, "Conflicting options: -a and -d");
  const attachStdin = !detach && (attach.length > 0 ? attach.includes("stdin") : stdin);
  const attachStdout = !detach && (attach.length > 0 ? attach.includes("stdout") : true);
  const attachStderr = !detach && (attach.length > 0 ? attach.includes("stderr") : true);

  const env = [...list(p, "env-file").flatMap((f) => readKeyValueFile(f, true)), ...list(p, "env").map(expandEnv)];
  const labels = keyValueMap([...list(p, "label-file").flatMap((f) => readKeyValueFile(f, false)), ...list(p, "label")]);
  const ports = parsePorts(list(p, "publish"), list(p, "expose"));
  const restart = parseRestart(str(p, "restart") || "no");
  if (bool(p, "rm") && restart.Name !== "no") throw new StatusError(125, "conflicting options: cannot specify both --restart and --rm");

  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const v of list(p, "volume")) {
    if (v.includes(":")) binds.push(v);
    else volumes[v] = {};
  }
  const tmpfs: Record<string, string> = {};
  for (const t of list(p, "tmpfs")) {
    const colon = t.indexOf(":");
    if (colon < 0) tmpfs[t] = "";
    else tmpfs[t.slice(0, colon)] = t.slice(colon + 1);
  }
  const network = str(p, "network") || str(p, "net") || "default";

  const hostConfig: Record<string, unknown> = {
    Binds: binds.length ? binds : null,
    NetworkMode: network,
    PortBindings: ports.bindings,
    RestartPolicy: restart,
    AutoRemove: bool(p, "rm"),
    VolumesFrom: list(p, "volumes-from").length ? list(p, "volumes-from") : null,
    CapAdd: list(p, "cap-add").length ? list(p, "cap-add") : null,
    CapDrop: list(p, "cap-drop").length ? list(p, "cap-drop") : null,
    Dns: list(p, "dns"),
    DnsOptions: list(p, "dns-option"),
    DnsSearch: list(p, "dns-search"),
    ExtraHosts: list(p, "add-host").length ? list(p, "add-host").map((h) => h.replace("=", ":")) : null,
    GroupAdd: list(p, "group-add").length ? list(p, "group-add") : null,
    IpcMode: str(p, "ipc"),
    Cgroup: "",
    CgroupnsMode: str(p, "cgroupns") || undefined,
    Links: list(p, "link").length ? list(p, "link") : null,
    OomScoreAdj: int(p, "oom-score-adj"),
    PidMode: str(p, "pid"),
    Privileged: bool(p, "privileged"),
    PublishAllPorts: bool(p, "publish-all"),
    ReadonlyRootfs: bool(p, "read-only"),
    // docker's CLI turns "systempaths=unconfined" into empty masked and read-only path lists.
    SecurityOpt: securityOpts(p).length ? securityOpts(p) : null,
    ...(list(p, "security-opt").includes("systempaths=unconfined") ? { MaskedPaths: [], ReadonlyPaths: [] } : {}),
    UTSMode: str(p, "uts"),
    UsernsMode: str(p, "userns"),
    ShmSize: str(p, "shm-size") ? parseBytes(str(p, "shm-size"), "--shm-size") : 0,
    LogConfig: { Type: str(p, "log-driver"), Config: keyValueMap(list(p, "log-opt")) },
    CgroupParent: str(p, "cgroup-parent"),
    CpuShares: int(p, "cpu-shares"),
    CpuPeriod: int(p, "cpu-period"),
    CpuQuota: int(p, "cpu-quota"),
    CpusetCpus: str(p, "cpuset-cpus"),
    CpusetMems: str(p, "cpuset-mems"),
    NanoCpus: str(p, "cpus") ? Math.round(parseFloat(str(p, "cpus")) * 1e9) : 0,
    Memory: str(p, "memory") ? parseBytes(str(p, "memory"), "-m, --memory") : 0,
    MemoryReservation: str(p, "memory-reservation") ? parseBytes(str(p, "memory-reservation"), "--memory-reservation") : 0,
    MemorySwap: str(p, "memory-swap") === "-1" ? -1 : str(p, "memory-swap") ? parseBytes(str(p, "memory-swap"), "--memory-swap") : 0,
    OomKillDisable: bool(p, "oom-kill-disable"),
    PidsLimit: p.changed.has("pids-limit") ? int(p, "pids-limit") : null,
    MemorySwappiness: p.changed.has("memory-swappiness") ? int(p, "memory-swappiness") : null,
    CpuRealtimePeriod: int(p, "cpu-rt-period"),
    CpuRealtimeRuntime: int(p, "cpu-rt-runtime"),
    BlkioWeight: int(p, "blkio-weight"),
    BlkioWeightDevice: list(p, "blkio-weight-device").map((s) => deviceValue(s, "--blkio-weight-device", false)).map(({ Path, Rate }) => ({ Path, Weight: Rate })),
    BlkioDeviceReadBps: list(p, "device-read-bps").map((s) => deviceValue(s, "--device-read-bps", true)),
    BlkioDeviceWriteBps: list(p, "device-write-bps").map((s) => deviceValue(s, "--device-write-bps", true)),
    BlkioDeviceReadIOps: list(p, "device-read-iops").map((s) => deviceValue(s, "--device-read-iops", false)),
    BlkioDeviceWriteIOps: list(p, "device-write-iops").map((s) => deviceValue(s, "--device-write-iops", false)),
    DeviceCgroupRules: list(p, "device-cgroup-rule").length ? list(p, "device-cgroup-rule") : null,
    Ulimits: list(p, "ulimit").map(parseUlimit),
    Devices: list(p, "device").map(parseDevice),
    Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    Mounts: list(p, "mount").length ? list(p, "mount").map(parseMount) : undefined,
    Sysctls: list(p, "sysctl").length ? keyValueMap(list(p, "sysctl")) : undefined,
    Annotations: list(p, "annotation").length ? keyValueMap(list(p, "annotation")) : undefined,
    Runtime: str(p, "runtime") || undefined,
    Init: p.changed.has("init") ? bool(p, "init") : undefined,
  };

  const body: ContainerCreateBody = {
    Hostname: str(p, "hostname"),
    Domainname: str(p, "domainname"),
    User: str(p, "user"),
    AttachStdin: attachStdin,
    AttachStdout: attachStdout,
    AttachStderr: attachStderr,
    ExposedPorts: Object.keys(ports.exposed).length ? ports.exposed : undefined,
    Tty: bool(p, "tty"),
    OpenStdin: stdin,
    StdinOnce: stdin && attachStdin,
    Env: env,
    Cmd: cmd.length ? cmd : null,
    Image: image,
    Volumes: Object.keys(volumes).length ? volumes : undefined,
    WorkingDir: str(p, "workdir"),
    Entrypoint: p.changed.has("entrypoint") ? [str(p, "entrypoint")] : null,
    Labels: labels,
    StopSignal: str(p, "stop-signal") || undefined,
    StopTimeout: p.changed.has("stop-timeout") ? int(p, "stop-timeout") : undefined,
    MacAddress: str(p, "mac-address") || undefined,
    Healthcheck: healthcheck(p),
    HostConfig: hostConfig,
    NetworkingConfig: networkingConfig(p, network),
  };
  return { image, name: str(p, "name") || undefined, platform: str(p, "platform") || undefined, pull, body };
}

function healthcheck(p: ParsedFlags): Record<string, unknown> | undefined {
  if (bool(p, "no-healthcheck")) {
    if (str(p, "health-cmd")) throw new StatusError(125, "--no-healthcheck conflicts with --health-* options");
    return { Test: ["NONE"] };
  }
  const keys = ["health-cmd", "health-interval", "health-timeout", "health-start-period", "health-start-interval", "health-retries"];
  if (!keys.some((k) => p.changed.has(k))) return undefined;
  const dur = (k: string) => (str(p, k) ? parseDurationNs(str(p, k), `--${k}`) : 0);
  return {
    Test: str(p, "health-cmd") ? ["CMD-SHELL", str(p, "health-cmd")] : undefined,
    Interval: dur("health-interval"),
    Timeout: dur("health-timeout"),
    StartPeriod: dur("health-start-period"),
    StartInterval: dur("health-start-interval"),
    Retries: int(p, "health-retries"),
  };
}

function networkingConfig(p: ParsedFlags, network: string): Record<string, unknown> | undefined {
  const aliases = list(p, "network-alias");
  const ip = str(p, "ip");
  const ip6 = str(p, "ip6");
  if (!aliases.length && !ip && !ip6) return undefined;
  const endpoint: Record<string, unknown> = {};
  if (aliases.length) endpoint.Aliases = aliases;
  if (ip || ip6) endpoint.IPAMConfig = { IPv4Address: ip || undefined, IPv6Address: ip6 || undefined };
  return { EndpointsConfig: { [network]: endpoint } };
}

/** `/dev/sda:1mb` (bytes, for bps) or `/dev/sda:100` (a plain number). */
function deviceValue(spec: string, flag: string, bytes: boolean): { Path: string; Rate: number } {
  const i = spec.lastIndexOf(":");
  if (i <= 0 || !spec.startsWith("/dev/")) throw new StatusError(125, `invalid argument "${spec}" for "${flag}" flag: bad format: ${spec}`);
  const v = spec.slice(i + 1);
  const rate = bytes ? parseBytes(v, flag) : Number(v);
  if (!Number.isInteger(rate) || rate < 0) throw new StatusError(125, `invalid argument "${spec}" for "${flag}" flag: invalid rate for device: ${spec}. The correct format is <device-path>:<number>. Number must be a positive integer`);
  return { Path: spec.slice(0, i), Rate: rate };
}

/** `--device /dev/x[:/dev/y[:rwm]]`. */
function parseDevice(spec: string): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string } {
  const [host, inContainer, perms] = spec.split(":");
  return { PathOnHost: host, PathInContainer: inContainer || host, CgroupPermissions: perms || "rwm" };
}

/** --security-opt values sent to the daemon: "systempaths=unconfined" is the client's (it empties the path lists). */
function securityOpts(p: ParsedFlags): string[] {
  return list(p, "security-opt").filter((o) => o !== "systempaths=unconfined");
}
