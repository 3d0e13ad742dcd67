import { spawn } from "node:child_process";
import { promises as fs, openSync, closeSync } from "node:fs";
import path from "node:path";
import { log } from "../lib/log.js";

/**
 * This node's etcd member (managers only): a child process of the daemon
 * started with mutual TLS on both its client and peer ports, using the
 * node's certificate from the cluster CA. It runs in its own session so a
 * crashed daemon leaves it running; a restarted daemon adopts it through the
 * pidfile. A clean daemon shutdown stops it.
 */
export interface EtcdMemberConfig {
  name: string;
  dir: string;
  addr: string;
  clientPort: number;
  peerPort: number;
  /** `name=https://ip:port,…` of every member including this one. */
  initialCluster: string;
  state: "new" | "existing";
  clusterToken: string;
  ca: string;
  cert: string;
  key: string;
}

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;

export function peerUrl(addr: string, port = ETCD_PEER_PORT): string {
  return `https://${addr}:${port}`;
}

export function clientUrl(addr: string, port = ETCD_CLIENT_PORT): string {
  return `https://${addr}:${port}`;
}

export class EtcdMember {
  constructor(private readonly cfg: EtcdMemberConfig) {}

  private get pidfile(): string {
    return path.join(this.cfg.dir, "etcd.pid");
  }

  private async runningPid(): Promise<number | undefined> {
    const pid = Number(await fs.readFile(this.pidfile, "utf8").catch(() => ""));
    if (!pid) return undefined;
    const cmd = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    return cmd.includes(this.cfg.dir) && cmd.startsWith("etcd") ? pid : undefined;
  }

  /** Start the member, or adopt the one a crashed daemon left running. */
  async start(): Promise<void> {
    const c = this.cfg;
    await fs.mkdir(c.dir, { recursive: true, mode: 0o700 });
    if (await this.runningPid()) return;
    const tls = path.join(c.dir, "tls");
    await fs.mkdir(tls, { recursive: true, mode: 0o700 });
    await fs.writeFile(`${tls}/ca.crt`, c.ca);
    await fs.writeFile(`${tls}/node.crt`, c.cert);
    await fs.writeFile(`${tls}/node.key`, c.key, { mode: 0o600 });
    const args = [
      "--name", c.name,
      "--data-dir", path.join(c.dir, "data"),
      "--listen-client-urls", clientUrl(c.addr, c.clientPort),
      "--advertise-client-urls", clientUrl(c.addr, c.clientPort),
      "--listen-peer-urls", peerUrl(c.addr, c.peerPort),
      "--initial-advertise-peer-urls", peerUrl(c.addr, c.peerPort),
      "--initial-cluster", c.initialCluster,
      "--initial-cluster-state", c.state,
      "--initial-cluster-token", c.clusterToken,
      "--client-cert-auth", "--trusted-ca-file", `${tls}/ca.crt`, "--cert-file", `${tls}/node.crt`, "--key-file", `${tls}/node.key`,
      "--peer-client-cert-auth", "--peer-trusted-ca-file", `${tls}/ca.crt`, "--peer-cert-file", `${tls}/node.crt`, "--peer-key-file", `${tls}/node.key`,
      // Fast failure detection: a dead member is noticed in about a second.
      "--heartbeat-interval", "100", "--election-timeout", "1000",
      "--logger", "zap", "--log-level", "warn",
      "--auto-compaction-mode", "revision", "--auto-compaction-retention", "1000",
    ];
    const out = openSync(path.join(c.dir, "etcd.log"), "a");
    const child = spawn("etcd", args, { stdio: ["ignore", out, out], detached: true, env: { ...process.env, ETCD_UNSUPPORTED_ARCH: "" } });
    closeSync(out);
    child.unref();
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (err) => reject(new Error(`cannot start etcd: ${err.message}; is the etcd-server package installed?`)));
    });
    await fs.writeFile(this.pidfile, String(child.pid));
    log.info("etcd member started", { name: c.name, pid: child.pid, addr: c.addr });
  }

  /** Stop the member (SIGTERM, then SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const pid = await this.runningPid();
    if (!pid) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      return;
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (!(await this.runningPid())) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (await this.runningPid()) process.kill(pid, "SIGKILL");
    await fs.rm(this.pidfile, { force: true });
  }

  /** Stop and delete the member's data (swarm leave). */
  async destroy(): Promise<void> {
    await this.stop();
    await fs.rm(this.cfg.dir, { recursive: true, force: true });
  }
}
