import { promises as fs } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../lib/atomic-file.js";
import { extraHostLines, hostsFile, resolvConf, type DaemonDns } from "./etc-content.js";
import type { ContainerRecord } from "./types.js";

export interface EtcFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

/** What goes into the three files; extensions (networking) adjust it before it is written. */
export type EtcContent = EtcFiles;

export function etcFilePaths(containerDir: string): EtcFiles {
  return {
    hostname: path.join(containerDir, "hostname"),
    hosts: path.join(containerDir, "hosts"),
    resolvConf: path.join(containerDir, "resolv.conf"),
  };
}

/**
 * Docker's defaults for /etc/hostname, /etc/hosts and /etc/resolv.conf: the
 * host's own files with host networking, otherwise loopback-only hosts and the
 * host's resolvers without loopback ones. The network extension replaces hosts
 * and resolv.conf for containers it gives an address or an embedded DNS.
 */
export async function defaultEtcContent(c: ContainerRecord, daemonDns?: DaemonDns): Promise<EtcContent> {
  const hostname = (c.config.Hostname || c.id.slice(0, 12)) + "\n";
  if (c.hostConfig.NetworkMode === "host") {
    const hosts = await fs.readFile("/etc/hosts", "utf8").catch(() => "127.0.0.1\tlocalhost\n");
    return { hostname, hosts: hosts + extraHostLines(c, ""), resolvConf: await fs.readFile("/etc/resolv.conf", "utf8").catch(() => "") };
  }
  return { hostname, hosts: hostsFile(c, undefined, ""), resolvConf: resolvConf(c, undefined, daemonDns) };
}

/** Write the three files in the container's directory (they are bind-mounted in). */
export async function writeEtcFiles(containerDir: string, content: EtcContent): Promise<EtcFiles> {
  const files = etcFilePaths(containerDir);
  await Promise.all([
    writeFileAtomic(files.hostname, content.hostname),
    writeFileAtomic(files.hosts, content.hosts),
    writeFileAtomic(files.resolvConf, content.resolvConf),
  ]);
  return files;
}
