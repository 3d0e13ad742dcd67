// dockerd 20.10 (with its managed containerd) on private roots, a private socket and its own bridge.
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import type { Engine } from "./engine.js";
import { engineDirs } from "./paths.js";
import { createBridge, deleteBridge } from "./bridge.js";
import { removeCgroupTree, removeDirs, terminate, unmountUnder } from "./cleanup.js";
import { listProcs } from "../lib/host.js";
import { must, runCmd, waitFor, type Cmd } from "../lib/proc.js";
import { apiRequest } from "./api.js";

export class DockerdEngine implements Engine {
  readonly name = "dockerd" as const;
  readonly label = "dockerd 20.10";
  readonly dirs = engineDirs("docker");
  readonly bridge = `wbd${this.dirs.execRoot.slice(-6)}`;
  private proc?: ChildProcess;

  cli(args: string[]): Cmd {
    return { cmd: "docker", args, env: { DOCKER_HOST: `unix://${this.dirs.socket}`, DOCKER_CONFIG: `${this.dirs.base}/docker-config` } };
  }

  async start(): Promise<void> {
    await fs.mkdir(`${this.dirs.base}/docker-config`, { recursive: true });
    await createBridge(this.bridge, "10.250.0.1/24");
    const log = await fs.open(this.dirs.log, "a");
    const d = this.dirs;
    this.proc = spawn(
      "dockerd",
      ["--data-root", d.dataRoot, "--exec-root", d.execRoot, "--pidfile", d.pidfile, "-H", `unix://${d.socket}`, "--bridge", this.bridge,
        "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--cgroup-parent", d.cgroupParent, "--storage-driver", "overlay2"],
      { stdio: ["ignore", log.fd, log.fd] },
    );
    await log.close();
    await waitFor(`dockerd to answer (log ${d.log})`, async () => {
      if (this.proc?.exitCode !== null) throw new Error(`dockerd exited: ${(await fs.readFile(d.log, "utf8")).slice(-800)}`);
      return (await apiRequest(d.socket, "GET", "/_ping").catch(() => undefined))?.status === 200;
    }, 60_000);
  }

  async loadBusybox(tar: string): Promise<void> {
    await must(this.cli(["import", "-c", 'CMD ["sh"]', tar, "busybox:latest"]));
  }

  async daemonPids(): Promise<number[]> {
    const pid = this.proc?.pid;
    if (!pid) return [];
    const procs = await listProcs();
    return [pid, ...procs.filter((p) => p.comm === "containerd" && p.cmdline.includes(this.dirs.execRoot)).map((p) => p.pid)];
  }

  async monitorPids(): Promise<number[]> {
    return (await listProcs()).filter((p) => p.comm.startsWith("containerd-shim") && p.cmdline.includes(this.dirs.execRoot)).map((p) => p.pid);
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
    await unmountUnder([this.dirs.dataRoot, this.dirs.execRoot]);
    await removeCgroupTree(this.dirs.cgroupParent);
    await deleteBridge(this.bridge);
    await removeDirs([this.dirs.base, this.dirs.execRoot, this.dirs.socket]);
  }
}
