import type { Duplex } from "node:stream";
import type { EngineClient } from "../../../client/engine-client.js";
import { copyRaw, demuxStream } from "../../../client/stdcopy.js";
import type { CliIo } from "../../context.js";

/**
 * Pump a hijacked attach connection: container output to our stdout/stderr
 * (demultiplexed unless TTY), our stdin to the container when attached,
 * with a half-close when local stdin ends so the container sees EOF.
 * Resolves when the daemon closes the output side.
 */
export function pumpAttach(socket: Duplex, io: CliIo, opts: { tty: boolean; stdin: boolean }): Promise<void> {
  const out = opts.tty
    ? copyRaw(socket, (c) => io.stdout.write(c))
    : demuxStream(socket, { stdout: (c) => io.stdout.write(c), stderr: (c) => io.stderr.write(c) });
  if (opts.stdin) {
    const restore = opts.tty ? enterRawMode(io) : undefined;
    io.stdin.on("data", (c: Buffer) => socket.write(c));
    io.stdin.once("end", () => socket.end());
    out.finally(() => {
      restore?.();
      io.stdin.pause();
    }).catch(() => undefined);
  }
  return out;
}

function enterRawMode(io: CliIo): (() => void) | undefined {
  if (!io.stdin.isTTY || !io.stdin.setRawMode) return undefined;
  io.stdin.setRawMode(true);
  return () => io.stdin.setRawMode?.(false);
}

/** Forward SIGINT/SIGTERM/SIGHUP/... to the container while attached (docker's sig-proxy). */
export function proxySignals(client: EngineClient, id: string): () => void {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];
  const handlers = signals.map((sig) => {
    const h = () => {
      client.containerKill(id, sig).catch(() => undefined);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}

/** Tell the daemon our terminal size (TTY only); failures are not fatal. */
export async function resizeTty(client: EngineClient, id: string, io: CliIo): Promise<void> {
  const out = io.stdout as NodeJS.WriteStream;
  if (!out.isTTY || !out.columns || !out.rows) return;
  await client.call("POST", `/containers/${encodeURIComponent(id)}/resize`, { query: { h: out.rows, w: out.columns } }).catch(() => undefined);
}
