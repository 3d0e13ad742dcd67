import fs from "node:fs";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConflictError, describeWriteError, InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { closeFd, fdPath, readdirFd } from "../../lib/scoped-fs/at.js";
import type { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { packTar } from "../../snapshot/tar-pack.js";
import { unpackTar } from "../../snapshot/tar-unpack.js";
import type { WithMountPoints } from "../../volume/mount-point.js";
import type { ContainerService } from "../containers/container-service.js";
import type { ContainerRecord } from "../containers/types.js";
import { containerPath, withContainerFs } from "./container-fs.js";
import { archiveOwner } from "./archive-owner.js";
import { encodePathStat, goFileMode, type PathStat } from "./path-stat.js";

type Rec = ContainerRecord & WithMountPoints;

/** A path as the archive API addresses it: the directory holding it (resolved in the container) and its name there. */
interface Located {
  dir: string;
  name: string;
  stat: PathStat;
  /** The archive's top entry is named like the requested path, not like what a followed link led to. */
  as: string;
}

/**
 * The archive API (`docker cp`) and export. Everything happens inside the
 * container's filesystem view (container-fs.ts): paths, and every symlink
 * on them, resolve as the container sees them, never on the host.
 */
export class ArchiveService {
  constructor(private readonly svc: ContainerService) {}

  private rec(ref: string): Rec {
    return this.svc.get(ref) as Rec;
  }

  /** HEAD /containers/{id}/archive: the stat of a path (the last symlink not followed). */
  async stat(ref: string, p: string): Promise<string> {
    const c = this.rec(ref);
    return withContainerFs(c, { write: false }, async (root) => encodePathStat(this.locate(ref, root, p).stat));
  }

  /**
   * Docker's ResolvePath: the parent is resolved (links followed inside the
   * container), the last name is not, unless the path ends in "/" or "/.".
   */
  /** `ref` is the container as the client named it (name, ID or prefix): messages say it back. */
  private locate(ref: string, root: ScopedRoot, p: string): Located {
    const abs = containerPath(p);
    const follow = p.endsWith("/") || p.endsWith("/.");
    const target = follow ? root.realPath(abs) : abs;
    const dir = target === "/" ? "/" : path.posix.dirname(target);
    const name = target === "/" ? "." : path.posix.basename(target);
    const fd = root.tryOpen(target, { follow: false });
    if (fd === undefined) throw new NotFoundError(`Could not find the file ${p} in container ${ref}`);
    let st: fs.Stats;
    try {
      st = fs.fstatSync(fd);
    } finally {
      closeFd(fd);
    }
    // "file/": a trailing slash promises a directory, as the kernel (and dockerd) see it.
    if (p.endsWith("/") && !st.isDirectory()) throw new InvalidArgumentError(`Could not stat ${p} in container ${ref}: not a directory`);
    // Docker reports where a link leads, as a path inside the container.
    const linkTarget = st.isSymbolicLink() ? root.realPath(abs) : "";
    const stat = { name: path.posix.basename(abs) || "/", size: st.size, mode: goFileMode(st), mtime: st.mtime.toISOString(), linkTarget };
    // The root is archived as "/", "/bin/", ... as dockerd names it (clients rebase on the stat name).
    return { dir, name, stat, as: path.posix.basename(abs) };
  }

  /**
   * GET /containers/{id}/archive: a tar of the path, its top entry named like
   * the path's base name. The view stays up until the tar is read.
   */
  async get(ref: string, p: string, start: (statHeader: string) => Writable): Promise<void> {
    const c = this.rec(ref);
    await withContainerFs(c, { write: false }, async (root) => {
      const at = this.locate(ref, root, p);
      const out = start(encodePathStat(at.stat));
      await pipeline(packTar(root, at.dir, [{ name: at.name, as: at.as }]), out).catch((err) => log.warn("archive: copy out interrupted", { id: c.id, path: p, error: String(err) }));
    });
  }

  /** PUT /containers/{id}/archive: extract a tar into an existing directory (links on the way followed inside the container). */
  async put(ref: string, p: string, body: Readable, opts: { noOverwriteDirNonDir: boolean; copyUIDGID: boolean }): Promise<void> {
    const c = this.rec(ref);
    await withContainerFs(c, { write: true }, async (root) => {
      const dest = root.realPath(containerPath(p));
      const fd = root.tryOpen(dest);
      if (fd === undefined) throw new NotFoundError(`Could not find the file ${p} in container ${ref}`);
      try {
        if (!fs.fstatSync(fd).isDirectory()) throw new InvalidArgumentError("extraction point is not a directory");
        assertWritable(root, fd);
      } finally {
        closeFd(fd);
      }
      const owner = opts.copyUIDGID ? archiveOwner(root, c.config.User) : undefined;
      try {
        await unpackTar(body, root, { base: dest, noOverwriteDirNonDir: opts.noOverwriteDirNonDir, owner });
      } catch (err) {
        throw describeWriteError(err, `files into container ${c.name.slice(1)} at ${containerPath(p)}`);
      }
    });
    this.svc.deps.events.publish("container", "extract-to-dir", c.id, { image: c.image, name: c.name.slice(1) });
  }

  /** GET /containers/{id}/export: the whole root filesystem (without volumes) as a tar. */
  async export(ref: string, start: () => Writable): Promise<void> {
    const c = this.rec(ref);
    if (c.state.status === "removing") throw new ConflictError(`container ${c.id} is being removed`);
    await withContainerFs(c, { write: false, rootfsOnly: true }, async (root) => {
      const names = readdirFd(root.fd).sort();
      const out = start();
      await pipeline(packTar(root, "/", names.map((name) => ({ name }))), out).catch((err) => log.warn("export interrupted", { id: c.id, error: String(err) }));
    });
    this.svc.deps.events.publish("container", "export", c.id, { image: c.image, name: c.name.slice(1) });
  }
}

/** The view mounts a --read-only rootfs and :ro volumes read-only; say which one refused, as dockerd does. */
function assertWritable(root: ScopedRoot, dirFd: number): void {
  try {
    fs.accessSync(fdPath(dirFd), fs.constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EROFS") return;
    const inRootfs = fs.fstatSync(dirFd).dev === fs.fstatSync(root.fd).dev;
    throw new InvalidArgumentError(inRootfs ? "container rootfs is marked read-only" : "mounted volume is marked read-only");
  }
}
