import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { ConnectionError } from "./api-error.js";
import type { EngineClient } from "./engine-client.js";

export const AUTOSTART_LOG = "/var/log/wharf.log";

/**
 * Start a local daemon when the default socket has nobody behind it: spawn
 * `<wharf> daemon` detached (surviving this CLI), its output appended to
 * the log, then poll `/_ping` until it answers or the deadline passes.
 * Callers decide whether auto-start applies (default host, root user).
 */
export async function startDaemonAndWait(
  client: EngineClient,
  wharfBin: string,
  opts: { timeoutMs?: number; log?: string; onStarted?: (log: string) => void } = {},
): Promise<void> {
  const log = opts.log ?? AUTOSTART_LOG;
  const fd = openSync(log, "a");
  try {
    const child = spawn(process.execPath, [wharfBin, "daemon"], { detached: true, stdio: ["ignore", fd, fd] });
    child.unref();
  } finally {
    closeSync(fd);
  }
  opts.onStarted?.(log);
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let delay = 25;
  for (;;) {
    try {
      await client.negotiate();
      return;
    } catch (err) {
      if (!(err instanceof ConnectionError) || Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}
