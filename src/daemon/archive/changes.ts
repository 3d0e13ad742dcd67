import { promises as fs } from "node:fs";
import path from "node:path";
import { isOpaque } from "../../snapshot/special-files.js";
import type { WithMountPoints } from "../../volume/mount-point.js";
import type { ContainerRecord } from "../containers/types.js";

/** Docker's change kinds: 0 modified, 1 added, 2 deleted. */
export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** Files the runtime creates as mount targets; dockerd keeps them in an init layer, so they never show as changes. */
const RUNTIME_TARGETS = ["/dev", "/proc", "/sys", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/sbin/docker-init", "/.dockerenv"];

async function existsInLower(lowers: string[], rel: string): Promise<boolean> {
  for (const l of lowers) {
    if (await fs.lstat(path.join(l, rel)).then(() => true, () => false)) return true;
  }
  return false;
}

/**
 * GET /containers/{id}/changes from the overlay upper dir: a whiteout (char
 * device 0/0) is a deletion, a path the image already had is a modification,
 * anything else an addition. Opaque dirs replace everything below them.
 */
export async function containerChanges(c: ContainerRecord & WithMountPoints): Promise<Change[] | null> {
  const l = c.layers;
  if (!l) return null;
  const skip = new Set([...RUNTIME_TARGETS, ...(c.mountPoints ?? []).map((m) => m.Destination)]);
  const out: Change[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = await fs.readdir(path.join(l.upperDir, rel)).catch(() => [] as string[]);
    for (const n of names.sort()) {
      const r = rel ? `${rel}/${n}` : n;
      const abs = "/" + r;
      if (skip.has(abs)) continue;
      const st = await fs.lstat(path.join(l.upperDir, r));
      if (st.isCharacterDevice() && st.rdev === 0) {
        out.push({ Path: abs, Kind: 2 });
        continue;
      }
      const inLower = await existsInLower(l.lowerDirs, r);
      out.push({ Path: abs, Kind: inLower ? 0 : 1 });
      if (st.isDirectory()) {
        if (inLower && (await isOpaque(path.join(l.upperDir, r)))) {
          // Everything the image had below an opaque dir is gone.
          for (const lower of l.lowerDirs) {
            for (const gone of await fs.readdir(path.join(lower, r)).catch(() => [] as string[])) {
              if (!(await fs.lstat(path.join(l.upperDir, r, gone)).then(() => true, () => false))) out.push({ Path: `${abs}/${gone}`, Kind: 2 });
            }
          }
        }
        await walk(r);
      }
    }
  };
  await walk("");
  // Directories that only hold runtime mount targets (e.g. /etc for /etc/hosts) are not changes either.
  const kept = out.filter((ch) => {
    const holdsTarget = [...skip].some((t) => t.startsWith(ch.Path + "/"));
    if (!holdsTarget) return true;
    return out.some((o) => o !== ch && o.Path.startsWith(ch.Path + "/"));
  });
  return kept.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}
