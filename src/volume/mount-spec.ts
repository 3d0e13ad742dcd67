/**
 * Parses the ways a create request asks for mounts: HostConfig.Binds
 * (`-v src:dst[:opts]`), HostConfig.Mounts (`--mount`), HostConfig.Tmpfs
 * (`--tmpfs`) and Config.Volumes (`-v /dst`, image VOLUMEs), into
 * MountPoints, with dockerd's error messages.
 */
import { existsSync } from "node:fs";
import { posix } from "node:path";
import { InvalidArgumentError } from "../lib/errors.js";
import type { MountPoint } from "./mount-point.js";

const PROPAGATIONS = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

function cleanDest(d: string): string {
  return posix.normalize(d).replace(/(.)\/$/, "$1");
}

function checkDest(dest: string, spec: string): string {
  if (!dest.startsWith("/")) throw new InvalidArgumentError(`invalid volume specification: '${spec}': invalid mount config for type "volume": invalid mount path: '${dest}' mount path must be absolute`);
  const d = cleanDest(dest);
  if (d === "/") throw new InvalidArgumentError(`invalid volume specification: '${spec}': invalid mount config for type "bind": invalid specification: destination can't be '/'`);
  return d;
}

/** `-v src:dst[:mode]` from HostConfig.Binds. */
export function parseBind(spec: string): MountPoint {
  const parts = spec.split(":");
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) throw new InvalidArgumentError(`invalid volume specification: '${spec}'`);
  const [src, dst, mode = ""] = parts as [string, string, string?];
  const dest = checkDest(dst, spec);
  let rw = true;
  let propagation = "";
  let nocopy = false;
  for (const m of mode ? mode.split(",") : []) {
    if (m === "ro") rw = false;
    else if (m === "rw") rw = true;
    else if (m === "z" || m === "Z") continue;
    else if (m === "nocopy") nocopy = true;
    else if (PROPAGATIONS.includes(m)) propagation = m;
    else throw new InvalidArgumentError(`invalid mode: ${mode}`);
  }
  if (src.startsWith("/")) {
    return { Type: "bind", Source: cleanDest(src), Destination: dest, Mode: mode, RW: rw, Propagation: propagation || "rprivate", CreateHostPath: true };
  }
  if (propagation) throw new InvalidArgumentError(`invalid volume specification: '${spec}': invalid mount config for type "volume": propagation not allowed for volumes`);
  return { Type: "volume", Name: src, Source: "", Destination: dest, Driver: "local", Mode: mode || "z", RW: rw, Propagation: "", CopyData: !nocopy };
}

interface ApiMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean } | null;
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; DriverConfig?: { Name?: string; Options?: Record<string, string> } } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
}

/** `--mount` entries from HostConfig.Mounts. `labels`/`driverOpts` go to a volume created for it. */
export function parseApiMount(m: ApiMount): MountPoint & { volumeLabels?: Record<string, string>; driverOpts?: Record<string, string> } {
  const type = m.Type ?? "";
  const bad = (msg: string) => new InvalidArgumentError(`invalid mount config for type "${type}": ${msg}`);
  if (!["bind", "volume", "tmpfs"].includes(type)) throw new InvalidArgumentError(`mount type unknown`);
  if (!m.Target) throw bad("field Target must not be empty");
  if (!m.Target.startsWith("/")) throw bad(`invalid mount path: '${m.Target}' mount path must be absolute`);
  const dest = cleanDest(m.Target);
  const rw = !m.ReadOnly;
  if (type === "bind") {
    if (!m.Source) throw bad("field Source must not be empty");
    if (!m.Source.startsWith("/")) throw bad(`invalid mount path: '${m.Source}' mount path must be absolute`);
    if (!existsSync(m.Source) && !m.BindOptions?.CreateMountpoint) throw bad(`bind source path does not exist: ${m.Source}`);
    const prop = m.BindOptions?.Propagation || "rprivate";
    if (!PROPAGATIONS.includes(prop)) throw bad(`invalid propagation mode: ${prop}`);
    return { Type: "bind", Source: cleanDest(m.Source), Destination: dest, Mode: "", RW: rw, Propagation: prop, CreateHostPath: !!m.BindOptions?.CreateMountpoint };
  }
  if (type === "tmpfs") {
    if (m.Source) throw bad("field Source must not be specified");
    const opts: string[] = [];
    if (m.TmpfsOptions?.SizeBytes) opts.push(`size=${m.TmpfsOptions.SizeBytes}`);
    if (m.TmpfsOptions?.Mode) opts.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
    return { Type: "tmpfs", Source: "", Destination: dest, Mode: "", RW: rw, Propagation: "", TmpfsOptions: opts };
  }
  return {
    Type: "volume",
    Name: m.Source || undefined,
    Source: "",
    Destination: dest,
    Driver: m.VolumeOptions?.DriverConfig?.Name || "local",
    Mode: "",
    RW: rw,
    Propagation: "",
    CopyData: !m.VolumeOptions?.NoCopy,
    Anonymous: !m.Source,
    volumeLabels: m.VolumeOptions?.Labels,
    driverOpts: m.VolumeOptions?.DriverConfig?.Options,
  };
}

/** `--tmpfs /path[:opts]` from HostConfig.Tmpfs. */
export function parseTmpfs(dest: string, opts: string): MountPoint {
  const d = checkDest(dest, dest);
  const list = opts ? opts.split(",").filter(Boolean) : [];
  for (const o of list) {
    const key = o.split("=")[0]!;
    const known = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "rw", "ro", "exec", "noexec", "suid", "nosuid", "dev", "nodev", "atime", "noatime", "relatime", "strictatime", "nodiratime", "diratime", "huge", "mpol"];
    if (!known.includes(key)) throw new InvalidArgumentError(`invalid tmpfs option ["${o}"]`);
  }
  return { Type: "tmpfs", Source: "", Destination: d, Mode: "", RW: !list.includes("ro"), Propagation: "", TmpfsOptions: list, Hidden: true };
}

/** An anonymous volume for a `Config.Volumes` destination. */
export function anonymousVolume(dest: string): MountPoint {
  const d = checkDest(dest, dest);
  return { Type: "volume", Source: "", Destination: d, Driver: "local", Mode: "", RW: true, Propagation: "", CopyData: true, Anonymous: true };
}
