import { lstatSync, promises as fs } from "node:fs";
import path from "node:path";
import { PassThrough, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { create as tarCreate, extract as tarExtract } from "tar";
import { ConflictError, InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { diskErrorsOf } from "../../lib/tar-write-errors.js";
import type { WithMountPoints } from "../../volume/mount-point.js";
import type { ContainerService } from "../containers/container-service.js";
import type { ContainerRecord } from "../containers/types.js";
import { containerPath, resolveContainerPath, withContainerFs } from "./container-fs.js";
import { encodePathStat, statPath, type PathStat } from "./path-stat.js";

type Rec = ContainerRecord & WithMountPoints;

/** The archive API (`docker cp`) and export, confined to the container's filesystem. */
export class ArchiveService {
  constructor(private readonly svc: ContainerService) {}

  private rec(ref: string): Rec {
    return this.svc.get(ref) as Rec;
  }

  /** HEAD /containers/{id}/archive: the stat of a path (the last symlink not followed). */
  async stat(ref: string, p: string): Promise<string> {
    const c = this.rec(ref);
    return withContainerFs(c, async (root) => encodePathStat(await this.statIn(c, root, p)));
  }

  private async statIn(c: Rec, root: string, p: string): Promise<PathStat> {
    const { hostPath } = await resolveContainerPath(c, root, p);
    const st = await fs.lstat(hostPath).catch(() => undefined);
    if (!st) throw new NotFoundError(`Could not find the file ${p} in container ${c.name.slice(1)}`);
    let link = "";
    if (st.isSymbolicLink()) {
      // Docker reports where the link leads, as a path inside the container.
      const target = await resolveContainerPath(c, root, p, true).catch(() => undefined);
      link = target ? "/" + path.relative(target.base, target.hostPath) : await fs.readlink(hostPath);
    }
    return statPath(hostPath, containerPath(p), link);
  }

  /**
   * GET /containers/{id}/archive: a tar of the path, its top entry named like
   * the path's base name. The container fs stays mounted until the tar is read.
   */
  async get(ref: string, p: string, start: (statHeader: string) => Writable): Promise<void> {
    const c = this.rec(ref);
    await withContainerFs(c, async (root) => {
      const stat = await this.statIn(c, root, p);
      const { hostPath } = await resolveContainerPath(c, root, p);
      const out = start(encodePathStat(stat));
      const want = path.posix.basename(containerPath(p)) || ".";
      // A volume's root or a followed link has another name on the host: rename the top entry.
      const pack = (want === path.basename(hostPath)
        ? tarCreate({ cwd: path.dirname(hostPath), portable: false, follow: false }, [path.basename(hostPath)])
        : tarCreate({ cwd: hostPath, portable: false, follow: false, prefix: want }, ["."])) as unknown as Readable;
      await pipeline(pack, out).catch(() => undefined);
    });
  }

  /** PUT /containers/{id}/archive: extract a tar into an existing directory. */
  async put(ref: string, p: string, body: Readable, opts: { noOverwriteDirNonDir: boolean; copyUIDGID: boolean }): Promise<void> {
    const c = this.rec(ref);
    await withContainerFs(c, async (root) => {
      const { hostPath, mount } = await resolveContainerPath(c, root, p, true);
      const st = await fs.stat(hostPath).catch(() => undefined);
      if (!st) throw new NotFoundError(`Could not find the file ${p} in container ${c.name.slice(1)}`);
      if (!st.isDirectory()) throw new InvalidArgumentError("extraction point is not a directory");
      if (mount ? !mount.RW : c.hostConfig.ReadonlyRootfs) {
        throw new InvalidArgumentError(mount ? "mounted volume is marked read-only" : "container rootfs is marked read-only");
      }
      let conflict: string | undefined;
      const disk = diskErrorsOf(`files into container ${c.name.slice(1)} at ${containerPath(p)}`);
      const ex = tarExtract({
        onwarn: disk.onwarn,
        cwd: hostPath,
        preservePaths: false,
        preserveOwner: true,
        unlink: true,
        filter: (name, entry) => {
          if (!opts.noOverwriteDirNonDir) return true;
          const existing = (() => {
            try {
              return lstatSync(path.join(hostPath, name));
            } catch {
              return undefined;
            }
          })();
          const isDir = (entry as { type?: string }).type === "Directory";
          if (existing && existing.isDirectory() !== isDir) {
            conflict ??= existing.isDirectory()
              ? `cannot overwrite directory "${path.posix.join(containerPath(p), name)}" with non-directory "${name}"`
              : `cannot overwrite non-directory "${path.posix.join(containerPath(p), name)}" with directory "${name}"`;
            return false;
          }
          return true;
        },
      });
      await pipeline(body, ex as unknown as Writable);
      disk.check();
      if (conflict) throw new InvalidArgumentError(conflict);
    });
    this.svc.deps.events.publish("container", "extract-to-dir", c.id, { image: c.image, name: c.name.slice(1) });
  }

  /** GET /containers/{id}/export: the whole root filesystem (without volumes) as a tar. */
  async export(ref: string, start: () => Writable): Promise<void> {
    const c = this.rec(ref);
    if (c.state.status === "removing") throw new ConflictError(`container ${c.id} is being removed`);
    await withContainerFs(c, async (root) => {
      const names = (await fs.readdir(root)).sort();
      const out = start();
      const pack = tarCreate({ cwd: root, portable: false, follow: false }, names) as unknown as Readable;
      await pipeline(pack, new PassThrough(), out).catch(() => undefined);
    });
    this.svc.deps.events.publish("container", "export", c.id, { image: c.image, name: c.name.slice(1) });
  }
}
