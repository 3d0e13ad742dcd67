import { existsSync, readFileSync } from "node:fs";

/**
 * Where a container's cgroup files live, for cgroup v1 (one hierarchy per
 * controller) and v2 (one unified tree). `rel` is the absolute cgroupsPath
 * given to the runtime ("/wharf/<id>").
 */
export function cgroupFile(version: 1 | 2, controller: string, rel: string, file: string): string {
  return version === 2 ? `/sys/fs/cgroup${rel}/${file}` : `/sys/fs/cgroup/${controller}${rel}/${file}`;
}

/** Which optional cgroup knobs this kernel has (dockerd's sysinfo): missing ones are dropped with a warning. */
export interface CgroupSupport {
  blkioWeight: boolean;
  swap: boolean;
}

let cached: CgroupSupport | undefined;

export function cgroupSupport(version: 1 | 2): CgroupSupport {
  cached ??=
    version === 2
      ? { blkioWeight: controllers().includes("io"), swap: true }
      : {
          blkioWeight: existsSync("/sys/fs/cgroup/blkio/blkio.weight") || existsSync("/sys/fs/cgroup/blkio/blkio.bfq.weight"),
          swap: existsSync("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"),
        };
  return cached;
}

/** v2: controllers the root delegates (io.weight lives only in child cgroups). */
function controllers(): string[] {
  try {
    return readFileSync("/sys/fs/cgroup/cgroup.subtree_control", "utf8").trim().split(/\s+/);
  } catch {
    return [];
  }
}
