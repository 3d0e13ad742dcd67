import fs from "node:fs";
import { closeFd, getxattrFd, isNotFound, lstatAt, openAt, readdirFd } from "../../lib/scoped-fs/at.js";
import { fsat } from "../../lib/scoped-fs/native.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import type { WithMountPoints } from "../../volume/mount-point.js";
import type { ContainerRecord } from "../containers/types.js";

/** Docker's change kinds: 0 modified, 1 added, 2 deleted. */
export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** Files the runtime creates as mount targets; dockerd keeps them in an init layer, so they never show as changes. */
const RUNTIME_TARGETS = ["/dev", "/proc", "/sys", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/sbin/docker-init", "/.dockerenv"];

/**
 * GET /containers/{id}/changes from the overlay upper dir: a whiteout (char
 * device 0/0) is a deletion, a path the image already had is a modification,
 * anything else an addition. Opaque dirs replace everything below them. The
 * upper dir of a running container changes while we read it: it is walked
 * through descriptors, never by paths a symlink swapped in could redirect.
 */
export async function containerChanges(c: ContainerRecord & WithMountPoints): Promise<Change[] | null> {
  const l = c.layers;
  if (!l) return null;
  const skip = new Set([...RUNTIME_TARGETS, ...(c.mountPoints ?? []).map((m) => m.Destination)]);
  const out: Change[] = [];
  const upper = ScopedRoot.open(l.upperDir);
  const lowers: ScopedRoot[] = [];
  try {
    for (const d of l.lowerDirs) lowers.push(ScopedRoot.open(d));
    const inLower = (abs: string) => lowers.some((lr) => lr.stat(abs, false) !== undefined);
    const walk = (dirFd: number, rel: string): void => {
      for (const n of readdirFd(dirFd).sort()) {
        const abs = `${rel}/${n}`;
        if (skip.has(abs)) continue;
        let fd: number;
        try {
          fd = openAt(dirFd, n, fsat().O_PATH);
        } catch (err) {
          if (isNotFound(err)) continue; // gone meanwhile
          throw err;
        }
        try {
          const st = fs.fstatSync(fd);
          if (st.isCharacterDevice() && st.rdev === 0) {
            out.push({ Path: abs, Kind: 2 });
            continue;
          }
          const had = inLower(abs);
          out.push({ Path: abs, Kind: had ? 0 : 1 });
          if (!st.isDirectory()) continue;
          if (had && getxattrFd(fd, "trusted.overlay.opaque")?.toString() === "y") {
            // Everything the image had below an opaque dir is gone.
            for (const lr of lowers) {
              const lfd = lr.tryOpen(abs, { follow: false });
              if (lfd === undefined) continue;
              try {
                if (!fs.fstatSync(lfd).isDirectory()) continue;
                for (const gone of readdirFd(lfd)) if (!lstatAt(fd, gone)) out.push({ Path: `${abs}/${gone}`, Kind: 2 });
              } finally {
                closeFd(lfd);
              }
            }
          }
          walk(fd, abs);
        } finally {
          closeFd(fd);
        }
      }
    };
    walk(upper.fd, "");
  } finally {
    upper.close();
    for (const lr of lowers) lr.close();
  }
  // Directories that only hold runtime mount targets (e.g. /etc for /etc/hosts) are not changes either.
  const kept = out.filter((ch) => {
    const holdsTarget = [...skip].some((t) => t.startsWith(ch.Path + "/"));
    if (!holdsTarget) return true;
    return out.some((o) => o !== ch && o.Path.startsWith(ch.Path + "/"));
  });
  return kept.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}
