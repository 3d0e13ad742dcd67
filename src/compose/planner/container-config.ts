import type { ContainerCreateBody, CreateHostConfig } from "../../client/types.js";
import type { Project, Service, ServiceNetwork } from "../model.js";
import { serviceConfigHash } from "./config-hash.js";
import { planDevices, planHealthcheck, planMounts, planPorts, planResources, planRestart } from "./host-config.js";
import { COMPOSE_VERSION, LABEL } from "./labels.js";
import { parseDurationNs } from "./units.js";

/**
 * A service's container as an Engine API create body, plus the networks
 * to connect after create (one network goes in the create call, which
 * every API version accepts). Keys the planner does not honour are
 * reported once per service through `warn`.
 */
export interface ContainerPlan {
  name: string;
  body: ContainerCreateBody;
  platform?: string;
  /** Networks to connect before start: full network name → endpoint config. */
  connect: Array<{ network: string; endpoint: Record<string, unknown> }>;
}

export interface ContainerTarget {
  name: string;
  number: number;
  oneoff: boolean;
  image: string;
  /** Image ID the container is created from (label com.docker.compose.image). */
  imageId?: string;
  /** Resolve `service:x` references to a container name (network_mode, volumes_from). */
  containerOf(service: string): string | undefined;
  previousAnon?: Map<string, string>;
  /** `run`: publish the service's ports (`--service-ports`) or not. */
  publishPorts?: boolean;
}

export function planContainer(p: Project, s: Service, t: ContainerTarget, warn: (m: string) => void): ContainerPlan {
  const mounts = planMounts(p, s, t.previousAnon ?? new Map(), warn);
  const ports = planPorts(s, t.publishPorts ?? !t.oneoff);
  const labels: Record<string, string> = {
    ...(s.labels ?? {}),
    [LABEL.project]: p.name,
    [LABEL.service]: s.name,
    [LABEL.number]: String(t.number),
    [LABEL.oneoff]: t.oneoff ? "True" : "False",
    [LABEL.configHash]: serviceConfigHash(s),
    [LABEL.configFiles]: p.configFiles.join(","),
    [LABEL.workingDir]: p.workingDir,
    [LABEL.dependsOn]: Object.entries(s.depends_on ?? {}).map(([n, d]) => `${n}:${d.condition}:${d.restart}`).join(","),
    [LABEL.version]: COMPOSE_VERSION,
  };
  if (p.envFiles.length) labels[LABEL.envFile] = p.envFiles.join(",");
  if (t.imageId) labels[LABEL.image] = t.imageId;
  const { networkMode, endpoints } = planNetworks(p, s, t);
  const [primary, ...others] = endpoints;
  const logging = s.logging as { driver?: string; options?: Record<string, string> } | undefined;
  const grace = parseDurationNs(s.stop_grace_period as string | undefined, `service "${s.name}": stop_grace_period`);
  const body: ContainerCreateBody = {
    Image: t.image,
    Hostname: s.hostname as string | undefined,
    Domainname: s.domainname as string | undefined,
    User: s.user as string | undefined,
    WorkingDir: s.working_dir as string | undefined,
    Env: Object.entries(s.environment ?? {}).map(([k, v]) => `${k}=${v ?? ""}`),
    Cmd: (s.command as string[] | null | undefined) ?? undefined,
    Entrypoint: (s.entrypoint as string[] | null | undefined) ?? undefined,
    Labels: labels,
    Tty: s.tty === true,
    OpenStdin: s.stdin_open === true,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    StopSignal: s.stop_signal as string | undefined,
    StopTimeout: grace !== undefined ? Math.round(grace / 1e9) : undefined,
    ExposedPorts: Object.keys(ports.ExposedPorts).length ? ports.ExposedPorts : undefined,
    Volumes: Object.keys(mounts.Volumes).length ? mounts.Volumes : undefined,
    Healthcheck: planHealthcheck(s),
    MacAddress: s.mac_address as string | undefined,
    HostConfig: {
      ...planResources(s),
      Binds: mounts.Binds,
      Mounts: mounts.Mounts.length ? mounts.Mounts : undefined,
      Tmpfs: Object.keys(mounts.Tmpfs).length ? mounts.Tmpfs : undefined,
      PortBindings: ports.PortBindings,
      NetworkMode: networkMode,
      // Names from the compose file go as written: the daemon refuses unknown ones with its own words.
      RestartPolicy: (planRestart(s) ?? { Name: "no", MaximumRetryCount: 0 }) as CreateHostConfig["RestartPolicy"],
      VolumesFrom: (s.volumes_from ?? []).map((vf) => volumesFrom(vf, t)),
      Dns: s.dns as string[] | undefined,
      DnsSearch: s.dns_search as string[] | undefined,
      DnsOptions: s.dns_opt as string[] | undefined,
      ExtraHosts: Object.entries(s.extra_hosts ?? {}).flatMap(([h, ip]) => (Array.isArray(ip) ? ip : [ip]).map((i) => `${h}:${i}`)),
      // A plugin's log driver is not in the swagger's enum; the daemon decides.
      LogConfig: (logging?.driver || logging?.options ? { Type: logging.driver ?? "", Config: logging.options ?? {} } : undefined) as CreateHostConfig["LogConfig"],
      Init: s.init as boolean | undefined,
      Privileged: s.privileged === true,
      CapAdd: s.cap_add as string[] | undefined,
      CapDrop: s.cap_drop as string[] | undefined,
      ReadonlyRootfs: s.read_only === true,
      Sysctls: s.sysctls as Record<string, string> | undefined,
      SecurityOpt: s.security_opt as string[] | undefined,
      Devices: planDevices(s),
      GroupAdd: s.group_add as string[] | undefined,
      IpcMode: s.ipc as string | undefined,
      PidMode: s.pid as string | undefined,
    },
    NetworkingConfig: primary ? { EndpointsConfig: { [primary.network]: primary.endpoint } } : undefined,
  };
  return { name: t.name, body, platform: s.platform as string | undefined, connect: others };
}

