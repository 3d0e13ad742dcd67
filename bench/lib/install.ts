// Installs the reference engines and tools from Debian when they are missing.
import { runCmd } from "./proc.js";

const PACKAGES: Record<string, string> = {
  dockerd: "docker.io",
  containerd: "containerd",
  podman: "podman",
  conmon: "conmon",
  hyperfine: "hyperfine",
  wrk: "wrk",
  crun: "crun",
  runc: "runc",
  "registry": "docker-registry",
  skopeo: "skopeo",
  netavark: "netavark",
  "aardvark-dns": "aardvark-dns",
  "docker-compose": "docker-compose",
  "podman-compose": "podman-compose",
};

async function has(bin: string): Promise<boolean> {
  if (bin === "registry") return (await runCmd({ cmd: "sh", args: ["-c", "test -x /usr/bin/docker-registry"] })).code === 0;
  // Podman's network helpers live outside the PATH
  if (bin === "netavark" || bin === "aardvark-dns") return (await runCmd({ cmd: "sh", args: ["-c", `test -x /usr/lib/podman/${bin}`] })).code === 0;
  return (await runCmd({ cmd: "sh", args: ["-c", `command -v ${bin}`] })).code === 0;
}

export async function ensureTools(log: (s: string) => void): Promise<void> {
  const missing: string[] = [];
  for (const [bin, pkg] of Object.entries(PACKAGES)) if (!(await has(bin))) missing.push(pkg);
  if (missing.length === 0) return;
  log(`installing ${missing.join(" ")} from Debian`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  await runCmd({ cmd: "apt-get", args: ["update", "-q"], env }, { timeoutMs: 300_000 });
  const r = await runCmd({ cmd: "apt-get", args: ["install", "-y", "-q", ...missing], env }, { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed: ${r.stderr.slice(-500)}`);
}
