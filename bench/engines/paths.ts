// Where the bench keeps its private state; short names because unix socket paths must stay < 108 bytes.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const RUN_ID = randomBytes(3).toString("hex");
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const BUSYBOX_TAR = path.join(REPO, "build", "busybox.tar");
export const BASE = `/tmp/wbench-${RUN_ID}`;

export function engineDirs(tag: string) {
  const base = `${BASE}/${tag}`;
  return {
    base,
    dataRoot: `${base}/root`,
    execRoot: `/run/wb${tag[0]}-${RUN_ID}`,
    socket: `/run/wb${tag[0]}-${RUN_ID}.sock`,
    pidfile: `${base}/daemon.pid`,
    log: `${base}/daemon.log`,
    cgroupParent: `/wbench-${tag}-${RUN_ID}`,
  };
}
