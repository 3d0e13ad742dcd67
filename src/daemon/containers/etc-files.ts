import { promises as fs } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../lib/atomic-file.js";
import type { ContainerRecord } from "./types.js";

export interface EtcFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

export function etcFilePaths(containerDir: string): EtcFiles {
  return {
    hostname: path.join(containerDir, "hostname"),
    hosts: path.join(containerDir, "hosts"),
    resolvConf: path.join(containerDir, "resolv.conf"),
  };
}

const LOOPBACK_NS = /^\s*nameserver\s+(127\.|::1\s*$)/;

/**
 * /etc/hostname, /etc/hosts and /etc/resolv.conf for a container, written in
 * its own directory and bind-mounted in. With host networking the host's own
 * files are used, as Docker does; otherwise loopback resolvers are dropped
 * (they would point into the container itself) and Docker's public fallback
 * servers are used when none remain.
 */
export async function writeEtcFiles(containerDir: string, c: ContainerRecord): Promise<EtcFiles> {
  const files = etcFilePaths(containerDir);
  const hostNet = c.hostConfig.NetworkMode === "host";
  const hostname = c.config.Hostname || c.id.slice(0, 12);
  await writeFileAtomic(files.hostname, hostname + "\n");

  let hosts: string;
  if (hostNet) {
    hosts = await fs.readFile("/etc/hosts", "utf8").catch(() => "127.0.0.1\tlocalhost\n");
  } else {
    hosts =
      "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
  }
  for (const extra of c.hostConfig.ExtraHosts ?? []) {
    const i = extra.indexOf(":");
    if (i > 0) hosts += `${extra.slice(i + 1)}\t${extra.slice(0, i)}\n`;
  }
  await writeFileAtomic(files.hosts, hosts);

  const hostResolv = await fs.readFile("/etc/resolv.conf", "utf8").catch(() => "");
  let resolv: string;
  if (hostNet) {
    resolv = hostResolv;
  } else {
    const lines = hostResolv.split("\n").filter((l) => !LOOPBACK_NS.test(l));
    const dns = c.hostConfig.Dns ?? [];
    const search = c.hostConfig.DnsSearch ?? [];
    const opts = c.hostConfig.DnsOptions ?? [];
    let body = lines
      .filter((l) => !(dns.length && /^\s*nameserver\s/.test(l)))
      .filter((l) => !(search.length && /^\s*(search|domain)\s/.test(l)))
      .filter((l) => !(opts.length && /^\s*options\s/.test(l)))
      .join("\n")
      .trim();
    const extra: string[] = [];
    for (const d of dns) extra.push(`nameserver ${d}`);
    if (search.length) extra.push(`search ${search.join(" ")}`);
    if (opts.length) extra.push(`options ${opts.join(" ")}`);
    body = [body, ...extra].filter(Boolean).join("\n");
    if (!/^\s*nameserver\s/m.test(body)) body += "\nnameserver 8.8.8.8\nnameserver 8.8.4.4";
    resolv = body.trim() + "\n";
  }
  await writeFileAtomic(files.resolvConf, resolv);
  return files;
}
