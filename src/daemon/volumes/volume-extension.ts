import { promises as fs } from "node:fs";
import path from "node:path";
import { InvalidArgumentError } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import type { SpecInput } from "../../runtime/spec/index.js";
import type { OciMount } from "../../runtime/spec/types.js";
import { mountView, type MountPoint, type WithMountPoints } from "../../volume/mount-point.js";
import { anonymousVolume, parseApiMount, parseBind, parseTmpfs } from "../../volume/mount-spec.js";
import type { ContainerExtension } from "../containers/extensions.js";
import type { ContainerRecord } from "../containers/types.js";
import { copyImageContent } from "./copy-up.js";
import type { VolumeService } from "./volume-service.js";

type Rec = ContainerRecord & WithMountPoints;

/**
 * Mounts for containers: binds, named and anonymous volumes, tmpfs and
 * --volumes-from, resolved at create (volumes are created then, as in
 * dockerd) and turned into OCI mounts before each start.
 */
export class VolumeExtension implements ContainerExtension {
  readonly name = "volumes";

  constructor(
    private readonly volumes: VolumeService,
    private readonly findContainer: (ref: string) => Rec | undefined,
    private readonly scratchDir: string,
  ) {}

  async create(c: Rec): Promise<void> {
    const hc = c.hostConfig;
    const byDest = new Map<string, MountPoint & { volumeLabels?: Record<string, string>; driverOpts?: Record<string, string> }>();
    const add = (m: MountPoint) => {
      if (byDest.has(m.Destination)) throw new InvalidArgumentError(`Duplicate mount point: ${m.Destination}`);
      byDest.set(m.Destination, m);
    };
    for (const b of hc.Binds ?? []) add(parseBind(b));
    for (const m of (hc.Mounts as unknown[] | null | undefined) ?? []) add(parseApiMount(m as never));
    for (const [dest, opts] of Object.entries((hc.Tmpfs as Record<string, string> | null | undefined) ?? {})) add(parseTmpfs(dest, opts));
    // --volumes-from: the other container's mounts, read-only when asked (explicit mounts win).
    for (const spec of (hc.VolumesFrom as string[] | null | undefined) ?? []) {
      const [ref, mode] = spec.split(":");
      if (mode && mode !== "ro" && mode !== "rw") throw new InvalidArgumentError(`invalid mode: ${mode}`);
      const other = this.findContainer(ref!);
      if (!other) throw new InvalidArgumentError(`No such container: ${ref}`);
      for (const m of other.mountPoints ?? []) {
        if (m.Hidden || byDest.has(m.Destination)) continue;
        byDest.set(m.Destination, { ...m, RW: mode ? mode === "rw" : m.RW, CopyData: false });
      }
    }
    for (const dest of Object.keys(c.config.Volumes ?? {})) {
      const a = anonymousVolume(dest);
      if (!byDest.has(a.Destination)) byDest.set(a.Destination, a);
    }
    const points: MountPoint[] = [];
    for (const m of byDest.values()) {
      const { volumeLabels, driverOpts, ...mp } = m;
      if (mp.Type === "volume") {
        const existed = !!mp.Name && !!this.volumes.store.find(mp.Name);
        const v = await this.volumes.create({ Name: mp.Name, Labels: volumeLabels, DriverOpts: driverOpts, anonymous: !mp.Name || mp.Anonymous });
        mp.Name = v.Name;
        mp.Source = v.Mountpoint;
        // Only a volume made for this container is populated from the image.
        if (existed) mp.CopyData = false;
      }
      points.push(mp);
    }
    c.mountPoints = points;
  }

  async prepare(c: Rec, input: SpecInput): Promise<void> {
    const mounts: OciMount[] = [];
    for (const m of c.mountPoints ?? []) {
      if (m.Type === "bind") {
        if (m.CreateHostPath) await fs.mkdir(m.Source, { recursive: true });
        const opts = ["rbind", m.Propagation || "rprivate"];
        if (!m.RW) opts.push("ro");
        mounts.push({ destination: m.Destination, type: "bind", source: m.Source, options: opts });
      } else if (m.Type === "volume") {
        const src = await this.volumes.store.mount(m.Name!);
        if (m.CopyData && c.layers) {
          await copyImageContent(c.layers, m.Destination, src, this.scratchDir).catch((err) => log.warn("volume copy-up failed", { id: c.id, error: String(err) }));
          m.CopyData = false; // persisted with the record when start saves it
        }
        const opts = ["rbind", "rprivate"];
        if (!m.RW) opts.push("ro");
        mounts.push({ destination: m.Destination, type: "bind", source: src, options: opts });
      } else {
        const user = m.TmpfsOptions ?? [];
        const flags = ["nosuid", "nodev", "noexec"].filter((f) => !user.includes(f.slice(2)) && !user.includes(f));
        const opts = [...flags, ...user.filter((o) => o !== "rw" && o !== "ro")];
        if (!m.RW) opts.push("ro");
        mounts.push({ destination: m.Destination, type: "tmpfs", source: "tmpfs", options: opts });
      }
    }
    input.extraMounts = [...(input.extraMounts ?? []), ...mounts];
  }

  async removed(c: Rec, opts: { volumes: boolean }): Promise<void> {
    if (!opts.volumes) return;
    for (const m of c.mountPoints ?? []) {
      if (m.Type !== "volume" || !m.Anonymous || !m.Name) continue;
      await this.volumes.removeAnonymous(m.Name, c.id).catch((err) => log.warn("removing anonymous volume failed", { volume: m.Name, error: String(err) }));
    }
  }

  inspect(c: Rec, out: Record<string, unknown>): void {
    out.Mounts = (c.mountPoints ?? []).filter((m) => !m.Hidden).map(mountView);
  }

  summary(c: Rec, out: Record<string, unknown>): void {
    out.Mounts = (c.mountPoints ?? []).filter((m) => !m.Hidden).map(mountView);
  }
}

/** For the `volume` ps filter: does the container mount this volume name or destination? */
export function mountsVolume(c: WithMountPoints, ref: string): boolean {
  return (c.mountPoints ?? []).some((m) => m.Name === ref || m.Destination === ref || m.Source === ref || path.basename(m.Source) === ref);
}
