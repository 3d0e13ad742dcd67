/**
 * The container's mount list: Docker's default kernel filesystems, minus
 * those the user overrides, followed by the daemon-managed /etc files, the
 * init binary and the user's mounts (volumes, binds, tmpfs).
 */
import { posix } from "node:path";
import { defaultMounts } from "./defaults.js";
import type { OciMount } from "./types.js";

export const INIT_PATH_IN_CONTAINER = "/sbin/docker-init";

export interface MountRequest {
  etcFiles: { hostname: string; hosts: string; resolvConf: string };
  extraMounts: readonly OciMount[];
  shmSize: number;
  readonlyRootfs: boolean;
  privileged: boolean;
  /** --ipc=host: the host's /dev/shm is shared instead of a private tmpfs. */
  ipcHost: boolean;
  writableCgroups: boolean;
  /** Host path of tini, when --init applies. */
  initHostPath?: string;
}

const clean = (p: string) => posix.normalize(p).replace(/(.)\/$/, "$1");
const depth = (p: string) => clean(p).split("/").length;

/** Kernel filesystems that stay writable even with a read-only rootfs. */
const WRITABLE_WITH_RO_ROOTFS = new Set(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue"]);

function withoutOption(m: OciMount, opt: string): OciMount {
  return { ...m, options: (m.options ?? []).filter((o) => o !== opt) };
}

export function buildMounts(req: MountRequest): OciMount[] {
  // Mounts the user (or the daemon on the user's behalf) asked for, shallowest first
  // so a parent is mounted before anything inside it.
  const userMounts: OciMount[] = [];
  const extraDest = new Set(req.extraMounts.map((m) => clean(m.destination)));
  const etc: [string, string][] = [
    ["/etc/resolv.conf", req.etcFiles.resolvConf],
    ["/etc/hostname", req.etcFiles.hostname],
    ["/etc/hosts", req.etcFiles.hosts],
  ];
  for (const [destination, source] of etc) {
    if (!source || extraDest.has(destination)) continue;
    const options = req.readonlyRootfs ? ["rbind", "ro", "rprivate"] : ["rbind", "rprivate"];
    userMounts.push({ destination, type: "bind", source, options });
  }
  if (req.ipcHost && !extraDest.has("/dev/shm")) {
    userMounts.push({ destination: "/dev/shm", type: "bind", source: "/dev/shm", options: ["rbind", "rprivate"] });
  }
  userMounts.push(...req.extraMounts.map((m) => ({ ...m, destination: clean(m.destination) })));
  userMounts.sort((a, b) => depth(a.destination) - depth(b.destination));
  const userDest = new Set(userMounts.map((m) => m.destination));
  const userDev = userDest.has("/dev");

  const base: OciMount[] = [];
  for (const m of defaultMounts()) {
    if (userDest.has(m.destination)) continue;
    if (userDev && m.destination.startsWith("/dev/")) continue;
    if (m.destination === "/dev/shm") m.options = [...(m.options ?? []), `size=${req.shmSize}`];
    base.push(m);
  }
  if (req.initHostPath) {
    base.push({ destination: INIT_PATH_IN_CONTAINER, type: "bind", source: req.initHostPath, options: ["bind", "ro"] });
  }

  let mounts = base.map((m) => {
    if (!req.readonlyRootfs || WRITABLE_WITH_RO_ROOTFS.has(m.destination) || m.options?.includes("ro")) return m;
    return { ...m, options: [...(m.options ?? []), "ro"] };
  });
  if (req.privileged) mounts = mounts.map((m) => (m.destination === "/sys" ? withoutOption(m, "ro") : m));
  if (req.privileged || req.writableCgroups) mounts = mounts.map((m) => (m.type === "cgroup" ? withoutOption(m, "ro") : m));
  return [...mounts, ...userMounts];
}
