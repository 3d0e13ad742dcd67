// The floor: raw `crun` on OCI bundles over the same busybox layer, no engine in between.
// Each container gets its own overlay (lower = extracted busybox.tar), like an engine's rootfs.
import { promises as fs } from "node:fs";
import { BASE, RUN_ID } from "./paths.js";
import { removeCgroupTree, removeDirs, unmountUnder } from "./cleanup.js";
import { must, runCmd, sh, type Cmd } from "../lib/proc.js";

export class CrunFloor {
  readonly dir = `${BASE}/crun`;
  readonly stateRoot = `/run/wbc-${RUN_ID}`;
  readonly cgroupParent = `/wbench-crun-${RUN_ID}`;
  private spec: any;

  get lower(): string {
    return `${this.dir}/lower`;
  }

  async setup(tar: string): Promise<void> {
    await fs.mkdir(`${this.lower}`, { recursive: true });
    await must({ cmd: "tar", args: ["-xf", tar, "-C", this.lower] });
    await must(sh(`cd ${this.dir} && crun spec`));
    this.spec = JSON.parse(await fs.readFile(`${this.dir}/config.json`, "utf8"));
  }

  /** Write bundle `id` (config.json only; rootfs is mounted by the timed command). Returns its dir. */
  async bundle(id: string, args: string[], opts: { sharedReadonlyRoot?: boolean } = {}): Promise<string> {
    const b = `${this.dir}/b/${id}`;
    await fs.mkdir(b, { recursive: true });
    const spec = structuredClone(this.spec);
    spec.process.terminal = false;
    spec.process.args = args;
    spec.hostname = id.slice(0, 12);
    spec.root = opts.sharedReadonlyRoot ? { path: this.lower, readonly: true } : { path: `${b}/merged`, readonly: false };
    spec.linux.cgroupsPath = `${this.cgroupParent}/${id}`;
    await fs.writeFile(`${b}/config.json`, JSON.stringify(spec));
    return b;
  }

  private mountScript(b: string): string {
    return `mkdir -p ${b}/upper ${b}/work ${b}/merged && mount -t overlay overlay -o lowerdir=${this.lower},upperdir=${b}/upper,workdir=${b}/work ${b}/merged`;
  }

  private crun(verb: string): string {
    return `crun --root ${this.stateRoot} ${verb}`;
  }

  /** Timed as one command: mount the overlay, `crun run` in the foreground, unmount, remove. */
  runRm(id: string, b: string): Cmd {
    return sh(`${this.mountScript(b)} && ${this.crun(`run --bundle ${b} ${id}`)}; rc=$?; umount ${b}/merged; rm -rf ${b}; exit $rc`);
  }

  /** Mount + `crun run --detach` (stdio to /dev/null). */
  runDetached(id: string, b: string): Cmd {
    return sh(`${this.mountScript(b)} && ${this.crun(`run --detach --bundle ${b} ${id}`)} </dev/null >/dev/null 2>&1`);
  }

  /** Mount + `crun create` (the container's init waits for `start`). */
  create(id: string, b: string, mount = true): Cmd {
    return sh(`${mount ? `${this.mountScript(b)} && ` : ""}${this.crun(`create --bundle ${b} ${id}`)} </dev/null >/dev/null 2>&1`);
  }

  /** `crun delete -f`, unmount and remove the bundle. */
  remove(id: string, b: string): Cmd {
    return sh(`${this.crun(`delete -f ${id}`)}; umount ${b}/merged 2>/dev/null; rm -rf ${b}`);
  }

  exec(id: string, args: string[]): Cmd {
    return { cmd: "crun", args: ["--root", this.stateRoot, "exec", id, ...args] };
  }

  list(): Cmd {
    return { cmd: "crun", args: ["--root", this.stateRoot, "list"] };
  }

  async cleanup(): Promise<void> {
    const ids = (await runCmd(sh(`${this.crun("list -q")} 2>/dev/null`))).stdout.split("\n").filter(Boolean);
    for (const id of ids) await runCmd(sh(this.crun(`delete -f ${id}`)));
    await unmountUnder([this.dir]);
    await removeCgroupTree(this.cgroupParent);
    await removeDirs([this.dir, this.stateRoot]);
  }
}
