import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import { WharfError } from "../lib/errors.js";

/**
 * The kernel side of networking through iproute2 (`ip`), one process per
 * batch: `ip -b -` takes many commands on stdin, so a container's veth,
 * address and routes cost two execs, not ten. Netlink from Node would need
 * a native addon; measured, a batch exec is ~3 ms, well under a container start.
 */
export function ipBatch(commands: string[], netns?: string, opts: { force?: boolean } = {}): Promise<void> {
  if (!commands.length) return Promise.resolve();
  const args = [...(netns ? ["-n", netns] : []), ...(opts.force ? ["-force"] : []), "-b", "-"];
  return run("ip", args, commands.join("\n") + "\n");
}

export function run(cmd: string, args: string[], input?: string): Promise<void> {
  return output(cmd, args, input).then(() => undefined);
}

export function output(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new WharfError(`${cmd} ${args.join(" ")}: ${String(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export interface LinkInfo {
  ifname: string;
  master?: string;
  link_type?: string;
  operstate?: string;
  address?: string;
  linkinfo?: { info_kind?: string };
}

export async function listLinks(): Promise<LinkInfo[]> {
  return JSON.parse((await output("ip", ["-d", "-j", "link", "show"])) || "[]") as LinkInfo[];
}

export async function linkExists(name: string): Promise<boolean> {
  return output("ip", ["link", "show", "dev", name]).then(() => true, () => false);
}

/** IPv4 prefixes the host routes or holds: any new subnet must overlap none of them. */
export async function usedHostPrefixes(): Promise<string[]> {
  const routes = JSON.parse((await output("ip", ["-4", "-j", "route", "show", "table", "all"])) || "[]") as { dst: string; type?: string }[];
  const addrs = JSON.parse((await output("ip", ["-4", "-j", "addr", "show"])) || "[]") as { addr_info: { local: string; prefixlen: number }[] }[];
  const out: string[] = [];
  for (const r of routes) {
    if (!r.dst || r.dst === "default" || (r.type && r.type !== "unicast")) continue;
    out.push(r.dst.includes("/") ? r.dst : `${r.dst}/32`);
  }
  for (const a of addrs) for (const i of a.addr_info) out.push(`${i.local}/${i.prefixlen}`);
  return out.filter((p) => !p.startsWith("127."));
}

/** IPv6 prefixes the host routes (link-local and multicast aside): a new IPv6 subnet must overlap none. */
export async function usedHostPrefixes6(): Promise<string[]> {
  const routes = JSON.parse((await output("ip", ["-6", "-j", "route", "show", "table", "all"]).catch(() => "[]")) || "[]") as { dst: string; type?: string }[];
  return routes
    .filter((r) => r.dst && r.dst !== "default" && (!r.type || r.type === "unicast") && !/^(fe80|ff|::1)/i.test(r.dst))
    .map((r) => (r.dst.includes("/") ? r.dst : `${r.dst}/128`));
}

export async function writeSysctl(key: string, value: string): Promise<void> {
  await fs.writeFile(`/proc/sys/${key.replace(/\./g, "/")}`, value).catch((err) => {
    throw new WharfError(`cannot set ${key}=${value}: ${(err as Error).message}`);
  });
}

export async function netnsExists(name: string): Promise<boolean> {
  return fs.access(`/run/netns/${name}`).then(() => true, () => false);
}

/** A named network namespace (/run/netns/<name>, a bind mount), so it outlives the daemon and the container's first process. */
export async function addNetns(name: string, loUp = true): Promise<void> {
  if (!(await netnsExists(name))) await run("ip", ["netns", "add", name]);
  // Callers that run their own batch inside the netns bring lo up there (one exec less).
  if (loUp) await ipBatch(["link set lo up"], name);
}

export async function deleteNetns(name: string): Promise<void> {
  if (await netnsExists(name)) await run("ip", ["netns", "delete", name]).catch(() => undefined);
}
