// Installs what the bench needs from Debian when it is missing: the same list setup.sh installs
// (scripts/apt/bench.txt), so a machine that only ran setup, or nothing at all, can run the bench.
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO } from "../engines/paths.js";
import { runCmd } from "./proc.js";

export function benchPackages(): string[] {
  const text = readFileSync(path.join(REPO, "scripts", "apt", "bench.txt"), "utf8");
  return text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);
}

async function installed(pkg: string): Promise<boolean> {
  const r = await runCmd({ cmd: "dpkg-query", args: ["-W", "-f=${Status}", pkg] });
  return r.code === 0 && r.stdout.includes("install ok installed");
}

export async function ensureTools(log: (s: string) => void): Promise<void> {
  const missing: string[] = [];
  for (const pkg of benchPackages()) if (!(await installed(pkg))) missing.push(pkg);
  if (missing.length === 0) return;
  log(`installing ${missing.join(" ")} from Debian`);
  // No system service may start on a shared machine (docker.io would start a system dockerd).
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  await runCmd({ cmd: "apt-get", args: ["-o", "DPkg::Lock::Timeout=600", "update", "-q"], env }, { timeoutMs: 300_000 });
  const policy = "/usr/sbin/policy-rc.d";
  const hadPolicy = (await runCmd({ cmd: "test", args: ["-e", policy] })).code === 0;
  if (!hadPolicy) await runCmd({ cmd: "sh", args: ["-c", `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod +x ${policy}`] });
  try {
    const r = await runCmd({ cmd: "apt-get", args: ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "--no-install-recommends", ...missing], env }, { timeoutMs: 600_000 });
    if (r.code !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed: ${r.stderr.slice(-500)}`);
  } finally {
    if (!hadPolicy) await runCmd({ cmd: "rm", args: ["-f", policy] });
  }
}
