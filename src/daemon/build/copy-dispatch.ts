import { createHash } from "node:crypto";
import path from "node:path";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import type { Instruction } from "../../build/dockerfile/instructions.js";
import { processWord, processWords } from "../../build/dockerfile/shell-lex.js";
import { resolveSources, sourcesDigest, type SourceFile } from "../../build/context/source-files.js";
import { copyInto, resolveOwner, writeInto } from "./copy-files.js";
import { copyStep, withImageRoot } from "./steps.js";
import { expansionEnv, type BuildCtx, type StageState } from "./build-ctx.js";
import { BuildError } from "./types.js";

type CopyIns = Extract<Instruction, { kind: "copy" | "add" }>;

/** Where COPY --from reads: another stage's result or an image. */
export type SourceRoot = { kind: "context" } | { kind: "image"; imageId: string | undefined };

/**
 * COPY and ADD: expand arguments, resolve the sources (context, another
 * stage, heredocs, URLs), checksum them for the cache key
 * (`COPY file:<sum> in /dest `), then write them into a new layer.
 */
export async function dispatchCopy(ctx: BuildCtx, st: StageState, ins: CopyIns, from: SourceRoot): Promise<void> {
  const what = ins.kind === "copy" ? "COPY" : "ADD";
  const env = expansionEnv(st);
  const word = (s: string) => processWord(s, env, ctx.escape);
  const srcs = ins.json ? ins.sources : ins.sources.map((s) => processWords(s, env, ctx.escape)).flat();
  let dest = ins.json ? ins.dest : word(ins.dest);
  const workdir = st.config.WorkingDir || "/";
  if (!dest.startsWith("/")) dest = path.posix.join(workdir, dest) + (dest.endsWith("/") || dest === "." ? "/" : "");
  const chmod = ins.chmod ? parseChmod(ins.chmod) : undefined;
  const chown = ins.chown ? word(ins.chown) : undefined;
  const extra = `${chown ?? ""}|${chmod ?? ""}`;

  const heredocs = new Map(ins.heredocs.map((h) => [h.name, h]));
  const literal: { name: string; data: Buffer; mode: number }[] = [];
  const fileSrcs: string[] = [];
  for (const s of srcs) {
    const hd = /^<<-?["']?([A-Za-z_][A-Za-z0-9_]*)["']?$/.exec(s);
    if (hd && heredocs.has(hd[1])) {
      const h = heredocs.get(hd[1])!;
      literal.push({ name: h.name, data: Buffer.from(h.expand ? word(h.content) : h.content), mode: 0o644 });
    } else if (/^https?:\/\//.test(s)) {
      if (ins.kind === "copy") throw new InvalidArgumentError(`COPY failed: source can't be a URL for COPY`);
      literal.push({ ...(await download(s)), mode: 0o600 });
    } else fileSrcs.push(s);
  }
  if (literal.length + fileSrcs.length > 1 && !dest.endsWith("/")) {
    throw new BuildError(`When using ${what} with more than one source file, the destination must be a directory and end with a /`);
  }

  const withSources = async (root: ScopedRoot, fn: (files: SourceFile[]) => Promise<void>) => {
    const files: SourceFile[] = [];
    for (const s of fileSrcs) files.push(...(await resolveSources(root, s, what)));
    if (fileSrcs.length > 0 && files.length === 0) throw new NotFoundError(`${what} failed: no source files were specified`);
    await fn(files);
  };
  const run = async (src: ScopedRoot) =>
    withSources(src, async (files) => {
      const sums = files.length ? await sourcesDigest(src, files, extra) : "";
      const litSum = literal.map((l) => createHash("sha256").update(l.name).update(l.data).digest("hex")).join(",");
      const digest = literal.length && !files.length && literal.length === 1 ? `file:${createHash("sha256").update(litSum + extra).digest("hex")}` : literal.length ? `multi:${createHash("sha256").update(sums + litSum + extra).digest("hex")}` : sums;
      await copyStep(ctx, st, `${what} ${digest} in ${dest} `, async (target) => {
        const dst = ScopedRoot.open(target);
        try {
          const owner = await resolveOwner(dst, chown);
          await copyInto(dst, src, files, dest, { owner, chmod, extractArchives: ins.kind === "add" && !ins.from, what });
          for (const l of literal) await writeInto(dst, dest, l.name, l.data, chmod ?? l.mode, owner);
        } finally {
          dst.close();
        }
      });
    });
  const scoped = async (dir: string) => {
    const src = ScopedRoot.open(dir);
    try {
      await run(src);
    } finally {
      src.close();
    }
  };
  if (from.kind === "context") await scoped(ctx.contextDir);
  else await withImageRoot(ctx, from.imageId, scoped);
}

function parseChmod(s: string): number {
  if (!/^[0-7]{3,4}$/.test(s)) throw new InvalidArgumentError(`invalid chmod parameter: ${s}`);
  return parseInt(s, 8);
}

/** ADD <url>: fetch the file; an unreachable URL fails with Go's wording. */
async function download(url: string): Promise<{ name: string; data: Buffer }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
    const u = new URL(url);
    const hostPort = `${u.hostname}:${u.port || (u.protocol === "https:" ? 443 : 80)}`;
    const why = cause?.code === "ECONNREFUSED" ? `dial tcp ${hostPort}: connect: connection refused`
      : cause?.code === "ENOTFOUND" ? `dial tcp: lookup ${u.hostname}: no such host`
      : (cause?.message ?? (err as Error).message);
    throw new BuildError(`ADD failed: Get "${url}": ${why}`);
  }
  if (!res.ok) throw new BuildError(`ADD failed: failed to GET ${url} with status ${res.status} ${res.statusText}`);
  const name = path.posix.basename(new URL(url).pathname) || "__unnamed__";
  return { name, data: Buffer.from(await res.arrayBuffer()) };
}
