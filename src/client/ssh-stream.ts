import type { ChildProcess } from "node:child_process";
import type childProcess from "node:child_process";
import { Duplex } from "node:stream";
import type { SshHost } from "./host.js";
import { lazyBuiltin } from "../lib/lazy-builtin.js";

const spawnMod = lazyBuiltin<typeof childProcess>("node:child_process");

/**
 * One connection to a remote engine through the system `ssh` (the user's keys,
 * agent, known_hosts and ~/.ssh/config): `ssh -o ConnectTimeout=30 -T [-l USER]
 * [-p PORT] -- HOST wharf [--host unix://PATH] system dial-stdio`, docker's
 * connhelper with wharf on the far side. The process's stdio is the stream;
 * it gets the few socket methods node's http client and agent call.
 */
export class SshStream extends Duplex {
  private readonly child: ChildProcess;
  private stderr = "";
  private gotData = false;

  constructor(host: SshHost, remote: string[] = remoteCommand(host)) {
    super({ allowHalfOpen: true });
    this.child = spawnMod().spawn("ssh", sshArgs(host, remote), { stdio: ["pipe", "pipe", "pipe"] });
    const out = this.child.stdout!;
    out.on("data", (d: Buffer) => {
      this.gotData = true;
      if (!this.push(d)) out.pause();
    });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4096)));
    this.child.stdin!.on("error", () => undefined); // ssh gone: reported through 'exit'
    this.child.on("error", (err) => this.destroy(new Error(`ssh: ${err.message}`)));
    // End the stream only once ssh has exited: a failure before any byte (auth,
    // host key, no wharf over there) becomes an error carrying ssh's own words.
    this.child.on("close", (code, signal) => {
      if (this.destroyed) return;
      if (code !== 0 && !this.gotData) {
        const why = signal ? `signal ${signal}` : `exit status ${code}`;
        this.destroy(new Error(`command [ssh ${sshArgs(host, remote).join(" ")}] has exited with ${why}, make sure the URL is valid, and wharf is installed on the remote host: stderr=${this.stderr.trim()}`));
        return;
      }
      this.push(null);
    });
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.child.stdin!.write(chunk, (err) => cb(err ?? null));
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.child.stdin!.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    cb(err);
  }

  // what node's http client and keep-alive agent call on a socket
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(_ms: number, cb?: () => void): this {
    if (cb) this.once("timeout", cb);
    return this;
  }
  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdout, this.child.stdin, this.child.stderr]) (s as unknown as { ref?: () => void })?.ref?.();
    return this;
  }
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdout, this.child.stdin, this.child.stderr]) (s as unknown as { unref?: () => void })?.unref?.();
    return this;
  }
}

export function remoteCommand(host: SshHost): string[] {
  return ["wharf", ...(host.path ? ["--host", `unix://${host.path}`] : []), "system", "dial-stdio"];
}

function sshArgs(host: SshHost, remote: string[]): string[] {
  return ["-o", "ConnectTimeout=30", "-T", ...(host.user ? ["-l", host.user] : []), ...(host.port ? ["-p", host.port] : []), "--", host.hostname, ...remote];
}
