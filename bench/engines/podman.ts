// Podman 4.3 (crun, conmon, netavark), daemonless, on private --root/--runroot with its own
// containers.conf (network config dir, bridge and subnet of its own).
import { promises as fs } from "node:fs";
import { randomBytes } from "node:crypto";
import type { Engine } from "./engine.js";
import { engineDirs } from "./paths.js";
import { removeCgroupTree, removeDirs, unmountUnder } from "./cleanup.js";
import { listProcs } from "../lib/host.js";
import { must, runCmd, type Cmd } from "../lib/proc.js";

export class PodmanEngine implements Engine {
  readonly name = "podman" as const;
  readonly label = "Podman 4.3";
  readonly dirs = engineDirs("podman");
  readonly bridge = `wbp${this.dirs.execRoot.slice(-6)}`;
  readonly network = `wbench-${this.dirs.execRoot.slice(-6)}`;

  private get conf(): string {
    return `${this.dirs.base}/containers.conf`;
  }

  cli(args: string[]): Cmd {
    const d = this.dirs;
    return {
      cmd: "podman",
      args: ["--root", d.dataRoot, "--runroot", d.execRoot, "--storage-driver", "overlay", "--tmpdir", `${d.base}/tmp`, "--cgroup-manager", "cgroupfs", ...args],
      env: { CONTAINERS_CONF: this.conf },
    };
  }

  async start(): Promise<void> {
    const d = this.dirs;
    await fs.mkdir(`${d.base}/tmp`, { recursive: true });
    // The host's hard limits (nofile 20000, no CAP_SYS_RESOURCE) reject Podman's default ulimits;
    // events go to a file (no journald here).
    await fs.writeFile(
      this.conf,
      [
        "[containers]",
        'default_ulimits = ["nofile=20000:20000", "nproc=20000:20000"]',
        'log_driver = "k8s-file"',
        "[engine]",
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        `events_logfile_path = "${d.base}/events.log"`,
        'runtime = "crun"',
        "[network]",
        'network_backend = "netavark"',
        `network_config_dir = "${d.base}/net"`,
        `default_network = "${this.network}"`,
        'default_subnet = "10.251.0.0/24"',
        "",
      ].join("\n"),
    );
    // Podman 4.3 has no --interface-name: write the netavark network file with our own bridge name.
    await fs.mkdir(`${d.base}/net`, { recursive: true });
    await fs.writeFile(
      `${d.base}/net/${this.network}.json`,
      JSON.stringify({
        name: this.network, id: randomBytes(32).toString("hex"), driver: "bridge", network_interface: this.bridge,
        created: new Date().toISOString(), subnets: [{ subnet: "10.251.0.0/24", gateway: "10.251.0.1" }],
        ipv6_enabled: false, internal: false, dns_enabled: false, ipam_options: { driver: "host-local" },
      }),
    );
    await must(this.cli(["network", "inspect", this.network]));
  }

  async loadBusybox(tar: string): Promise<void> {
    await must(this.cli(["import", "-c", 'CMD ["sh"]', tar, "busybox:latest"]));
  }

  async daemonPids(): Promise<number[]> {
    return [];
  }

  async monitorPids(): Promise<number[]> {
    return (await listProcs()).filter((p) => p.comm === "conmon" && p.cmdline.includes(this.dirs.execRoot)).map((p) => p.pid);
  }

  async removeAllContainers(): Promise<void> {
    await runCmd(this.cli(["rm", "-af", "-t", "0"]), { timeoutMs: 300_000 });
  }

  publishFlags(hostPort: number, containerPort: number): string[] {
    return ["-p", `127.0.0.1:${hostPort}:${containerPort}`];
  }

  async stop(): Promise<void> {
    await this.removeAllContainers();
    await runCmd(this.cli(["network", "rm", "-f", this.network]));
    await unmountUnder([this.dirs.base, this.dirs.execRoot]);
    await runCmd({ cmd: "ip", args: ["link", "del", this.bridge] });
    await removeCgroupTree("/libpod_parent"); // Podman's default cgroup parent; only empty dirs go
    await removeDirs([this.dirs.base, this.dirs.execRoot]);
  }
}
