import { createReadStream, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { Header, Pax } from "tar";
import { parseDockerignore, PatternMatcher } from "../lib/dockerignore.js";

/**
 * The build context as a tar stream, like the docker CLI sends it: files
 * under the context dir minus what .dockerignore (or, BuildKit style,
 * `<Dockerfile>.dockerignore` beside the Dockerfile) excludes; the
 * Dockerfile and .dockerignore always go (the daemon drops them when
 * ignored). A Dockerfile outside the context is added under a random name.
 */
export interface ContextTar {
  stream: Readable;
  /** The Dockerfile's name inside the tar. */
  dockerfile: string;
}

export async function contextTar(contextDir: string, dockerfileFlag: string | undefined): Promise<ContextTar> {
  const dfAbs = path.resolve(dockerfileFlag ? dockerfileFlag : path.join(contextDir, "Dockerfile"));
  const relDf = path.relative(contextDir, dfAbs);
  const outside = relDf.startsWith("..") || path.isAbsolute(relDf);
  const ignoreText = (await fs.readFile(`${dfAbs}.dockerignore`, "utf8").catch(() => undefined)) ?? (await fs.readFile(path.join(contextDir, ".dockerignore"), "utf8").catch(() => ""));
  const matcher = new PatternMatcher(parseDockerignore(ignoreText));
  const dockerfile = outside ? `.dockerfile.${randomBytes(10).toString("hex")}` : relDf.split(path.sep).join("/");
  const keep = new Set([".dockerignore", dockerfile]);
  return { stream: Readable.from(entries(contextDir, matcher, keep, outside ? { name: dockerfile, abs: dfAbs } : undefined)), dockerfile };
}

async function* entries(root: string, m: PatternMatcher, keep: Set<string>, extra?: { name: string; abs: string }): AsyncGenerator<Buffer> {
  for await (const rel of walk(root, "", m, keep)) yield* entry(path.join(root, rel), rel);
  if (extra) yield* entry(extra.abs, extra.name);
  yield Buffer.alloc(1024);
}

async function* walk(root: string, rel: string, m: PatternMatcher, keep: Set<string>): AsyncGenerator<string> {
  for (const n of (await fs.readdir(path.join(root, rel))).sort()) {
    const child = rel ? `${rel}/${n}` : n;
    const ignored = m.matches(child) && !keep.has(child);
    const st = await fs.lstat(path.join(root, child));
    if (st.isDirectory()) {
      // An excluded dir is still walked when a `!` pattern might re-include something below it.
      if (ignored && !m.hasExclusions) continue;
      if (!ignored) yield child;
      yield* walk(root, child, m, keep);
    } else if (!ignored) yield child;
  }
}

async function* entry(abs: string, name: string): AsyncGenerator<Buffer> {
  const st: Stats = await fs.lstat(abs);
  const type = st.isDirectory() ? "Directory" : st.isSymbolicLink() ? "SymbolicLink" : st.isFile() ? "File" : undefined;
  if (!type) return;
  const linkpath = type === "SymbolicLink" ? await fs.readlink(abs) : undefined;
  const size = type === "File" ? st.size : 0;
  const tarPath = type === "Directory" ? name + "/" : name;
  const fields = { path: tarPath, mode: st.mode & 0o7777, uid: 0, gid: 0, size, mtime: new Date(Math.floor(st.mtimeMs / 1000) * 1000), type, linkpath } as ConstructorParameters<typeof Header>[0];
  const h = new Header(fields);
  if (h.encode()) yield new Pax({ path: tarPath, linkpath } as ConstructorParameters<typeof Pax>[0]).encode();
  yield h.block as Buffer;
  if (type !== "File") return;
  let sent = 0;
  for await (const chunk of createReadStream(abs)) {
    const b = (chunk as Buffer).subarray(0, Math.max(0, size - sent));
    sent += b.length;
    if (b.length) yield b;
  }
  if (sent < size) yield Buffer.alloc(size - sent);
  if (size % 512) yield Buffer.alloc(512 - (size % 512));
}
