import type { ExecService } from "../exec/exec-service.js";
import { collectingSocket, type ProbeRunner } from "./health-extension.js";

/** Runs health probes through the exec service, as dockerd does (they show as exec events too). */
export class ExecProbeRunner implements ProbeRunner {
  constructor(private readonly exec: ExecService) {}

  async run(containerId: string, cmd: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    const { Id } = await this.exec.create(containerId, { Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const { socket, text } = collectingSocket(4096);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    // On timeout the probe's process is killed and the result is in at once: a child it left
    // behind (`sh -c "sleep 60"`) may hold the output open long after, as with dockerd.
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        const pid = this.exec.store.get(Id).pid;
        try {
          if (pid) process.kill(pid, "SIGKILL");
        } catch {
          /* already gone */
        }
        resolve();
      }, timeoutMs);
    });
    const started = this.exec.start(Id, { detach: false, socket });
    try {
      await Promise.race([started, expired]);
    } finally {
      clearTimeout(timer);
    }
    if (timedOut) {
      started.catch(() => undefined);
      return { exitCode: -1, output: `Health check exceeded timeout (${formatDuration(timeoutMs)})` };
    }
    return { exitCode: this.exec.store.get(Id).exitCode ?? -1, output: text() };
  }
}

/** Go's time.Duration String for whole milliseconds ("30s", "1.5s", "500ms"). */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${(ms % 60_000) / 1000}s`;
}
