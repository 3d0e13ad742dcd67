/** Fixtures shared by the spec tests: a temp rootfs with user databases and a host description. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HostInfo } from "../host-info.js";
import type { SpecInput } from "./build-spec.js";

export const PASSWD = [
  "root:x:0:0:root:/root:/bin/sh",
  "daemon:x:1:1:daemon:/usr/sbin:/bin/false",
  "alice:x:1000:1000:Alice:/home/alice:/bin/sh",
  "bob:x:1001:1001::/home/bob:/bin/sh",
  "",
].join("\n");

export const GROUP = [
  "root:x:0:",
  "daemon:x:1:",
  "tty:x:5:",
  "alice:x:1000:",
  "bob:x:1001:",
  "staff:x:50:alice,bob",
  "audio:x:29:alice",
  "",
].join("\n");

/** A temp dir holding rootfs/ with /etc/passwd and /etc/group; call cleanup() when done. */
export async function makeRootfs(prefix = "wharf-spec-"): Promise<{ dir: string; rootfs: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const rootfs = join(dir, "rootfs");
  await mkdir(join(rootfs, "etc"), { recursive: true });
  await writeFile(join(rootfs, "etc/passwd"), PASSWD);
  await writeFile(join(rootfs, "etc/group"), GROUP);
  return { dir, rootfs, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const TEST_HOST: HostInfo = {
  cgroupVersion: 1,
  cgroupHybrid: false,
  nofileHardLimit: 20000,
  ncpu: 2,
  memTotal: 4 * 1024 ** 3,
  kernelVersion: "6.1.0-18-amd64",
};

export function baseInput(rootfs: string, over: Partial<SpecInput> = {}): SpecInput {
  return {
    id: "a".repeat(64),
    rootfsPath: rootfs,
    args: ["/bin/sh", "-c", "true"],
    env: [],
    cwd: "",
    user: "",
    tty: false,
    openStdin: false,
    hostname: "aaaaaaaaaaaa",
    domainname: "",
    network: { mode: "none" },
    privileged: false,
    capAdd: [],
    capDrop: [],
    readonlyRootfs: false,
    etcFiles: { hostname: "/tmp/h", hosts: "/tmp/hosts", resolvConf: "/tmp/resolv.conf" },
    cgroupsPath: "/wharf/" + "a".repeat(64),
    ...over,
  };
}
