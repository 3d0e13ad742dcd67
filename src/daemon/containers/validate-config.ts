import { isIP } from "node:net";
import { InvalidArgumentError } from "../../lib/errors.js";
import { parseSignal } from "./signals.js";
import type { ContainerConfig, HostConfig } from "./types.js";

/**
 * dockerd 28's create-time checks of Config and HostConfig (runconfig's
 * decode checks, validateContainerConfig, validateHostConfig and the
 * platform checks), with its messages. They run before anything is looked
 * up or created, so a refused request leaves nothing behind.
 */
export function validateCreateConfig(config: ContainerConfig, hc: HostConfig): void {
  validateNetMode(config, hc);
  validateQoSAndResources(hc);
  if (config.WorkingDir && !config.WorkingDir.startsWith("/")) {
    throw new InvalidArgumentError(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  if (config.StopSignal) parseSignal(config.StopSignal);
  for (const e of config.Env ?? []) {
    if (typeof e !== "string" || e.split("=")[0] === "") throw new InvalidArgumentError(`invalid environment variable: ${e}`);
  }
  validateHostConfig(hc);
}

/** Also used by update: a policy's retry count only with on-failure, never negative. */
export function validateRestartPolicy(p: { Name?: string; MaximumRetryCount?: number } | undefined): void {
  const name = p?.Name ?? "";
  const retries = p?.MaximumRetryCount ?? 0;
  switch (name) {
    case "always":
    case "unless-stopped":
    case "no":
      if (retries !== 0) {
        throw new InvalidArgumentError(`invalid restart policy: maximum retry count can only be used with 'on-failure'${retries < 0 ? " and cannot be negative" : ""}`);
      }
      return;
    case "on-failure":
      if (retries < 0) throw new InvalidArgumentError("invalid restart policy: maximum retry count cannot be negative");
      return;
    case "":
      return;
    default:
      throw new InvalidArgumentError(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
}

const containerRef = (mode: string): string | undefined => (mode.startsWith("container:") ? mode.slice("container:".length) : undefined);

function validateNetMode(c: ContainerConfig, hc: HostConfig): void {
  const net = hc.NetworkMode ?? "";
  if (net === "container" || net.startsWith("container:")) {
    if (!containerRef(net)) throw new InvalidArgumentError("invalid network mode: invalid container format container:<name|id>");
    if (c.Hostname) throw new InvalidArgumentError("conflicting options: hostname and the network mode");
    if ((hc.Links ?? []).length) throw new InvalidArgumentError("conflicting options: container type network can't be used with links. This would result in undefined behavior");
    if ((hc.Dns ?? []).length) throw new InvalidArgumentError("conflicting options: dns and the network mode");
    if ((hc.ExtraHosts ?? []).length) throw new InvalidArgumentError("conflicting options: custom host-to-IP mapping and the network mode");
    if (Object.keys(hc.PortBindings ?? {}).length || hc.PublishAllPorts) throw new InvalidArgumentError("conflicting options: port publishing and the container type network mode");
    if (Object.keys(c.ExposedPorts ?? {}).length) throw new InvalidArgumentError("conflicting options: port exposing and the container type network mode");
  }
  if (hc.UTSMode === "host" && c.Hostname) throw new InvalidArgumentError("conflicting options: hostname and the UTS mode");
  if (net === "host" && (hc.Links ?? []).length) throw new InvalidArgumentError("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
}

function validateQoSAndResources(hc: HostConfig): void {
  const h = hc as HostConfig & Record<string, unknown>;
  if (h.Isolation && h.Isolation !== "default") throw new InvalidArgumentError(`invalid isolation (${String(h.Isolation)}): linux only supports 'default'`);
  if (h.IOMaximumBandwidth) throw new InvalidArgumentError("invalid option: QoS maximum bandwidth configuration is not supported on linux");
  if (h.IOMaximumIOps) throw new InvalidArgumentError("invalid option: QoS maximum IOPs configuration is not supported on linux");
  const rtPeriod = Number(h.CpuRealtimePeriod ?? 0);
  const rtRuntime = Number(h.CpuRealtimeRuntime ?? 0);
  if (rtPeriod && rtRuntime && rtRuntime > rtPeriod) throw new InvalidArgumentError("cpu real-time runtime cannot be higher than cpu real-time period");
  if (Number(h.CpuShares ?? 0) < 0) throw new InvalidArgumentError(`invalid CPU shares (${String(h.CpuShares)}): value must be a positive integer`);
}

function validateHostConfig(hc: HostConfig): void {
  const h = hc as HostConfig & Record<string, unknown>;
  const policy = hc.RestartPolicy?.Name ?? "";
  if (hc.AutoRemove && policy !== "" && policy !== "no") throw new InvalidArgumentError("can't create 'AutoRemove' container with restart policy");
  for (const extra of hc.ExtraHosts ?? []) validateExtraHost(extra);
  validatePortBindings(hc.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[] | null> | undefined);
  validateRestartPolicy(hc.RestartPolicy);
  for (const k of Object.keys((h.Annotations as Record<string, string> | undefined) ?? {})) {
    if (k === "") throw new InvalidArgumentError("invalid Annotations: the empty string is not permitted as an annotation key");
  }
  const ipc = hc.IpcMode ?? "";
  if (!["", "none", "private", "host", "shareable"].includes(ipc) && containerRef(ipc) === undefined) throw new InvalidArgumentError(`invalid IPC mode: ${ipc}`);
  const pid = hc.PidMode ?? "";
  if (!(pid === "" || pid === "host" || containerRef(pid))) throw new InvalidArgumentError(`invalid PID mode: ${pid}`);
  if (Number(h.ShmSize ?? 0) < 0) throw new InvalidArgumentError("SHM size can not be less than 0");
  const uts = hc.UTSMode ?? "";
  if (!(uts === "" || uts === "host")) throw new InvalidArgumentError(`invalid UTS mode: ${uts}`);
  const oom = Number(h.OomScoreAdj ?? 0);
  if (oom < -1000 || oom > 1000) throw new InvalidArgumentError(`Invalid value ${oom}, range for oom score adj is [-1000, 1000]`);
  const userns = String(h.UsernsMode ?? "");
  // wharf has no user-namespace remapping: only the host's namespace (the default) exists.
  if (!(userns === "" || userns === "host")) throw new InvalidArgumentError(`invalid user namespace mode: ${userns}: wharf runs containers in the host's user namespace only ("host")`);
  for (const dest of Object.keys((h.Tmpfs as Record<string, string> | undefined) ?? {})) {
    if (!dest.startsWith("/")) throw new InvalidArgumentError(`invalid mount config for type "tmpfs": invalid mount path: '${dest}' mount path must be absolute`);
    if (dest === "/") throw new InvalidArgumentError(`invalid mount config for type "tmpfs": invalid specification: destination can't be '/'`);
  }
  const cgroupns = String(h.CgroupnsMode ?? "");
  if (!["", "host", "private"].includes(cgroupns)) throw new InvalidArgumentError(`invalid cgroup namespace mode: ${cgroupns}`);
}

function validateExtraHost(val: string): void {
  const i = val.indexOf(":");
  const name = i < 0 ? "" : val.slice(0, i);
  const ip = i < 0 ? "" : val.slice(i + 1);
  if (i < 0 || name === "") throw new InvalidArgumentError(`bad format for add-host: ${JSON.stringify(val)}`);
  if (ip !== "host-gateway" && isIP(ip.replace(/^\[|\]$/g, "")) === 0) throw new InvalidArgumentError(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
}

/** nat.ParsePort: a port or a start-end range, 0–65535; "" is allowed. */
function validPort(p: string): boolean {
  if (p === "") return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(p);
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo <= 65535 && hi <= 65535 && lo <= hi;
}

function validatePortBindings(ports: Record<string, { HostIp?: string; HostPort?: string }[] | null> | undefined): void {
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const port = key.split("/")[0];
    if (!validPort(port)) throw new InvalidArgumentError(`invalid port specification: ${JSON.stringify(port)}`);
    for (const b of bindings ?? []) {
      const hp = (b?.HostPort ?? "").split("/")[0];
      if (!validPort(hp)) throw new InvalidArgumentError(`invalid port specification: ${JSON.stringify(b?.HostPort ?? "")}`);
    }
  }
}