function volumesFrom(vf: string, t: ContainerTarget): string {
  const [ref, ...rest] = vf.split(":");
  if (ref === "container") return rest.join(":");
  const mode = rest[0] ? `:${rest[0]}` : "";
  return `${t.containerOf(ref) ?? ref}${mode}`;
}

function planNetworks(p: Project, s: Service, t: ContainerTarget): { networkMode: string; endpoints: Array<{ network: string; endpoint: Record<string, unknown> }> } {
  const nm = s.network_mode;
  if (nm) {
    if (nm.startsWith("service:")) return { networkMode: `container:${t.containerOf(nm.slice(8)) ?? nm.slice(8)}`, endpoints: [] };
    return { networkMode: nm, endpoints: [] };
  }
  const entries = Object.entries(s.networks ?? {}) as Array<[string, ServiceNetwork | null]>;
  entries.sort((a, b) => (b[1]?.priority ?? 0) - (a[1]?.priority ?? 0) || a[0].localeCompare(b[0]));
  const endpoints = entries.map(([key, cfg]) => {
    const endpoint: Record<string, unknown> = { Aliases: t.oneoff ? [...(cfg?.aliases ?? [])] : [s.name, ...(cfg?.aliases ?? [])] };
    const ipam: Record<string, unknown> = {};
    if (cfg?.ipv4_address) ipam.IPv4Address = cfg.ipv4_address;
    if (cfg?.ipv6_address) ipam.IPv6Address = cfg.ipv6_address;
    if (cfg?.link_local_ips) ipam.LinkLocalIPs = cfg.link_local_ips;
    if (Object.keys(ipam).length) endpoint.IPAMConfig = ipam;
    if (cfg?.mac_address) endpoint.MacAddress = cfg.mac_address;
    if (cfg?.driver_opts) endpoint.DriverOpts = cfg.driver_opts;
    return { network: p.networks[key]?.name ?? key, endpoint };
  });
  return { networkMode: endpoints[0]?.network ?? "default", endpoints };
}

/** Service keys the planner maps to the Engine API; anything else is reported. */
export const HONOURED_KEYS = new Set([
  "name", "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes", "volumes_from",
  "networks", "network_mode", "depends_on", "healthcheck", "restart", "deploy", "cpus", "mem_limit", "mem_reservation", "memswap_limit",
  "pids_limit", "ulimits", "user", "working_dir", "hostname", "domainname", "dns", "dns_search", "dns_opt", "extra_hosts", "labels",
  "logging", "stop_signal", "stop_grace_period", "init", "tty", "stdin_open", "privileged", "cap_add", "cap_drop", "read_only", "tmpfs",
  "shm_size", "sysctls", "security_opt", "secrets", "configs", "platform", "pull_policy", "profiles", "container_name", "scale",
  "cpu_shares", "cpu_quota", "cpu_period", "cpuset", "oom_kill_disable", "devices", "group_add", "ipc", "pid", "mac_address",
]);
const HONOURED_DEPLOY = new Set(["replicas", "resources", "restart_policy", "labels", "mode"]);

/** Warnings for keys wharf cannot honour, one per key, naming the service and the key. */
export function unsupportedKeys(s: Service): string[] {
  const out: string[] = [];
  for (const k of Object.keys(s)) {
    if (k.startsWith("x-") || HONOURED_KEYS.has(k)) continue;
    out.push(`service "${s.name}": \`${k}\` is not supported by wharf compose and was ignored`);
  }
  for (const k of Object.keys((s.deploy ?? {}) as object)) {
    if (!HONOURED_DEPLOY.has(k)) out.push(`service "${s.name}": \`deploy.${k}\` is not supported by wharf compose and was ignored`);
  }
  const res = ((s.deploy ?? {}) as { resources?: { reservations?: Record<string, unknown> } }).resources?.reservations ?? {};
  for (const k of Object.keys(res)) if (k !== "memory") out.push(`service "${s.name}": \`deploy.resources.reservations.${k}\` is not supported by wharf compose and was ignored`);
  return out;
}
