import type { AddressPool, Ulimit } from "./config/engine-keys.js";
import type { TlsSettings } from "./api-tls.js";

/**
 * Daemon settings: dockerd's flags and daemon.json keys. Each key is declared
 * once in a table (`config/keys.ts`); `config/load.ts` reads flags and the file
 * through it. Services keep a reference to this object and read it when they
 * act, so a SIGHUP reload (which assigns the reloadable fields) reaches them.
 */
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
  icc?: boolean;
  mtu?: number;
  defaultAddressPools: AddressPool[];
  dns: string[];
  dnsSearch: string[];
  dnsOpts: string[];
  defaultRuntime: string;
  /** name → runtime binary path (and args). crun and runc are always known when installed. */
  runtimes: Record<string, { path: string; runtimeArgs?: string[] }>;
  /** Default log driver and options for containers that name none. */
  logDriver: string;
  logOpts: Record<string, string>;
  labels: string[];
  debug: boolean;
  logLevel?: string;
  liveRestore: boolean;
  init: boolean;
  initPath?: string;
  defaultUlimits: Record<string, Ulimit>;
  /** As written (e.g. "64M"); containers without --shm-size get it. */
  defaultShmSize?: string;
  insecureRegistries: string[];
  registryMirrors: string[];
  maxConcurrentDownloads: number;
  maxConcurrentUploads: number;
  /** Attempts per layer download (dockerd's max-download-attempts). */
  maxDownloadAttempts: number;
  /** wharf's own: seconds without a byte from a registry before a transfer attempt is given up. */
  registryStallTimeout: number;
  /** Seconds a shutdown waits for containers to stop. */
  shutdownTimeout: number;
  experimental: boolean;
  features: Record<string, boolean>;
  metricsAddr?: string;
  /** The dashboard's HOST:PORT; unset = no dashboard (and none of its code loaded). */
  uiAddr?: string;
  cgroupParent: string;
  /** API TLS as given (unset = not said); api-tls.ts applies dockerd's rules. */
  tls: TlsSettings;
}

export const DEFAULT_SOCKET = "/var/run/wharf.sock";
export const DEFAULT_CONFIG_FILE = "/etc/wharf/daemon.json";

export function defaultConfig(): DaemonConfig {
  return {
    hosts: [],
    dataRoot: "/var/lib/wharf",
    execRoot: "/var/run/wharf",
    pidfile: "/var/run/wharf.pid",
    iptables: true,
    ipForward: true,
    userlandProxy: true,
    defaultAddressPools: [],
    dns: [],
    dnsSearch: [],
    dnsOpts: [],
    defaultRuntime: "",
    runtimes: {},
    logDriver: "json-file",
    logOpts: {},
    labels: [],
    debug: false,
    liveRestore: false,
    init: false,
    defaultUlimits: {},
    insecureRegistries: [],
    registryMirrors: [],
    maxConcurrentDownloads: 3,
    maxConcurrentUploads: 5,
    maxDownloadAttempts: 5,
    registryStallTimeout: 30,
    shutdownTimeout: 15,
    experimental: false,
    features: {},
    cgroupParent: "/wharf",
    tls: {},
  };
}

export { loadDaemonConfig, parseDaemonFlags } from "./config/load.js";
