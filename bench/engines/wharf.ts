// wharf's daemon on private roots, driven by the real docker CLI (and by wharf's own CLI for one row).
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Engine } from "./engine.js";
import { engineDirs, REPO } from "./paths.js";
import { createBridge, deleteBridge } from "./bridge.js";
import { removeCgroupTree, removeDirs, terminate, unmountUnder } from "./cleanup.js";
import { listProcs } from "../lib/host.js";
import { childEnv, must, runCmd, waitFor, type Cmd } from "../lib/proc.js";
import { apiRequest } from "./api.js";

export const WHARF_BIN = path.join(REPO, "bin", "wharf");

export class WharfEngine implements Engine {
  readonly name = "wharf" as const;
  readonly label = "wharf";
  readonly dirs = engineDirs("wharf");
  readonly bridge = `wbw${this.dirs.execRoot.slice(-6)}`;
  private proc?: ChildProcess;

  /** @param nodeArgs extra node flags for the daemon (e.g. --cpu-prof). */
  constructor(private readonly nodeArgs: string[] = []) {}

  get socket(): string {
    return this.dirs.socket;
  }

  private get env(): Record<string, string> {
    return { DOCKER_HOST: `unix://${this.dirs.socket}`, DOCKER_CONFIG: `${this.dirs.base}/docker-config` };
  }

  cli(args: string[]): Cmd {
    return { cmd: "docker", args, env: this.env };
  }

  /** wharf's own CLI: `bin/wharf` with Node start-up included. */
  ownCli(args: string[]): Cmd {
    return { cmd: WHARF_BIN, args, env: this.env };
  }

  /** /metrics of this daemon (the metrics-scrape scenario); a fixed port in the bench's private range would clash: picked at construction. */
  readonly metricsAddr = `127.0.0.1:${20000 + Math.floor(Math.random() * 20000)}`;

  async start(): Promise<void> {
    await fs.mkdir(`${this.dirs.base}/docker-config`, { recursive: true });
    // dockerd's --bridge semantics: the named bridge exists already; wharf uses it once networking lands.
    if (!this.proc) await createBridge(this.bridge, "10.252.0.1/24");
    const d = this.dirs;
    const log = await fs.open(d.log, "a");
    this.proc = spawn(
      process.execPath,
      [...this.nodeArgs, WHARF_BIN, "daemon", "-H", `unix://${d.socket}`, "--data-root", d.dataRoot, "--exec-root", d.execRoot, "--pidfile", d.pidfile,
        "--cgroup-parent", d.cgroupParent, "--bridge", this.bridge, "--metrics-addr", this.metricsAddr],
      { stdio: ["ignore", log.fd, log.fd], env: childEnv() },
    );
    await log.close();
    await waitFor(`wharf daemon to answer (log ${d.log})`, async () => {
      if (this.proc?.exitCode !== null) throw new Error(`wharf daemon exited: ${(await fs.readFile(d.log, "utf8")).slice(-800)}`);
      return (await apiRequest(d.socket, "GET", "/_ping").catch(() => undefined))?.status === 200;
    }, 60_000);
  }

  /** When the daemon died (a crash is a finding): the tail of its log, after restarting it on the same roots. */
  async reviveIfDead(): Promise<string | undefined> {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) return undefined;
    const how = `exit ${this.proc?.exitCode ?? this.proc?.signalCode}`;
    const tail = (await fs.readFile(this.dirs.log, "utf8").catch(() => "")).trim().split("\n").slice(-6).join(" ⏎ ");
    await fs.appendFile(this.dirs.log, "--- bench: restarting the daemon ---\n");
    await this.start();
    return `${how}; log: ${tail.slice(-900)}`;
  }

  async loadBusybox(tar: string): Promise<void> {
    await must(this.cli(["import", "-c", 'CMD ["sh"]', tar, "busybox:latest"]));
  }

  async daemonPids(): Promise<number[]> {
    return this.proc?.pid ? [this.proc.pid] : [];
  }

  async monitorPids(): Promise<number[]> {
    return (await listProcs()).filter((p) => p.comm === "wharf-shim" && p.cmdline.includes(this.dirs.execRoot)).map((p) => p.pid);
  }

  async removeAllContainers(): Promise<void> {
    const ids = (await runCmd(this.cli(["ps", "-aq"]))).stdout.split("\n").filter(Boolean);
    for (let i = 0; i < ids.length; i += 50) await runCmd(this.cli(["rm", "-f", ...ids.slice(i, i + 50)]), { timeoutMs: 300_000 });
  }

  publishFlags(hostPort: number, containerPort: number): string[] {
    return ["-p", `127.0.0.1:${hostPort}:${containerPort}`];
  }

  async stop(): Promise<void> {
    await terminate(this.proc?.pid, 30_000);
    await runCmd({ cmd: "sh", args: ["-c", `pkill -9 -f 'wharf-shim.*${this.dirs.execRoot}'; true`] });
    await unmountUnder([this.dirs.base, this.dirs.execRoot]);
    await removeCgroupTree(this.dirs.cgroupParent);
    await deleteBridge(this.bridge);
    await removeDirs([this.dirs.base, this.dirs.execRoot, this.dirs.socket]);
  }
}
