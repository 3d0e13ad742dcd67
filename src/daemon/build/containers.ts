import { Duplex } from "node:stream";
import type { ContainerService } from "../containers/container-service.js";
import type { CreateRequest } from "../containers/create.js";

/**
 * Intermediate containers of a build, through the ContainerService's public
 * lifecycle (create / attach / start / wait / remove), like dockerd's
 * classic builder uses its daemon.
 */
export async function createIntermediate(cs: ContainerService, body: CreateRequest): Promise<{ id: string; upperDir: string; lowerDirs: string[]; workDir: string; mergedDir: string }> {
  const { Id } = await cs.create(body, undefined);
  const layers = cs.get(Id).layers;
  if (!layers) throw new Error(`container ${Id} has no prepared rootfs`);
  return { id: Id, ...layers };
}

/** Start, stream stdout/stderr to `onOutput`, wait for the exit; returns the exit code. */
export async function runToExit(cs: ContainerService, id: string, onOutput: (text: string) => void): Promise<number> {
  let pending = Buffer.alloc(0);
  const decoder = new TextDecoder();
  let ended!: () => void;
  const endedP = new Promise<void>((r) => (ended = r));
  // The attach side writes stdcopy frames (8-byte header + payload).
  const sink = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const len = pending.readUInt32BE(4);
        if (pending.length < 8 + len) break;
        onOutput(decoder.decode(pending.subarray(8, 8 + len), { stream: true }));
        pending = pending.subarray(8 + len);
      }
      cb();
    },
    final(cb) {
      ended();
      cb();
    },
  });
  cs.attach(id, sink, { stdin: false, stdout: true, stderr: true });
  let registered!: () => void;
  const reg = new Promise<void>((r) => (registered = r));
  const never = new Promise<void>(() => undefined);
  const waiting = cs.wait(id, "next-exit", registered, never);
  await reg;
  await cs.start(id);
  const { StatusCode } = await waiting;
  // Output frames may trail the exit notice by a moment; the attach stream ends right after.
  await Promise.race([endedP, new Promise((r) => setTimeout(r, 2000).unref())]);
  return StatusCode;
}

/** Remove a container, retrying while its monitor is still unmounting the rootfs. */
export async function removeIntermediate(cs: ContainerService, id: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await cs.remove(id, { force: true });
      return;
    } catch (err) {
      if (i >= 100) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
