import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fsat, nativeBinDir } from "./native.js";
import { ScopedRoot } from "./scoped-root.js";

export interface ViewMount {
  /** Host path (a volume's directory, a bind's source). */
  source: string;
  /** Where it appears inside the view; resolved inside the root, created when missing. */
  destination: string;
  readonly: boolean;
  /** Mount a directory (default) or a single file. */
  isDir?: boolean;
}

export interface ViewSpec {
  /** An existing directory to mount the root on; it is only used inside the helper's namespace. */
  target: string;
  /** An overlay to mount (its `-o` options), or a directory to bind (an overlay already mounted). */
  root: { overlay: string } | { bind: string };
  /** Everything read-only (for reads); otherwise each mount's own flag. */
  readonly?: boolean;
  /** The root read-only, mounts as they say (a --read-only container). */
  rootReadonly?: boolean;
  mounts?: ViewMount[];
}

/**
 * Run `fn` on a filesystem view assembled by dist/bin/wharf-fsview in a
 * private mount namespace: the root (nodev, nosuid) with `mounts` on top,
 * as a container sees them, nothing of it visible on the host. `fn` gets
 * the view as a ScopedRoot; the namespace is gone once `fn` settles (and
 * also if the daemon dies: the helper is killed with it).
 */
export async function withView<T>(spec: ViewSpec, fn: (root: ScopedRoot) => Promise<T>): Promise<T> {
  const args = ["--target", spec.target];
  if ("overlay" in spec.root) args.push("--overlay", spec.root.overlay);
  else args.push("--bind", spec.root.bind);
  if (spec.readonly || spec.rootReadonly) args.push("--ro");
  const mounts = [...(spec.mounts ?? [])].sort((a, b) => depth(a.destination) - depth(b.destination));
  for (const m of mounts) args.push("--mount", m.source, m.destination, spec.readonly || m.readonly ? "ro" : "rw", m.isDir === false ? "file" : "dir");

  const helper = spawn(path.join(nativeBinDir(), "wharf-fsview"), args, { stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => helper.once("close", (code) => resolve(code)));
  let stderr = "";
  helper.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4096)));
  helper.stdin.on("error", () => undefined);
  const ready = await new Promise<boolean>((resolve) => {
    let out = "";
    helper.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.includes("ready\n")) resolve(true);
    });
    helper.once("error", (err) => {
      stderr ||= err.message;
      resolve(false);
    });
    void exited.then(() => resolve(false));
  });
  let root: ScopedRoot | undefined;
  try {
    if (!ready) {
      await exited;
      throw new Error(`cannot assemble the container's filesystem: ${stderr.trim() || "the helper exited"}`);
    }
    const a = fsat();
    root = ScopedRoot.adopt(fs.openSync(`/proc/${helper.pid}/cwd`, a.O_PATH | a.O_DIRECTORY), spec.target);
    return await fn(root);
  } finally {
    root?.close();
    helper.stdin.end();
    const t = setTimeout(() => helper.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(t);
  }
}

function depth(p: string): number {
  return p.split("/").filter(Boolean).length;
}
