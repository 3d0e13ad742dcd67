import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ConflictError, InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import { dirSize } from "../snapshot/dir-size.js";

const run = promisify(execFile);

/** Docker's rule for local volume names. */
const VALID_VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** Docker (23+) marks volumes it made for `-v /path` and image VOLUMEs with this label. */
export const ANONYMOUS_LABEL = "com.docker.volume.anonymous";

/** One volume as the Engine API shows it (`GET /volumes/{name}`). */
export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  Scope: "local";
}

export interface CreateVolumeOptions {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  anonymous?: boolean;
}

/**
 * The local volume driver: `<root>/<name>/_data` plus `<root>/<name>/volume.json`.
 * driver_opts `type`/`o`/`device` make the volume a mount (tmpfs, bind, nfs...)
 * of its _data dir, done when a container first uses it.
 */
export class VolumeStore {
  private readonly vols = new Map<string, Volume>();

  constructor(readonly root: string) {}

  async load(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true, mode: 0o701 });
    for (const name of await fs.readdir(this.root)) {
      const v = await readJsonIfExists<Volume>(path.join(this.root, name, "volume.json")).catch(() => undefined);
      if (v) this.vols.set(v.Name, v);
    }
  }

  private dataDir(name: string): string {
    return path.join(this.root, name, "_data");
  }

  /** Create, or return the existing volume of that name (Docker's create is idempotent). */
  async create(o: CreateVolumeOptions): Promise<{ volume: Volume; created: boolean }> {
    const driver = o.Driver || "local";
    if (driver !== "local") throw new NotFoundError(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    const name = o.Name || randomBytes(32).toString("hex");
    if (name.length < 2) throw new InvalidArgumentError(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`);
    if (!VALID_VOLUME_NAME.test(name)) {
      throw new InvalidArgumentError(
        `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
      );
    }
    const existing = this.vols.get(name);
    if (existing) return { volume: existing, created: false };
    const opts = o.DriverOpts ?? {};
    for (const k of Object.keys(opts)) {
      if (!["type", "o", "device", "size", "copy"].includes(k)) throw new InvalidArgumentError(`create ${name}: invalid option key: "${k}"`);
    }
    if (opts.type && !opts.device) throw new InvalidArgumentError(`create ${name}: missing required option: "device"`);
    const labels = { ...(o.Labels ?? {}) };
    if (o.anonymous) labels[ANONYMOUS_LABEL] = "";
    // Docker's field order (its Volume struct), which clients that re-encode keep.
    const v: Volume = {
      CreatedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      Driver: "local",
      // dockerd keeps null for what the request left out (a volume made by `run -v name:/x`).
      Labels: o.Labels == null && !o.anonymous ? null : labels,
      Mountpoint: this.dataDir(name),
      Name: name,
      Options: o.DriverOpts == null ? null : { ...opts },
      Scope: "local",
    };
    await fs.mkdir(v.Mountpoint, { recursive: true, mode: 0o755 });
    await writeJsonAtomic(path.join(this.root, name, "volume.json"), v);
    this.vols.set(name, v);
    return { volume: v, created: true };
  }

  get(name: string): Volume {
    const v = this.vols.get(name);
    if (!v) throw new NotFoundError(`get ${name}: no such volume`);
    return v;
  }

  find(name: string): Volume | undefined {
    return this.vols.get(name);
  }

  list(): Volume[] {
    return [...this.vols.values()];
  }

  /** Mount driver_opts volumes (type/o/device) on their _data dir; plain volumes need nothing. */
  async mount(name: string): Promise<string> {
    const v = this.get(name);
    const { type, o, device } = v.Options ?? {};
    if (!type) return v.Mountpoint;
    const mounts = await fs.readFile("/proc/self/mountinfo", "utf8");
    if (mounts.split("\n").some((l) => l.split(" ")[4] === v.Mountpoint)) return v.Mountpoint;
    const args = ["-t", type];
    let opts = o ?? "";
    // As in dockerd: a bind "device" gets the bind flag, a tmpfs device is just a label.
    if (type === "none" && !/\bbind\b/.test(opts)) opts = opts ? `${opts},bind` : "bind";
    if (opts) args.push("-o", opts);
    try {
      await run("mount", [...args, device!, v.Mountpoint]);
    } catch (err) {
      throw new InvalidArgumentError(`error while mounting volume '${v.Mountpoint}': ${String((err as { stderr?: string }).stderr ?? err).trim()}`);
    }
    return v.Mountpoint;
  }

  async unmount(name: string): Promise<void> {
    const v = this.find(name);
    if (!v?.Options?.type) return;
    await run("umount", [v.Mountpoint]).catch(() => run("umount", ["-l", v.Mountpoint]).catch(() => undefined));
  }

  async size(name: string): Promise<number> {
    return dirSize(this.dataDir(name)).catch(() => 0);
  }

  /** Remove the volume; `inUseBy` lists the containers still using it (→ 409 unless empty). */
  async remove(name: string, inUseBy: string[]): Promise<void> {
    const v = this.get(name);
    if (inUseBy.length) throw new ConflictError(`remove ${name}: volume is in use - [${inUseBy.join(", ")}]`);
    await this.unmount(v.Name);
    this.vols.delete(name);
    await fs.rm(path.join(this.root, name), { recursive: true, force: true });
  }
}
