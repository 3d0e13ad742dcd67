/**
 * A container's mount as the daemon records it (Docker's MountPoint in
 * config.v2.json): what to mount where, and what inspect's `Mounts` shows.
 */
export interface MountPoint {
  Type: "bind" | "volume" | "tmpfs";
  /** Volume name (Type "volume"). */
  Name?: string;
  /** Host path for binds; the volume's mountpoint for volumes; "" for tmpfs. */
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** Copy the image's files at Destination into the volume on first start (until done). */
  CopyData?: boolean;
  /** tmpfs mount options (size=..., mode=...). */
  TmpfsOptions?: string[];
  /** `--tmpfs` mounts: dockerd does not list them in inspect's Mounts. */
  Hidden?: boolean;
  /** Made for `-v /path` or an image VOLUME: `rm -v` removes it. */
  Anonymous?: boolean;
  /** `-v /host:/ctr`: a missing host dir is created, as docker does; `--mount` refuses instead. */
  CreateHostPath?: boolean;
}

/** The record fields the volume extension keeps on a container. */
export interface WithMountPoints {
  mountPoints?: MountPoint[];
}

/** One entry of inspect's / ps's `Mounts`. */
export function mountView(m: MountPoint): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: m.Type };
  if (m.Type === "volume") out.Name = m.Name;
  out.Source = m.Source;
  out.Destination = m.Destination;
  if (m.Type === "volume") out.Driver = m.Driver ?? "local";
  out.Mode = m.Mode;
  out.RW = m.RW;
  out.Propagation = m.Propagation;
  return out;
}
