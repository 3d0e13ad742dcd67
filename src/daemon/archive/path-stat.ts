import type { Stats } from "node:fs";

/** Go's os.FileMode type bits, which Docker's PathStat.mode carries. */
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_PIPE = 2 ** 25;
const MODE_SOCKET = 2 ** 24;
const MODE_SETUID = 2 ** 23;
const MODE_SETGID = 2 ** 22;
const MODE_CHARDEV = 2 ** 21;
const MODE_STICKY = 2 ** 20;

export function goFileMode(st: Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m += MODE_DIR;
  else if (st.isSymbolicLink()) m += MODE_SYMLINK;
  else if (st.isFIFO()) m += MODE_PIPE;
  else if (st.isSocket()) m += MODE_SOCKET;
  else if (st.isCharacterDevice()) m += MODE_DEVICE + MODE_CHARDEV;
  else if (st.isBlockDevice()) m += MODE_DEVICE;
  if (st.mode & 0o4000) m += MODE_SETUID;
  if (st.mode & 0o2000) m += MODE_SETGID;
  if (st.mode & 0o1000) m += MODE_STICKY;
  return m;
}

/** Docker's ContainerPathStat, sent base64-encoded in X-Docker-Container-Path-Stat. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export function encodePathStat(s: PathStat): string {
  return Buffer.from(JSON.stringify(s)).toString("base64");
}
