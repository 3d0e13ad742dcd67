import { promises as fs } from "node:fs";
import { InvalidArgumentError } from "../lib/errors.js";
import type { TlsSettings } from "./api-tls.js";

/** Daemon settings: dockerd's flags, merged over daemon.json (flags win). */
export interface DaemonConfig {
  hosts: string[];
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  configFile?: string;
  bridge?: string;
  bip?: string;
  iptables: boolean;
  ipForward: boolean;
  userlandProxy: boolean;
  defaultRuntime: string;
  /** name → runtime binary path (and args). crun and runc are always known when installed. */
  runtimes: Record<string, { path: string; runtimeArgs?: string[] }>;
  logDriver: string;
  logOpts: Record<string, string>;
  labels: string[];
  debug: boolean;
  liveRestore: boolean;
  init: boolean;
  initPath?: string;
  insecureRegistries: string[];
  registryMirrors: string[];
  metricsAddr?: string;
  cgroupParent: string;
  /** API TLS as given (unset = not said); api-tls.ts applies dockerd's rules. */
  tls: TlsSettings;
}

export const DEFAULT_SOCKET = "/var/run/wharf.sock";

export function defaultConfig(): DaemonConfig {
  return {
    hosts: [],
    dataRoot: "/var/lib/wharf",
    execRoot: "/var/run/wharf",
    pidfile: "/var/run/wharf.pid",
    iptables: true,
    ipForward: true,
    userlandProxy: true,
    defaultRuntime: "",
    runtimes: {},
    logDriver: "json-file",
    logOpts: {},
    labels: [],
    debug: false,
    liveRestore: false,
    init: false,
    insecureRegistries: [],
    registryMirrors: [],
    cgroupParent: "/wharf",
    tls: {},
  };
}

type FlagKind = "string" | "bool" | "list";
// dockerd flag name → [config key, kind]. Short aliases map to the same key.
const FLAGS: Record<string, [string, FlagKind]> = {
  "-H": ["hosts", "list"], "--host": ["hosts", "list"],
  "--data-root": ["dataRoot", "string"], "-g": ["dataRoot", "string"], "--graph": ["dataRoot", "string"],
  "--exec-root": ["execRoot", "string"],
  "-p": ["pidfile", "string"], "--pidfile": ["pidfile", "string"],
  "--config-file": ["configFile", "string"],
  "-b": ["bridge", "string"], "--bridge": ["bridge", "string"],
  "--bip": ["bip", "string"],
  "--iptables": ["iptables", "bool"],
  "--ip-forward": ["ipForward", "bool"],
  "--userland-proxy": ["userlandProxy", "bool"],
  "--default-runtime": ["defaultRuntime", "string"],
  "--add-runtime": ["runtimes", "list"],
  "--log-driver": ["logDriver", "string"],
  "--log-opt": ["logOpts", "list"],
  "--label": ["labels", "list"],
  "-D": ["debug", "bool"], "--debug": ["debug", "bool"],
  "--live-restore": ["liveRestore", "bool"],
  "--init": ["init", "bool"],
  "--init-path": ["initPath", "string"],
  "--insecure-registry": ["insecureRegistries", "list"],
  "--registry-mirror": ["registryMirrors", "list"],
  "--metrics-addr": ["metricsAddr", "string"],
  "--cgroup-parent": ["cgroupParent", "string"],
  "--tlsverify": ["tls.verify", "bool"], "--tls": ["tls.enabled", "bool"],
  "--tlscacert": ["tls.ca", "string"], "--tlscert": ["tls.cert", "string"], "--tlskey": ["tls.key", "string"],
  "-l": ["logLevel", "string"], "--log-level": ["logLevel", "string"],
  "--storage-driver": ["storageDriver", "string"], "-s": ["storageDriver", "string"],
  "--icc": ["icc", "bool"], "--ip": ["ip", "string"], "--mtu": ["mtu", "string"],
  "--fixed-cidr": ["fixedCidr", "string"], "--default-address-pool": ["addressPools", "list"],
  "--dns": ["dns", "list"], "--dns-search": ["dnsSearch", "list"], "--dns-opt": ["dnsOpt", "list"],
  "--experimental": ["experimental", "bool"], "--containerd": ["containerd", "string"],
  "--exec-opt": ["execOpts", "list"], "--default-ulimit": ["defaultUlimits", "list"],
  "--userns-remap": ["usernsRemap", "string"], "--max-concurrent-downloads": ["maxDownloads", "string"],
};

