import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { closeFd, fdPath, isNotFound, openAt, readdirFd, readlinkFd } from "../../lib/scoped-fs/at.js";
import { fsat } from "../../lib/scoped-fs/native.js";
import type { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";

/**
 * COPY/ADD sources inside a root (the build context or another stage's
 * filesystem, both untrusted): glob expansion with filepath.Match rules
 * (`*`, `?`, `[...]` never cross `/`), and the content checksum the build
 * cache compares: paths, modes, link targets and bytes, never mtimes.
 * Like Docker, a source path is resolved inside its root with every symlink
 * followed (a link to /etc means the root's /etc), and below a source
 * directory links are copied as links.
 */
export interface SourceFile {
  /** Where the source is inside its root, symlinks resolved: what gets copied. */
  path: string;
  /** The name it was asked for by (a copy into a directory keeps it); "" for the root. */
  name: string;
  isDir: boolean;
}

const GLOB_CHARS = /[*?[]/;

function globToRegExp(pattern: string): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new InvalidArgumentError(`syntax error in pattern: ${pattern}`);
      re += "[" + pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\") + "]";
      i = end;
    } else if (ch === "\\" && i + 1 < pattern.length) re += "\\" + pattern[++i];
    else re += ch.replace(/[.+^${}()|\\/-]/g, "\\$&");
  }
  return new RegExp(re + "$");
}

/** Every path below the root, parents first, sorted per directory; symlinks are listed, never entered. */
function walkAll(root: ScopedRoot): string[] {
  const out: string[] = [];
  const a = fsat();
  const visit = (dirFd: number, rel: string) => {
    for (const n of readdirFd(dirFd).sort()) {
      const child = rel ? `${rel}/${n}` : n;
      out.push(child);
      let fd: number;
      try {
        fd = openAt(dirFd, n, a.O_PATH);
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      try {
        if (fs.fstatSync(fd).isDirectory()) visit(fd, child);
      } finally {
        closeFd(fd);
      }
    }
  };
  const top = root.open("/");
  try {
    visit(top, "");
  } finally {
    closeFd(top);
  }
  return out;
}

/** Resolve one source argument (already variable-expanded) to the files it names. */
export async function resolveSources(root: ScopedRoot, src: string, what: "COPY" | "ADD"): Promise<SourceFile[]> {
  const clean = path.posix.normalize("/" + src).slice(1).replace(/\/$/, "");
  const missing = (p: string) => new NotFoundError(`${what} failed: file not found in build context or excluded by .dockerignore: stat ${p || "."}: file does not exist`);
  const source = (rel: string): SourceFile => {
    const resolved = root.realPath("/" + rel);
    const st = root.stat(resolved);
    if (!st) throw missing(rel);
    return { path: resolved, name: rel === "" ? "" : path.posix.basename(rel), isDir: st.isDirectory() };
  };
  if (GLOB_CHARS.test(clean)) {
    const re = globToRegExp(clean);
    return walkAll(root).filter((p) => re.test(p)).map(source);
  }
  return [source(clean)];
}

async function hashFile(pathFd: number): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of fs.createReadStream("", { fd: fs.openSync(fdPath(pathFd), fs.constants.O_RDONLY) })) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** sha256 over a file or tree (inside `root`): names, modes, link targets, contents. */
export async function checksum(root: ScopedRoot, p: string, extra = ""): Promise<string> {
  const h = createHash("sha256");
  h.update(extra);
  const visit = async (fd: number, rel: string) => {
    const st = fs.fstatSync(fd);
    h.update(`${rel}\0${st.mode.toString(8)}\0`);
    if (st.isSymbolicLink()) h.update(`l:${readlinkFd(fd)}\0`);
    else if (st.isFile()) h.update(`f:${await hashFile(fd)}\0`);
    else if (st.isDirectory()) {
      for (const n of readdirFd(fd).sort()) {
        const child = openAt(fd, n, fsat().O_PATH);
        try {
          await visit(child, `${rel}/${n}`);
        } finally {
          closeFd(child);
        }
      }
    }
  };
  const top = root.open(p);
  try {
    await visit(top, "");
  } finally {
    closeFd(top);
  }
  return h.digest("hex");
}

/** Docker's history form of a source set: `file:<hex>`, `dir:<hex>` or `multi:<hex>`. */
export async function sourcesDigest(root: ScopedRoot, files: { path: string; isDir: boolean }[], extra = ""): Promise<string> {
  const sums: string[] = [];
  for (const f of files) sums.push(await checksum(root, f.path, extra));
  if (files.length === 1) return `${files[0]!.isDir ? "dir" : "file"}:${sums[0]}`;
  return `multi:${createHash("sha256").update(sums.join(",")).digest("hex")}`;
}
