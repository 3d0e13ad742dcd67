import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";

/**
 * COPY/ADD sources inside a root (the build context or another stage's
 * filesystem): glob expansion with filepath.Match rules (`*`, `?`, `[...]`
 * never cross `/`), and the content checksum the build cache compares:
 * paths, modes, link targets and bytes, never mtimes.
 */
export interface SourceFile {
  /** Path relative to the root ("" for the root itself). */
  rel: string;
  abs: string;
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

async function walkAll(root: string, rel = "", out: string[] = []): Promise<string[]> {
  for (const n of (await fs.readdir(path.join(root, rel))).sort()) {
    const child = rel ? `${rel}/${n}` : n;
    out.push(child);
    if ((await fs.lstat(path.join(root, child))).isDirectory()) await walkAll(root, child, out);
  }
  return out;
}

/** Resolve one source argument (already variable-expanded) to the files it names. */
export async function resolveSources(root: string, src: string, what: "COPY" | "ADD"): Promise<SourceFile[]> {
  const clean = path.posix.normalize("/" + src).slice(1).replace(/\/$/, "");
  if (GLOB_CHARS.test(clean)) {
    const re = globToRegExp(clean);
    const matches = (await walkAll(root)).filter((p) => re.test(p));
    const out: SourceFile[] = [];
    for (const rel of matches) out.push({ rel, abs: path.join(root, rel), isDir: (await fs.lstat(path.join(root, rel))).isDirectory() });
    return out;
  }
  const abs = path.join(root, clean);
  try {
    const st = await fs.stat(abs);
    return [{ rel: clean, abs, isDir: st.isDirectory() }];
  } catch {
    throw new NotFoundError(`${what} failed: file not found in build context or excluded by .dockerignore: stat ${clean || "."}: file does not exist`);
  }
}

async function hashFile(abs: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** sha256 over a file or tree: names, modes, link targets, contents. */
export async function checksum(abs: string, extra = ""): Promise<string> {
  const h = createHash("sha256");
  h.update(extra);
  const visit = async (p: string, rel: string) => {
    const st = await fs.lstat(p);
    h.update(`${rel}\0${st.mode.toString(8)}\0`);
    if (st.isSymbolicLink()) h.update(`l:${await fs.readlink(p)}\0`);
    else if (st.isFile()) h.update(`f:${await hashFile(p)}\0`);
    else if (st.isDirectory()) for (const n of (await fs.readdir(p)).sort()) await visit(path.join(p, n), `${rel}/${n}`);
  };
  await visit(abs, "");
  return h.digest("hex");
}

/** Docker's history form of a source set: `file:<hex>`, `dir:<hex>` or `multi:<hex>`. */
export async function sourcesDigest(files: { abs: string; isDir: boolean }[], extra = ""): Promise<string> {
  const sums = await Promise.all(files.map((f) => checksum(f.abs, extra)));
  if (files.length === 1) return `${files[0].isDir ? "dir" : "file"}:${sums[0]}`;
  return `multi:${createHash("sha256").update(sums.join(",")).digest("hex")}`;
}
