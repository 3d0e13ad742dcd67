import { promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { create as tarCreate, extract as tarExtract } from "tar";
import type { CliContext, CommandModule } from "../../context.js";
import { StatusError } from "../../context.js";
import { bool, type ParsedFlags } from "../../flags.js";
import { humanSize } from "../../format/human.js";

/** `wharf cp`: copy between a container and the local filesystem through the archive API. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\twharf cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
  short: "Copy files/folders between a container and the local filesystem",
  aliases: ["container cp", "cp"],
  args: { exact: 2 },
  flags: [
    { long: "archive", short: "a", kind: "bool", usage: "Archive mode (copy all uid/gid information)" },
    { long: "follow-link", short: "L", kind: "bool", usage: "Always follow symbol link in SRC_PATH" },
    { long: "quiet", short: "q", kind: "bool", usage: "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached" },
  ],
};

/** "name:/path" → container + path; a local path (absolute, ./, or without a colon) → undefined. */
function splitRef(arg: string): { container: string; path: string } | undefined {
  if (arg.startsWith("/") || arg.startsWith(".")) return undefined;
  const i = arg.indexOf(":");
  if (i <= 0) return undefined;
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const [srcArg, dstArg] = p.args as [string, string];
  const src = splitRef(srcArg);
  const dst = splitRef(dstArg);
  if (src && dst) throw new StatusError(1, "copying between containers is not supported");
  if (!src && !dst) throw new StatusError(1, "must specify at least one container source");
  const client = await ctx.client();
  const quiet = bool(p, "quiet") || !ctx.io.stderr.isTTY;
  if (src) {
    if (!src.path) throw new StatusError(1, "filepath can not be empty");
    const res = await client.containerGetArchive(src.container, src.path);
    if (dstArg === "-") return void (await pipeline(res, ctx.io.stdout));
    const size = await extractLocal(res, dstArg, path.posix.basename(src.path) || ".");
    if (!quiet) ctx.io.stderr.write(`Successfully copied ${humanSize(size)} to ${dstArg}\n`);
    return;
  }
  const target = dst!;
  if (!target.path) throw new StatusError(1, "filepath can not be empty");
  if (srcArg === "-") {
    await client.containerPutArchive(target.container, target.path, ctx.io.stdin, { copyUIDGID: bool(p, "archive"), noOverwriteDirNonDir: true });
    return;
  }
  const st = await fs.lstat(srcArg).catch(() => undefined);
  if (!st) throw new StatusError(1, `lstat ${path.resolve(srcArg)}: no such file or directory`);
  // Into an existing directory the source keeps its name; otherwise it becomes the last path element.
  let dir = target.path;
  let name = path.basename(srcArg);
  const stat = await client.containerStatPath(target.container, target.path).catch(() => undefined);
  if (!stat || (stat.mode & 2 ** 31) === 0) {
    if (target.path.endsWith("/")) throw new StatusError(1, `Error response from daemon: Could not find the file ${target.path} in container ${target.container}`);
    dir = path.posix.dirname(target.path);
    name = path.posix.basename(target.path);
  }
  const tmp = await fs.mkdtemp(path.join(path.dirname(path.resolve(srcArg)), ".wharf-cp-"));
  try {
    const staged = path.join(tmp, name);
    await fs.cp(srcArg, staged, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    const tar = tarCreate({ cwd: tmp, portable: !bool(p, "archive"), follow: bool(p, "follow-link") }, [name]) as unknown as Readable;
    await client.containerPutArchive(target.container, dir, tar, { copyUIDGID: bool(p, "archive"), noOverwriteDirNonDir: true });
    if (!quiet) ctx.io.stderr.write(`Successfully copied ${humanSize(st.size)} to ${dstArg}\n`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** Extract a copied-out tar to `dest`: into it when it is a directory, else as `dest` itself. Returns the bytes written. */
async function extractLocal(tar: Readable, dest: string, topName: string): Promise<number> {
  const st = await fs.stat(dest).catch(() => undefined);
  const intoDir = st?.isDirectory();
  const parent = intoDir ? dest : path.dirname(path.resolve(dest));
  const tmp = await fs.mkdtemp(path.join(parent, ".wharf-cp-"));
  let size = 0;
  try {
    await pipeline(tar, tarExtract({ cwd: tmp, preservePaths: false, onReadEntry: (e) => void (size += e.size ?? 0) }) as unknown as NodeJS.WritableStream);
    const entries = await fs.readdir(tmp);
    if (topName === ".") {
      // The container's root ("/", "/bin/", ... in the tar): its contents go into dest, or become dest.
      if (!intoDir) return await fs.rename(tmp, dest).then(() => size);
      for (const e of entries) {
        await fs.rm(path.join(dest, e), { recursive: true, force: true }).catch(() => undefined);
        await fs.rename(path.join(tmp, e), path.join(dest, e));
      }
      return size;
    }
    const got = entries.includes(topName) ? topName : entries[0];
    if (!got) return 0;
    const target = intoDir ? path.join(dest, got) : dest;
    await fs.rm(target, { recursive: true, force: true }).catch(() => undefined);
    await fs.rename(path.join(tmp, got), target);
    return size;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
