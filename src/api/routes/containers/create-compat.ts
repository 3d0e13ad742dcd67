import { InvalidArgumentError } from "../../../lib/errors.js";
import { versionLessThan } from "../../version.js";
import type { ContainerCreateBody, Mount } from "../../types/engine-api.js";

/**
 * What ContainerCreate means at each API version, as dockerd's router reads
 * it: fields an older client could not have meant are dropped, combinations
 * a newer API refuses are refused. Only the router knows the version.
 */
export function adaptCreateBody(version: string, body: ContainerCreateBody | null | undefined): ContainerCreateBody | null | undefined {
  if (!body || typeof body !== "object") return body;
  const hc = (body.HostConfig ??= {});
  const mounts: Mount[] = hc.Mounts ?? [];
  const endpoints = body.NetworkingConfig?.EndpointsConfig ?? {};

  // API < 1.25: the client removes the container itself.
  if (versionLessThan(version, "1.25")) hc.AutoRemove = false;
  if (versionLessThan(version, "1.40")) {
    for (const m of mounts) if (m.BindOptions) m.BindOptions.NonRecursive = false;
    // Older clients expect IPC to be shareable by default.
    if (!hc.IpcMode) hc.IpcMode = "shareable";
  }
  if (versionLessThan(version, "1.42")) {
    for (const m of mounts) {
      if (m.BindOptions) m.BindOptions.CreateMountpoint = false;
      // Not validated before 1.42: options for another mount type are dropped.
      if (m.VolumeOptions && m.Type !== "volume") delete m.VolumeOptions;
      if (m.TmpfsOptions && m.Type !== "tmpfs") delete m.TmpfsOptions;
    }
    delete hc.ConsoleSize;
  } else {
    delete (hc as Record<string, unknown>).KernelMemory;
    for (const m of mounts) {
      if (m.VolumeOptions && m.Type !== "volume") throw new InvalidArgumentError(`VolumeOptions must not be specified on mount type "${m.Type}"`);
      if (m.BindOptions && m.Type !== "bind") throw new InvalidArgumentError(`BindOptions must not be specified on mount type "${m.Type}"`);
      if (m.TmpfsOptions && m.Type !== "tmpfs") throw new InvalidArgumentError(`TmpfsOptions must not be specified on mount type "${m.Type}"`);
    }
  }
  if (versionLessThan(version, "1.43")) delete hc.Annotations;
  if (versionLessThan(version, "1.44")) {
    if (body.Healthcheck) body.Healthcheck.StartInterval = 0;
    for (const m of mounts) {
      if (m.Type === "bind" && m.BindOptions?.ReadOnlyForceRecursive) throw new InvalidArgumentError("BindOptions.ReadOnlyForceRecursive needs API v1.44 or newer");
    }
    const names = Object.keys(endpoints);
    if (names.length > 1) throw new InvalidArgumentError(`Container cannot be created with multiple network endpoints: ${names.join(", ")}`);
  }
  if (versionLessThan(version, "1.45")) {
    for (const m of mounts) if (m.VolumeOptions?.Subpath) throw new InvalidArgumentError("VolumeOptions.Subpath needs API v1.45 or newer");
  }
  if (versionLessThan(version, "1.48")) {
    for (const ep of Object.values(endpoints)) if (ep) delete (ep as Record<string, unknown>).GwPriority;
    for (const m of mounts) if (m.Type === "image") throw new InvalidArgumentError('Mount type "Image" needs API v1.48 or newer');
  }
  // 0 and negative PidsLimit mean "unlimited" (historically any negative value was accepted).
  if (typeof hc.PidsLimit === "number" && hc.PidsLimit <= 0) delete hc.PidsLimit;
  return body;
}
