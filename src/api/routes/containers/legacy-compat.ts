import { ConflictError } from "../../../lib/errors.js";
import { versionLessThan } from "../../version.js";

/**
 * dockerd's router answers for clients older than API 1.20 (inspect and kill).
 * Below 1.20 inspect had the resource fields inside `Config` and the volumes as
 * maps; killing a container that is not running was not an error.
 */
interface InspectShape {
  Config?: Record<string, unknown>;
  HostConfig?: Record<string, unknown>;
  Mounts?: Array<{ Destination?: string; Source?: string; RW?: boolean }>;
}

export function inspectForVersion(inspect: unknown, apiVersion: string): unknown {
  if (!versionLessThan(apiVersion, "1.20")) return inspect;
  const c = inspect as InspectShape;
  const h = c.HostConfig ?? {};
  const volumes: Record<string, string> = {};
  const volumesRW: Record<string, boolean> = {};
  for (const m of c.Mounts ?? []) {
    if (!m.Destination) continue;
    volumes[m.Destination] = m.Source ?? "";
    volumesRW[m.Destination] = m.RW !== false;
  }
  return {
    ...c,
    Volumes: volumes,
    VolumesRW: volumesRW,
    Config: {
      ...c.Config,
      VolumeDriver: h.VolumeDriver ?? "",
      Memory: h.Memory ?? 0,
      MemorySwap: h.MemorySwap ?? 0,
      CpuShares: h.CpuShares ?? 0,
      Cpuset: h.CpusetCpus ?? "",
    },
  };
}

/** Kill: below API 1.20 a container that is not running is killed already (dockerd ignores its conflict). */
export async function killForVersion(kill: () => Promise<void>, apiVersion: string): Promise<void> {
  try {
    await kill();
  } catch (err) {
    if (err instanceof ConflictError && versionLessThan(apiVersion, "1.20")) return;
    throw err;
  }
}
