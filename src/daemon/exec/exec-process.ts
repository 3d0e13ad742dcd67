import { promises as fs } from "node:fs";
import path from "node:path";
import { resolveUser, resolveCapabilities, detectHostInfo, type OciProcess } from "../../runtime/spec/index.js";
import type { ExecConfig } from "./exec-store.js";

/**
 * The OCI process for an exec: it starts from the container's own process
 * (capabilities, rlimits, no-new-privileges, env) and applies the exec's
 * command, user, working dir, env and privilege, as Docker does.
 */
export async function buildExecProcess(bundleDir: string, rootfs: string, exec: ExecConfig): Promise<OciProcess> {
  const spec = JSON.parse(await fs.readFile(path.join(bundleDir, "config.json"), "utf8")) as { process: OciProcess };
  const base = spec.process;
  const env = new Map<string, string>();
  for (const e of [...(base.env ?? []), ...(exec.Env ?? [])]) {
    const i = e.indexOf("=");
    env.set(i < 0 ? e : e.slice(0, i), e);
  }
  if (exec.Tty && !env.has("TERM")) env.set("TERM", "TERM=xterm");
  const proc: OciProcess = {
    ...base,
    terminal: !!exec.Tty,
    args: exec.Cmd,
    env: [...env.values()],
    cwd: exec.WorkingDir || base.cwd || "/",
  };
  delete proc.consoleSize;
  // The runtime sizes the terminal before the process starts, so `stty size` sees it at once.
  const size = exec.Tty ? exec.ConsoleSize : undefined;
  if (size && (size[0] > 0 || size[1] > 0)) proc.consoleSize = { height: size[0], width: size[1] };
  if (exec.User) {
    const u = await resolveUser(rootfs, exec.User);
    proc.user = { uid: u.uid, gid: u.gid, additionalGids: u.additionalGids };
    if (u.uid !== 0 && proc.capabilities) {
      // Like the container's own process: a non-root user keeps only the bounding set.
      proc.capabilities = { bounding: proc.capabilities.bounding };
    }
  }
  if (exec.Privileged) {
    const host = await detectHostInfo();
    const all = resolveCapabilities({ capAdd: [], capDrop: [], privileged: true, available: host.boundingCaps });
    proc.capabilities = { bounding: all, effective: all, permitted: all };
  }
  return proc;
}
