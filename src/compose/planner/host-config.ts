import { ComposeError } from "../errors.js";
import type { Project, Service, VolumeMount } from "../model.js";
import { parseBytes, parseDurationNs } from "./units.js";

/**
 * The HostConfig half of a service's container: mounts (binds, project
 * volumes, anonymous volumes, tmpfs, file secrets and configs), ports,
 * resources and the other runtime options. Pure: no API calls.
 */
export interface MountPlan {
  Binds: string[];
  Mounts: Record<string, unknown>[];
  Tmpfs: Record<string, string>;
  /** Anonymous volume targets (Config.Volumes). */
  Volumes: Record<string, object>;
}

/** `previousAnon`: target → volume name of the replaced container, kept unless `-V`. */
export function planMounts(p: Project, s: Service, previousAnon: Map<string, string>, warn: (m: string) => void): MountPlan {
  const out: MountPlan = { Binds: [], Mounts: [], Tmpfs: {}, Volumes: {} };
  for (const v of s.volumes ?? []) mountOne(p, s, v, previousAnon, out, warn);
  for (const t of (s.tmpfs as string[] | undefined) ?? []) {
    const [target, opts = ""] = t.split(":");
    out.Tmpfs[target] = opts;
  }
  for (const [kind, refs] of [["secrets", s.secrets], ["configs", s.configs]] as const) {
    for (const r of refs ?? []) {
      const def = (kind === "secrets" ? p.secrets : p.configs)[r.source];
      if (!def?.file) {
        warn(`service "${s.name}": ${kind}.${r.source}: only file-based ${kind} are supported by wharf compose; it was not mounted`);
        continue;
      }
      if (r.uid !== undefined || r.gid !== undefined || r.mode !== undefined) warn(`service "${s.name}": ${kind}.${r.source}: uid, gid and mode are not supported for file-based ${kind} (bind mounted as is)`);
      const target = kind === "secrets" ? (r.target?.startsWith("/") ? r.target : `/run/secrets/${r.target ?? r.source}`) : (r.target ?? `/${r.source}`);
      out.Binds.push(`${def.file}:${target}:ro`);
    }
  }
  return out;
}

function mountOne(p: Project, s: Service, v: VolumeMount, previousAnon: Map<string, string>, out: MountPlan, warn: (m: string) => void): void {
  const ro = v.read_only ? ["ro"] : [];
  switch (v.type) {
    case "bind": {
      if (!v.source) throw new ComposeError(`service "${s.name}": volumes: a bind mount needs a source`);
      if (v.bind?.create_host_path === false) {
        out.Mounts.push({ Type: "bind", Source: v.source, Target: v.target, ReadOnly: !!v.read_only, BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined });
        return;
      }
      const opts = [...ro, ...(v.bind?.selinux ? [v.bind.selinux] : []), ...(v.bind?.propagation ? [v.bind.propagation] : [])];
      out.Binds.push(`${v.source}:${v.target}${opts.length ? `:${opts.join(",")}` : ""}`);
      return;
    }
    case "volume": {
      if (!v.source) {
        const kept = previousAnon.get(v.target);
        if (kept) out.Mounts.push({ Type: "volume", Source: kept, Target: v.target, ReadOnly: !!v.read_only });
        else out.Volumes[v.target] = {};
        return;
      }
      const name = p.volumes[v.source]?.name ?? v.source;
      if (v.volume?.subpath) {
        out.Mounts.push({ Type: "volume", Source: name, Target: v.target, ReadOnly: !!v.read_only, VolumeOptions: { NoCopy: !!v.volume?.nocopy, Subpath: v.volume.subpath } });
        return;
      }
      const opts = [...ro, ...(v.volume?.nocopy ? ["nocopy"] : [])];
      out.Binds.push(`${name}:${v.target}${opts.length ? `:${opts.join(",")}` : ""}`);
      return;
    }
    case "tmpfs": {
      const o: string[] = [];
      const size = parseBytes(v.tmpfs?.size, `service "${s.name}": volumes.${v.target}.tmpfs.size`);
      if (size !== undefined) o.push(`size=${size}`);
      if (v.tmpfs?.mode !== undefined) o.push(`mode=${typeof v.tmpfs.mode === "number" ? v.tmpfs.mode.toString(8) : v.tmpfs.mode}`);
      if (v.read_only) o.push("ro");
      out.Tmpfs[v.target] = o.join(",");
      return;
    }
    default:
      warn(`service "${s.name}": volumes: type "${v.type}" is not supported by wharf compose; ${v.target} was not mounted`);
  }
}

export interface PortPlan {
  ExposedPorts: Record<string, object>;
  PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
}

