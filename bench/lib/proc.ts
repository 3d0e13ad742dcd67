// Process helpers for the benchmark: bounded, timed child processes.
import { spawn } from "node:child_process";

export interface Cmd {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
}

export interface Ran {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
  /** Bytes seen on stdout (counted even when the text is discarded). */
  outBytes: number;
}

export interface RunOpts {
  timeoutMs?: number;
  /** Discard stdout (still counted) instead of keeping it as text: for 100 MB streams. */
  discardStdout?: boolean;
  input?: string;
}

/**
 * The environment of every measured command. NODE_EXTRA_CA_CERTS (set on some CI and sandbox
 * machines, never by a Node install) makes each Node process parse a CA bundle at start
 * (~40 ms of CPU): wharf's own CLI rows are measured as a user's machine runs them.
 */
export function childEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Run a command to completion, wall-clock timed from spawn to exit. Never inherits stdin. */
export function runCmd(c: Cmd, opts: RunOpts = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(c.cmd, c.args, { env: childEnv(c.env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let outBytes = 0;
    child.stdout.on("data", (d: Buffer) => {
      outBytes += d.length;
      if (!opts.discardStdout && stdout.length < 1 << 20) stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 1 << 16) stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", (err) => (stderr += String(err)));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout, stderr, outBytes });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Run and throw with the command's stderr when it fails. */
export async function must(c: Cmd, opts: RunOpts = {}): Promise<Ran> {
  const r = await runCmd(c, opts);
  if (r.code !== 0) throw new CommandError(c, r);
  return r;
}

export class CommandError extends Error {
  constructor(readonly c: Cmd, readonly r: Ran) {
    const out = (r.stderr || r.stdout).trim();
    // a long error's cause is usually at its end (a traceback, a daemon's last words)
    const shown = out.length > 600 ? `${out.slice(0, 200)} … ${out.slice(-400)}` : out;
    super(`${[c.cmd, ...c.args].join(" ").slice(0, 160)} → exit ${r.code}: ${shown}`);
  }
}

export const sh = (script: string, env?: Record<string, string>): Cmd => ({ cmd: "sh", args: ["-c", script], env });

/** Poll until fn returns truthy; throws after timeoutMs. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Run `fn` over items with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}
