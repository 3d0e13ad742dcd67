import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Node has no mknod(2) or setxattr(2), so the rare entries that need them
 * (overlay whiteouts, device nodes, FIFOs, opaque directories) are made
 * by the coreutils `mknod` and attr's `setfattr` binaries.
 */
export async function makeNode(target: string, kind: "c" | "b" | "p", major: number, minor: number): Promise<void> {
  const args = kind === "p" ? [target, "p"] : [target, kind, String(major), String(minor)];
  try {
    await run("mknod", ["--", ...args]);
  } catch (err) {
    throw new Error(`cannot create ${kind === "p" ? "fifo" : "device node"} ${target}: ${stderrOf(err)}`, { cause: err });
  }
}

/** Mark a directory opaque for overlayfs: lower layers' contents of it are hidden. */
export async function markOpaque(dir: string): Promise<void> {
  try {
    await run("setfattr", ["-n", "trusted.overlay.opaque", "-v", "y", "--", dir]);
  } catch (err) {
    throw new Error(`cannot mark ${dir} opaque (setfattr from the Debian "attr" package is required): ${stderrOf(err)}`, { cause: err });
  }
}

export async function isOpaque(dir: string): Promise<boolean> {
  try {
    const { stdout } = await run("getfattr", ["--only-values", "-n", "trusted.overlay.opaque", "--", dir]);
    return stdout.trim() === "y";
  } catch {
    return false;
  }
}

function stderrOf(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(err)).trim();
}
