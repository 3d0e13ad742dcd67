import { promises as fs } from "node:fs";
import path from "node:path";
import { loadDaemonConfig, DEFAULT_SOCKET, type DaemonConfig } from "./config.js";
import type { LoadedConfig } from "./config/load.js";
import { reloadDaemonConfig } from "./config/reload.js";
import { lockDataRoot } from "./data-root-lock.js";
import { Daemon } from "./daemon.js";
import { prepareApiListeners, type ApiListeners } from "./api-listeners.js";
import { log, setLogLevel } from "../lib/log.js";
import { errorMessage } from "../lib/errors.js";

const HELP = `Usage:	wharf daemon [OPTIONS]

A self-sufficient runtime for containers (Docker-compatible)

Options:
      --add-runtime name=path   Register an additional OCI compatible runtime
      --bip string              Specify default-bridge IP
  -b, --bridge string           Attach containers to a network bridge
      --cgroup-parent string    Set parent cgroup for all containers (default "/wharf")
      --config-file string      Daemon configuration file (default "/etc/wharf/daemon.json")
      --default-address-pool    Default address pools for node specific local networks
      --default-shm-size bytes  Default shm size for containers (default 64MiB)
      --default-ulimit ulimit   Default ulimits for containers
      --dns list                DNS server to use
      --dns-opt list            DNS options to use
      --dns-search list         DNS search domains to use
      --data-root string        Root directory of persistent state (default "/var/lib/wharf")
  -D, --debug                   Enable debug mode
      --default-runtime string  Default OCI runtime for containers (crun or runc)
      --exec-root string        Root directory for execution state files (default "/var/run/wharf")
  -H, --host list               Daemon socket(s) to connect to (default unix://${DEFAULT_SOCKET})
      --init                    Run an init in the container to forward signals and reap processes
      --insecure-registry list  Enable insecure registry communication
      --iptables                Enable addition of iptables rules (default true)
      --live-restore            Keep containers running when the daemon stops
      --label list              Set key=value labels to the daemon
  -l, --log-level string        Set the logging level ("debug"|"info"|"warn"|"error"|"fatal") (default "info")
      --log-driver string       Default driver for container logs (default "json-file")
      --log-opt map             Default log driver options for containers
      --max-concurrent-downloads int  Set the max concurrent downloads (default 3)
      --max-concurrent-uploads int    Set the max concurrent uploads (default 5)
      --metrics-addr string     Set default address and port to serve the metrics api on
  -p, --pidfile string          Path to use for daemon PID file (default "/var/run/wharf.pid")
      --registry-mirror list    Preferred registry mirror
      --shutdown-timeout int    Set the default shutdown timeout (default 15)
      --tls                     Use TLS; implied by --tlsverify
      --tlscacert string        Trust certs signed only by this CA (default "~/.docker/ca.pem")
      --tlscert string          Path to TLS certificate file (default "~/.docker/cert.pem")
      --tlskey string           Path to TLS key file (default "~/.docker/key.pem")
      --tlsverify               Use TLS and verify the remote
      --ui-addr string          Serve the web dashboard on HOST:PORT (loopback, or any address with TLS)
      --userland-proxy          Use userland proxy for loopback traffic (default true)
      --validate                Validate daemon configuration and exit

SIGHUP re-reads the configuration file and applies debug, log-level, labels,
insecure-registries, registry-mirrors, max-concurrent-downloads/uploads,
live-restore, shutdown-timeout, features and the default log-driver/log-opts.
`;

/** `wharf daemon`: run the Engine API server until SIGTERM/SIGINT. */
export async function runDaemon(args: string[]): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(HELP);
    return;
  }
  let loaded: LoadedConfig;
  try {
    loaded = await loadDaemonConfig(args);
  } catch (err) {
    process.stderr.write(`wharf daemon: ${errorMessage(err)}\n`);
    process.exit(args.includes("--validate") ? 1 : 125);
  }
  const cfg = loaded.config;
  applyLogLevel(cfg);
  let listeners: ApiListeners;
  try {
    listeners = await prepareApiListeners(cfg, DEFAULT_SOCKET);
  } catch (err) {
    process.stderr.write(`wharf daemon: ${errorMessage(err)}\n`);
    process.exit(1);
  }
  if (loaded.flags.validate) {
    // Like dockerd (and nginx -t): the verdict goes to stderr.
    process.stderr.write("configuration OK\n");
    return;
  }
  for (const w of loaded.warnings) log.warn(w);
  cfg.hosts = listeners.hosts;
  for (const w of listeners.startWarnings) log.warn(w.message, { host: w.host });
  await fs.mkdir(cfg.dataRoot, { recursive: true, mode: 0o710 });
  let unlock: () => Promise<void>;
  try {
    unlock = await lockDataRoot(cfg.dataRoot);
  } catch (err) {
    process.stderr.write(`wharf daemon: ${errorMessage(err)}\n`);
    process.exit(1);
  }
  const daemon = new Daemon(cfg, { tls: listeners.tls, infoWarnings: listeners.infoWarnings, ui: listeners.ui });
  try {
    await daemon.start();
  } catch (err) {
    await unlock();
    process.stderr.write(`wharf daemon: failed to start: ${errorMessage(err)}\n`);
    process.exit(1);
  }
  await fs.mkdir(path.dirname(cfg.pidfile), { recursive: true });
  await fs.writeFile(cfg.pidfile, String(process.pid));
  log.info("API listen", { hosts: cfg.hosts.join(","), dataRoot: cfg.dataRoot, pid: process.pid });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    // Like dockerd: without --live-restore, running containers are stopped with the daemon.
    // (With it, they keep running under their monitors and a restarted daemon reconnects.)
    await daemon.stop(!cfg.liveRestore).catch(() => undefined);
    await fs.rm(cfg.pidfile, { force: true });
    await unlock();
    process.exit(0);
  };
  process.on("SIGHUP", () => {
    reloadDaemonConfig(cfg, loaded)
      .then((changes) => {
        applyLogLevel(cfg);
        daemon.configReloaded(changes);
        log.info("Reloaded configuration", { file: loaded.file, changed: changes.map((c) => `${c.key}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`).join("; ") || "nothing" });
      })
      .catch((err) => log.error("Error reconfiguring the daemon: the configuration is unchanged", { file: loaded.file, error: errorMessage(err) }));
  });
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("uncaughtException", (err) => log.error("uncaught exception", { error: err.stack ?? String(err) }));
  process.on("unhandledRejection", (err) => log.error("unhandled rejection", { error: (err as Error)?.stack ?? String(err) }));
}

function applyLogLevel(cfg: DaemonConfig): void {
  const level = cfg.debug ? "debug" : (cfg.logLevel ?? "info").toLowerCase();
  setLogLevel(level === "fatal" || level === "panic" ? "error" : level === "trace" ? "debug" : (level as "info"));
}
