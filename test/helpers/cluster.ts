import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { TestDaemon, api, run, waitFor, type RunResult } from "./daemon.js";

/**
 * Several "hosts" on one machine for swarm tests: one network namespace per
 * host (`wsw-<rand>-<i>`), joined by a bridge the test makes (`wsw<rand>`),
 * addresses from 10.213.0.0/16 only (reserved for these tests), each host
 * running its own wharf daemon (and, once in a swarm, its own etcd member)
 * with its own UTS hostname. `destroy()` removes all of it.
 */
export class ClusterHost {
  readonly daemon = new TestDaemon();
  constructor(readonly netns: string, readonly ip: string, readonly hostname: string, readonly index: number) {
    // nsenter, not `ip netns exec`: that remounts /sys, which hides /sys/fs/cgroup from the OCI runtime.
    this.daemon.startTimeoutMs = 90_000;
    this.daemon.wrap = ["nsenter", `--net=/run/netns/${netns}`, "--", "unshare", "--uts", "--", "sh", "-c", 'hostname "$0" && exec "$@"', hostname];
  }

  get env(): Record<string, string> {
    return this.daemon.env;
  }

  /** The real docker CLI against this host's daemon. */
  docker(args: string[], timeoutMs = 120_000): Promise<RunResult> {
    return run("docker", args, { env: this.env, timeoutMs });
  }

  /** A command inside this host's network namespace. */
  exec(cmd: string[], timeoutMs = 20_000): Promise<RunResult> {
    return run("nsenter", [`--net=/run/netns/${this.netns}`, "--", ...cmd], { timeoutMs });
  }

  api(method: string, path: string, body?: unknown) {
    return api(this.daemon.socket, method, path, body);
  }

  /** The host dies for the cluster: its daemon and its etcd member are SIGKILLed (task containers keep running). */
  async killNode(): Promise<void> {
    await this.daemon.kill9();
    const pid = Number(await readFile(`${this.daemon.dataRoot}/swarm/etcd/etcd.pid`, "utf8").catch(() => ""));
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }

  /** Start the daemon again on the same state (it rejoins its swarm). */
  async restart(): Promise<void> {
    await this.daemon.start(["--bip", `10.213.${20 + this.index}.1/24`]);
  }

  async start(): Promise<void> {
    await this.daemon.start(["--bip", `10.213.${20 + this.index}.1/24`]);
    await this.daemon.seedBusybox();
  }
}

/** WHARF_TEST_KEEP_LOGS=dir: each host's daemon and etcd logs are copied there before cleanup (debugging a failed run). */
async function copyLogs(h: ClusterHost, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await copyFile(h.daemon.logFile, `${dir}/${h.hostname}-daemon.log`).catch(() => undefined);
  await copyFile(`${h.daemon.dataRoot}/swarm/etcd/etcd.log`, `${dir}/${h.hostname}-etcd.log`).catch(() => undefined);
}

function sh(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
}

export class TestCluster {
  readonly id = randomBytes(3).toString("hex");
  readonly bridge = `wsw${this.id}`;
  readonly hosts: ClusterHost[] = [];

  static async create(n: number): Promise<TestCluster> {
    const c = new TestCluster();
    try {
      sh("ip", ["link", "add", c.bridge, "type", "bridge"]);
      sh("ip", ["link", "set", c.bridge, "up"]);
      for (let i = 0; i < n; i++) {
        const ns = `wsw-${c.id}-${i}`;
        const veth = `wsv${c.id}${i}`;
        sh("ip", ["netns", "add", ns]);
        sh("ip", ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns]);
        sh("ip", ["link", "set", veth, "master", c.bridge, "up"]);
        const ip = `10.213.0.${i + 1}`;
        sh("ip", ["-n", ns, "addr", "add", `${ip}/24`, "dev", "eth0"]);
        sh("ip", ["-n", ns, "link", "set", "eth0", "up"]);
        sh("ip", ["-n", ns, "link", "set", "lo", "up"]);
        c.hosts.push(new ClusterHost(ns, ip, `wsw${c.id}n${i + 1}`, i));
      }
      await Promise.all(c.hosts.map((h) => h.start()));
    } catch (err) {
      await c.destroy();
      throw err;
    }
    return c;
  }

  private async keepLogs(): Promise<void> {
    const dir = process.env.WHARF_TEST_KEEP_LOGS;
    if (dir) for (const h of this.hosts) await copyLogs(h, dir);
  }

  /** Stop every daemon (each leaves its swarm first), then remove netns, bridge and leftovers. */
  async destroy(): Promise<void> {
    await this.keepLogs();
    for (const h of this.hosts) {
      if (h.daemon.proc && h.daemon.proc.exitCode === null) await h.docker(["swarm", "leave", "--force"], 30_000).catch(() => undefined);
    }
    await Promise.all(this.hosts.map((h) => h.daemon.stop().catch(() => undefined)));
    for (const h of this.hosts) {
      // etcd members and task processes live in the namespace: end them by the namespace, never by name.
      const pids = execFileSync("ip", ["netns", "pids", h.netns], { encoding: "utf8" }).split(/\s+/).filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          /* gone */
        }
      }
      await waitFor(`processes of ${h.netns} to exit`, () => execFileSync("ip", ["netns", "pids", h.netns], { encoding: "utf8" }).trim() === "", 10_000).catch(() => undefined);
      try {
        sh("ip", ["netns", "delete", h.netns]);
      } catch {
        /* already gone */
      }
    }
    try {
      sh("ip", ["link", "delete", this.bridge]);
    } catch {
      /* already gone */
    }
  }
}