export function planPorts(s: Service, publish: boolean): PortPlan {
  const out: PortPlan = { ExposedPorts: {}, PortBindings: {} };
  for (const e of s.expose ?? []) {
    const [port, proto = "tcp"] = String(e).split("/");
    out.ExposedPorts[`${port}/${proto}`] = {};
  }
  for (const pc of s.ports ?? []) {
    const key = `${pc.target}/${pc.protocol ?? "tcp"}`;
    out.ExposedPorts[key] = {};
    if (!publish) continue;
    (out.PortBindings[key] ??= []).push({ HostIp: pc.host_ip ?? "", HostPort: pc.published ?? "" });
  }
  return out;
}

/** Resources and runtime options; `where` names the service in errors. */
export function planResources(s: Service): Record<string, unknown> {
  const w = `service "${s.name}"`;
  const deploy = (s.deploy ?? {}) as { resources?: { limits?: Record<string, unknown>; reservations?: Record<string, unknown> } };
  const limits = deploy.resources?.limits ?? {};
  const reservations = deploy.resources?.reservations ?? {};
  const cpus = s.cpus ?? limits.cpus;
  const hc: Record<string, unknown> = {
    Memory: parseBytes((s.mem_limit ?? limits.memory) as string | undefined, `${w}: mem_limit`),
    MemoryReservation: parseBytes((s.mem_reservation ?? reservations.memory) as string | undefined, `${w}: mem_reservation`),
    MemorySwap: parseBytes(s.memswap_limit as string | undefined, `${w}: memswap_limit`),
    NanoCpus: cpus !== undefined ? Math.round(Number(cpus) * 1e9) : undefined,
    CpuShares: numberOr(s.cpu_shares),
    CpuQuota: numberOr(s.cpu_quota),
    CpuPeriod: numberOr(s.cpu_period),
    CpusetCpus: s.cpuset as string | undefined,
    PidsLimit: numberOr(s.pids_limit ?? limits.pids),
    ShmSize: parseBytes(s.shm_size as string | undefined, `${w}: shm_size`),
    OomKillDisable: s.oom_kill_disable as boolean | undefined,
    Ulimits: s.ulimits ? Object.entries(s.ulimits as Record<string, { soft: number; hard: number }>).map(([Name, u]) => ({ Name, Soft: Number(u.soft), Hard: Number(u.hard) })) : undefined,
  };
  if (hc.NanoCpus !== undefined && Number.isNaN(hc.NanoCpus)) throw new ComposeError(`${w}: cpus: invalid value ${JSON.stringify(cpus)}`);
  return hc;
}

export function planHealthcheck(s: Service): Record<string, unknown> | undefined {
  const h = s.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { Test: ["NONE"] };
  const w = `service "${s.name}": healthcheck`;
  return {
    Test: h.test,
    Interval: parseDurationNs(h.interval, `${w}.interval`),
    Timeout: parseDurationNs(h.timeout, `${w}.timeout`),
    Retries: h.retries,
    StartPeriod: parseDurationNs(h.start_period, `${w}.start_period`),
    StartInterval: parseDurationNs(h.start_interval, `${w}.start_interval`),
  };
}

export function planRestart(s: Service): { Name: string; MaximumRetryCount: number } | undefined {
  let r = s.restart;
  const policy = (s.deploy as { restart_policy?: { condition?: string; max_attempts?: number } } | undefined)?.restart_policy;
  if (!r && policy) r = policy.condition === "any" ? "always" : policy.condition === "none" ? "no" : policy.condition === "on-failure" ? `on-failure${policy.max_attempts ? `:${policy.max_attempts}` : ""}` : undefined;
  if (!r) return undefined;
  const [name, count] = r.split(":");
  if (!["no", "always", "on-failure", "unless-stopped"].includes(name)) throw new ComposeError(`service "${s.name}": restart: invalid restart policy "${r}": use no, always, on-failure[:N] or unless-stopped`);
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

/** `/dev/a[:/dev/b[:rwm]]` */
export function planDevices(s: Service): Array<Record<string, string>> | undefined {
  const devs = s.devices as Array<string | { source: string; target?: string; permissions?: string }> | undefined;
  return devs?.map((d) => {
    if (typeof d === "object") return { PathOnHost: d.source, PathInContainer: d.target ?? d.source, CgroupPermissions: d.permissions ?? "rwm" };
    const [host, ctr = host, perm = "rwm"] = d.split(":");
    return { PathOnHost: host, PathInContainer: ctr, CgroupPermissions: perm };
  });
}

function numberOr(v: unknown): number | undefined {
  return v === undefined || v === null || v === "" ? undefined : Number(v);
}