/** Parsed flags as raw values keyed by config key (only what the user gave). */
export function parseDaemonFlags(args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("-") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const spec = FLAGS[arg];
    if (!spec) throw new InvalidArgumentError(`unknown flag: ${arg}\nSee 'wharf daemon --help'.`);
    const [key, kind] = spec;
    if (kind === "bool") {
      if (value === undefined && (args[i + 1] === "true" || args[i + 1] === "false")) value = args[++i];
      out[key] = value === undefined ? true : value === "true" || value === "1";
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= args.length) throw new InvalidArgumentError(`flag needs an argument: ${arg}`);
      value = args[++i];
    }
    if (kind === "list") out[key] = [...((out[key] as string[]) ?? []), value];
    else out[key] = value;
  }
  return out;
}

// daemon.json keys (dockerd's names) → config keys.
const JSON_KEYS: Record<string, string> = {
  hosts: "hosts", "data-root": "dataRoot", "exec-root": "execRoot", pidfile: "pidfile", bridge: "bridge", bip: "bip",
  iptables: "iptables", "ip-forward": "ipForward", "userland-proxy": "userlandProxy", "default-runtime": "defaultRuntime",
  runtimes: "runtimes", "log-driver": "logDriver", "log-opts": "logOpts", labels: "labels", debug: "debug",
  "live-restore": "liveRestore", init: "init", "init-path": "initPath", "insecure-registries": "insecureRegistries",
  "registry-mirrors": "registryMirrors", "metrics-addr": "metricsAddr", "cgroup-parent": "cgroupParent",
  tls: "tls.enabled", tlsverify: "tls.verify", tlscacert: "tls.ca", tlscert: "tls.cert", tlskey: "tls.key", "log-level": "logLevel",
};

export async function loadDaemonConfig(args: string[]): Promise<DaemonConfig & { logLevel?: string }> {
  const flags = parseDaemonFlags(args);
  const cfg = defaultConfig() as DaemonConfig & { logLevel?: string };
  const file = (flags.configFile as string | undefined) ?? "/etc/wharf/daemon.json";
  let fromFile: Record<string, unknown> = {};
  try {
    fromFile = JSON.parse(await fs.readFile(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" || flags.configFile) {
      throw new InvalidArgumentError(`unable to configure the daemon with file ${file}: ${(err as Error).message}`);
    }
  }
  for (const [k, v] of Object.entries(fromFile)) {
    const key = JSON_KEYS[k];
    if (!key) continue; // unknown daemon.json keys are tolerated, as options of features not built yet
    if (key === "runtimes") {
      for (const [name, r] of Object.entries(v as Record<string, { path: string; runtimeArgs?: string[] }>)) cfg.runtimes[name] = r;
    } else if (key === "logOpts") cfg.logOpts = { ...(v as Record<string, string>) };
    else assign(cfg, key, v);
  }
  for (const [key, v] of Object.entries(flags)) {
    if (key === "runtimes") {
      for (const spec of v as string[]) {
        const [name, path] = spec.split("=");
        if (!name || !path) throw new InvalidArgumentError(`invalid --add-runtime ${spec}: expected name=path`);
        cfg.runtimes[name] = { path };
      }
    } else if (key === "logOpts") {
      for (const kv of v as string[]) {
        const i = kv.indexOf("=");
        cfg.logOpts[kv.slice(0, i)] = kv.slice(i + 1);
      }
    } else assign(cfg, key, v);
  }
  return cfg;
}

function assign(cfg: object, key: string, value: unknown): void {
  const parts = key.split(".");
  let target = cfg as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) target = (target[p] ??= {}) as Record<string, unknown>;
  target[parts[parts.length - 1]] = value;
}
