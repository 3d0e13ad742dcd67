import type { JsonObject } from "../../../client/types.js";
import { bytesSize } from "../../format/human.js";

/**
 * The `Server:` half of `docker info`, for the fields the daemon returns:
 * same order, labels and indentation as docker's pretty printer. Lines for
 * absent optional fields are left out, as docker does.
 */
export function renderServerInfo(info: JsonObject): string {
  const out: string[] = [];
  const line = (indent: number, key: string, value: unknown) => out.push(`${" ".repeat(indent)}${key}: ${value ?? ""}`);
  const s = (k: string) => (info[k] === undefined || info[k] === null ? "" : String(info[k]));
  line(1, "Containers", s("Containers"));
  line(2, "Running", s("ContainersRunning"));
  line(2, "Paused", s("ContainersPaused"));
  line(2, "Stopped", s("ContainersStopped"));
  line(1, "Images", s("Images"));
  line(1, "Server Version", s("ServerVersion"));
  line(1, "Storage Driver", s("Driver"));
  for (const [k, v] of (info.DriverStatus as Array<[string, string]> | null) ?? []) line(2, k, v);
  line(1, "Logging Driver", s("LoggingDriver"));
  line(1, "Cgroup Driver", s("CgroupDriver"));
  line(1, "Cgroup Version", s("CgroupVersion"));
  const plugins = (info.Plugins as Record<string, string[] | null> | undefined) ?? {};
  out.push(" Plugins:");
  line(2, "Volume", (plugins.Volume ?? []).join(" "));
  line(2, "Network", (plugins.Network ?? []).join(" "));
  if (plugins.Authorization?.length) line(2, "Authorization", plugins.Authorization.join(" "));
  line(2, "Log", (plugins.Log ?? []).join(" "));
  const swarm = (info.Swarm as { LocalNodeState?: string } | undefined)?.LocalNodeState ?? "inactive";
  line(1, "Swarm", swarm);
  const runtimes = Object.keys((info.Runtimes as object | undefined) ?? {}).sort();
  if (runtimes.length) line(1, "Runtimes", runtimes.join(" "));
  line(1, "Default Runtime", s("DefaultRuntime"));
  line(1, "Init Binary", s("InitBinary"));
  line(1, "containerd version", (info.ContainerdCommit as { ID?: string } | undefined)?.ID ?? "");
  line(1, "runc version", (info.RuncCommit as { ID?: string } | undefined)?.ID ?? "");
  line(1, "init version", (info.InitCommit as { ID?: string } | undefined)?.ID ?? "");
  const secopts = (info.SecurityOptions as string[] | null) ?? [];
  if (secopts.length) {
    out.push(" Security Options:");
    for (const so of secopts) {
      const kv = Object.fromEntries(so.split(",").map((f) => f.split("=", 2) as [string, string]));
      out.push(`  ${kv.name ?? so}`);
      for (const [k, v] of Object.entries(kv)) if (k !== "name") out.push(`   ${k.charAt(0).toUpperCase()}${k.slice(1)}: ${v}`);
    }
  }
  line(1, "Kernel Version", s("KernelVersion"));
  line(1, "Operating System", s("OperatingSystem"));
  line(1, "OSType", s("OSType"));
  line(1, "Architecture", s("Architecture"));
  line(1, "CPUs", s("NCPU"));
  line(1, "Total Memory", bytesSize(Number(info.MemTotal ?? 0)));
  line(1, "Name", s("Name"));
  line(1, "ID", s("ID"));
  line(1, "Docker Root Dir", s("DockerRootDir"));
  line(1, "Debug Mode", String(info.Debug ?? false));
  for (const [k, label] of [["HttpProxy", "HTTP Proxy"], ["HttpsProxy", "HTTPS Proxy"], ["NoProxy", "No Proxy"]]) {
    if (s(k)) line(1, label, s(k));
  }
  const labels = (info.Labels as string[] | null) ?? [];
  if (labels.length) {
    out.push(" Labels:");
    for (const l of labels) out.push(`  ${l}`);
  }
  line(1, "Experimental", String(info.ExperimentalBuild ?? false));
  const reg = info.RegistryConfig as { InsecureRegistryCIDRs?: string[]; IndexConfigs?: Record<string, { Secure?: boolean }>; Mirrors?: string[] } | undefined;
  if (reg) {
    const insecure = [
      ...Object.entries(reg.IndexConfigs ?? {}).filter(([, v]) => v.Secure === false).map(([k]) => k),
      ...(reg.InsecureRegistryCIDRs ?? []),
    ];
    if (insecure.length) {
      out.push(" Insecure Registries:");
      for (const r of insecure) out.push(`  ${r}`);
    }
    if (reg.Mirrors?.length) {
      out.push(" Registry Mirrors:");
      for (const m of reg.Mirrors) out.push(`  ${m}`);
    }
  }
  line(1, "Live Restore Enabled", String(info.LiveRestoreEnabled ?? false));
  return out.join("\n") + "\n";
}

