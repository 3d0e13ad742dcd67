// The engine's own daemon.json keys and flags (dockerd's names and messages).
import { InvalidArgumentError } from "../../lib/errors.js";
import { ramInBytes } from "../../lib/units.js";
import type { ConfigKey } from "./key.js";
import { bool, int, json, list, str } from "./kinds.js";

const fail = (msg: string) => {
  throw new InvalidArgumentError(msg);
};

function validateHost(h: string): void {
  const m = /^(unix|tcp|fd|ssh):\/\/(.*)$/.exec(h);
  if (!m) fail(`invalid bind address (${h}): unsupported proto '${h.split("://")[0]}'`);
}

function validateLabels(labels: string[]): void {
  for (const l of labels) {
    if (!l.includes("=")) fail(`bad attribute format: ${l}`);
    if (/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/i.test(l)) {
      fail(`label ${l} is not allowed: the namespaces com.docker.*, io.docker.*, and org.dockerproject.* are reserved for internal use`);
    }
  }
}

function validateIp(ip: string): void {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4 ? v4.slice(1).some((o) => Number(o) > 255) : !/^[0-9a-fA-F:]+(%\w+)?$/.test(ip) || !ip.includes(":")) {
    fail(`IP address is not correctly formatted: ParseAddr(${JSON.stringify(ip)}): unable to parse IP`);
  }
}

const LOG_LEVELS = ["panic", "fatal", "error", "warn", "info", "debug", "trace"];

export interface Ulimit { Name: string; Hard: number; Soft: number }
export interface AddressPool { base: string; size: number }

/** `nofile=1024:2048` → { nofile: {Name, Soft, Hard} } */
function parseUlimitFlag(text: string, prev: Record<string, Ulimit> | undefined, flag: string): Record<string, Ulimit> {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text);
  if (!m) fail(`invalid argument "${text}" for "${flag}" flag: invalid ulimit argument: ${text}`);
  const soft = Number(m![2]);
  return { ...(prev ?? {}), [m![1]]: { Name: m![1], Soft: soft, Hard: m![3] === undefined ? soft : Number(m![3]) } };
}

function checkUlimits(v: unknown, key: string): Record<string, Ulimit> {
  if (!v || typeof v !== "object" || Array.isArray(v)) fail(`invalid value for "${key}": expected an object of {"Name","Hard","Soft"}`);
  const out: Record<string, Ulimit> = {};
  for (const [name, u] of Object.entries(v as Record<string, Partial<Ulimit>>)) {
    if (typeof u?.Soft !== "number" || typeof u?.Hard !== "number") fail(`invalid value for "${key}.${name}": expected {"Name","Hard","Soft"}`);
    out[name] = { Name: u!.Name ?? name, Hard: u!.Hard!, Soft: u!.Soft! };
  }
  return out;
}

/** `base=10.10.0.0/16,size=24` */
function parsePoolFlag(text: string, prev: AddressPool[] | undefined): AddressPool[] {
  const pool: Partial<AddressPool> = {};
  for (const field of text.split(",")) {
    const eq = field.indexOf("=");
    if (eq < 0) fail(`invalid field '${field}' must be a key=value pair`);
    const [k, v] = [field.slice(0, eq).toLowerCase(), field.slice(eq + 1)];
    if (k === "base") pool.base = v;
    else if (k === "size") {
      if (!/^\d+$/.test(v)) fail(`invalid size value: "${v}" (must be integer)`);
      pool.size = Number(v);
    } else fail(`unexpected key '${k}' in '${field}'`);
  }
  return [...(prev ?? []), checkPool(pool)];
}

function checkPool(p: Partial<AddressPool>): AddressPool {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(p.base ?? "");
  if (!m) fail(`invalid base prefix "${p.base ?? ""}"`);
  if (typeof p.size !== "number" || p.size < Number(m![2]) || p.size > 32) fail(`invalid pools configuration: size ${p.size} must be between the base's prefix length and 32`);
  return { base: p.base!, size: p.size! };
}

function checkPools(v: unknown, key: string): AddressPool[] {
  if (!Array.isArray(v)) fail(`invalid value for "${key}": expected a list of {"base","size"}`);
  return (v as Partial<AddressPool>[]).map(checkPool);
}

type Runtimes = Record<string, { path: string; runtimeArgs?: string[] }>;

function parseRuntimeFlag(text: string, prev: Runtimes | undefined): Runtimes {
  const [name, path] = text.split("=");
  if (!name || !path) fail(`invalid --add-runtime ${text}: expected name=path`);
  return { ...(prev ?? {}), [name]: { path } };
}

function checkRuntimes(v: unknown, key: string): Runtimes {
  if (!v || typeof v !== "object" || Array.isArray(v)) fail(`invalid value for "${key}": expected an object of {"path","runtimeArgs"}`);
  for (const [name, r] of Object.entries(v as Runtimes)) {
    if (typeof r?.path !== "string" || !r.path) fail(`invalid value for "${key}.${name}": "path" is required`);
  }
  return { ...(v as Runtimes) };
}

function checkFeatures(v: unknown, key: string): Record<string, boolean> {
  if (!v || typeof v !== "object" || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "boolean")) fail(`invalid value for "${key}": expected an object of true/false`);
  return { ...(v as Record<string, boolean>) };
}

const shmSize = {
  ...str,
  fromFlag: (t: string | undefined) => t ?? "",
};

export const engineKeys: ConfigKey[] = [
  { name: "hosts", flags: ["-H", "--host"], kind: list, field: "hosts", validate: (hs: string[]) => hs.forEach(validateHost) },
  { name: "data-root", flags: ["--data-root", "-g", "--graph"], kind: str, field: "dataRoot" },
  { name: "exec-root", flags: ["--exec-root"], kind: str, field: "execRoot" },
  { name: "pidfile", flags: ["-p", "--pidfile"], kind: str, field: "pidfile" },
  { name: "debug", flags: ["-D", "--debug"], kind: bool, field: "debug", reload: true },
  {
    name: "log-level", flags: ["-l", "--log-level"], kind: str, field: "logLevel", reload: true,
    validate: (l: string) => void (LOG_LEVELS.includes(l.toLowerCase()) || fail(`invalid logging level: ${l}`)),
  },
  { name: "labels", flags: ["--label"], kind: list, field: "labels", reload: true, validate: validateLabels },
  { name: "bridge", flags: ["-b", "--bridge"], kind: str, field: "bridge" },
  { name: "bip", flags: ["--bip"], kind: str, field: "bip" },
  { name: "iptables", flags: ["--iptables"], kind: bool, field: "iptables" },
  { name: "ip-forward", flags: ["--ip-forward"], kind: bool, field: "ipForward" },
  { name: "userland-proxy", flags: ["--userland-proxy"], kind: bool, field: "userlandProxy" },
  { name: "icc", flags: ["--icc"], kind: bool, field: "icc" },
  { name: "mtu", flags: ["--mtu"], kind: int, field: "mtu", validate: (n: number) => void (n < 0 && fail(`invalid default MTU: ${n}`)) },
  { name: "default-address-pools", flags: ["--default-address-pool"], kind: json(parsePoolFlag, checkPools), field: "defaultAddressPools" },
  { name: "dns", flags: ["--dns"], kind: list, field: "dns", validate: (ips: string[]) => ips.forEach(validateIp) },
  { name: "dns-search", flags: ["--dns-search"], kind: list, field: "dnsSearch" },
  { name: "dns-opts", flags: ["--dns-opt"], kind: list, field: "dnsOpts" },
  { name: "default-runtime", flags: ["--default-runtime"], kind: str, field: "defaultRuntime" },
  { name: "runtimes", flags: ["--add-runtime"], kind: json(parseRuntimeFlag, checkRuntimes), field: "runtimes", mergeable: true },
  { name: "init", flags: ["--init"], kind: bool, field: "init" },
  { name: "init-path", flags: ["--init-path"], kind: str, field: "initPath" },
  { name: "live-restore", flags: ["--live-restore"], kind: bool, field: "liveRestore", reload: true },
  { name: "cgroup-parent", flags: ["--cgroup-parent"], kind: str, field: "cgroupParent" },
  { name: "default-ulimits", flags: ["--default-ulimit"], kind: json(parseUlimitFlag, checkUlimits), field: "defaultUlimits" },
  {
    name: "default-shm-size", flags: ["--default-shm-size"], kind: shmSize, field: "defaultShmSize",
    validate: (s: string) => void ((ramInBytes(s) ?? 0) <= 0 && fail(`invalid size: '${s}'`)),
  },
  { name: "insecure-registries", flags: ["--insecure-registry"], kind: list, field: "insecureRegistries", reload: true },
  { name: "registry-mirrors", flags: ["--registry-mirror"], kind: list, field: "registryMirrors", reload: true,
    validate: (ms: string[]) => ms.forEach((m) => void (/^https?:\/\/[^/]/.test(m) || fail(`invalid mirror: unsupported scheme "${m.split("://")[0]}" in "${m}": must use either 'https://' or 'http://'`))) },
  {
    name: "max-concurrent-downloads", flags: ["--max-concurrent-downloads"], kind: int, field: "maxConcurrentDownloads", reload: true,
    validate: (n: number) => void (n < 0 && fail(`invalid max concurrent downloads: ${n}`)),
  },
  {
    name: "max-concurrent-uploads", flags: ["--max-concurrent-uploads"], kind: int, field: "maxConcurrentUploads", reload: true,
    validate: (n: number) => void (n < 0 && fail(`invalid max concurrent uploads: ${n}`)),
  },
  {
    name: "max-download-attempts", flags: ["--max-download-attempts"], kind: int, field: "maxDownloadAttempts", reload: true,
    validate: (n: number) => void (n < 1 && fail(`invalid max download attempts: ${n}`)),
  },
  {
    // wharf's own (dockerd waits for a stalled registry forever): seconds without a byte before an attempt is given up.
    name: "registry-stall-timeout", kind: int, field: "registryStallTimeout", reload: true,
    validate: (n: number) => void (n < 1 && fail(`invalid registry stall timeout: ${n}`)),
  },
  {
    name: "shutdown-timeout", flags: ["--shutdown-timeout"], kind: int, field: "shutdownTimeout", reload: true,
    validate: (n: number) => void (n < 0 && fail(`invalid shutdown timeout: ${n}`)),
  },
  { name: "experimental", flags: ["--experimental"], kind: bool, field: "experimental" },
  { name: "features", kind: json((t) => fail(`unknown flag value ${t}`), checkFeatures), field: "features", reload: true },
  { name: "metrics-addr", flags: ["--metrics-addr"], kind: str, field: "metricsAddr" },
  // dockerd settings wharf accepts so a dockerd daemon.json keeps working, without acting on them.
  { name: "storage-driver", flags: ["-s", "--storage-driver"], kind: str, ignored: "wharf always uses overlay2" },
  { name: "storage-opts", flags: ["--storage-opt"], kind: list, ignored: "overlay2 takes no options in wharf" },
  { name: "exec-opts", flags: ["--exec-opt"], kind: list, ignored: "wharf uses the cgroupfs driver" },
  { name: "containerd", flags: ["--containerd"], kind: str, ignored: "wharf has no containerd" },
  { name: "userns-remap", flags: ["--userns-remap"], kind: str, ignored: "user namespaces are not supported yet" },
  { name: "fixed-cidr", flags: ["--fixed-cidr"], kind: str, ignored: "use --bip" },
  { name: "ip", flags: ["--ip"], kind: str, ignored: "ports bind to the address given with -p" },
  { name: "ip-masq", flags: ["--ip-masq"], kind: bool, ignored: "masquerading follows --iptables" },
  { name: "log-format", flags: ["--log-format"], kind: str, ignored: "the daemon's own log is text" },
  { name: "default-cgroupns-mode", flags: ["--default-cgroupns-mode"], kind: str, ignored: "cgroup namespaces follow the host's cgroup version" },
  { name: "selinux-enabled", flags: ["--selinux-enabled"], kind: bool, ignored: "SELinux is not supported" },
  { name: "no-new-privileges", flags: ["--no-new-privileges"], kind: bool, ignored: "set it per container with --security-opt" },
];
