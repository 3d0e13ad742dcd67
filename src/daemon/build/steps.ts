import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { commitContainer } from "../images/image-commit.js";
import { topChainId } from "../../image/image-record.js";
import { closeFd } from "../../lib/scoped-fs/at.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { findCached } from "./image-cache.js";
import { createIntermediate, removeIntermediate, runToExit } from "./containers.js";
import { withOverlay } from "./overlay-mount.js";
import { BuildError, fullConfig, type RunConfig } from "./types.js";
import type { BuildCtx, StageState } from "./build-ctx.js";

export const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

/**
 * Drop the mount points the runtime created in a RUN container's upper dir
 * (empty /etc/hosts, /etc/resolv.conf, /proc, …): Docker keeps them in a
 * separate init layer, so they never reach the image.
 */
async function dropRuntimeArtifacts(upper: string): Promise<void> {
  for (const f of ["etc/hosts", "etc/hostname", "etc/resolv.conf", ".dockerenv"]) {
    const p = path.join(upper, f);
    const st = await fs.lstat(p).catch(() => undefined);
    if (st?.isFile() && st.size === 0) await fs.rm(p, { force: true });
  }
  for (const d of ["proc", "sys", "dev"]) {
    const p = path.join(upper, d);
    if (await onlyEmptyEntries(p)) await fs.rm(p, { recursive: true, force: true });
  }
  const etc = path.join(upper, "etc");
  if ((await fs.readdir(etc).catch(() => ["?"])).length === 0) await fs.rmdir(etc);
}

async function onlyEmptyEntries(p: string): Promise<boolean> {
  const st = await fs.lstat(p).catch(() => undefined);
  if (!st) return false;
  if (st.isFile()) return st.size === 0;
  if (!st.isDirectory()) return false;
  for (const n of await fs.readdir(p)) if (!(await onlyEmptyEntries(path.join(p, n)))) return false;
  return true;
}

async function usingCache(ctx: BuildCtx, st: StageState, probe: RunConfig, config: RunConfig): Promise<boolean> {
  if (ctx.opts.noCache || ctx.cacheBroken) return false;
  const hit = await findCached(ctx.images, st.imageId, probe);
  if (!hit) {
    ctx.cacheBroken = true;
    return false;
  }
  ctx.say(" ---> Using cache\n");
  ctx.say(` ---> ${short(hit)}\n`);
  st.imageId = hit;
  st.config = config;
  return true;
}

function createBody(ctx: BuildCtx, st: StageState, cmd: string[], env?: string[]) {
  return {
    Image: st.imageId!,
    Cmd: cmd,
    Entrypoint: [""],
    Env: env ?? st.config.Env ?? [],
    WorkingDir: st.config.WorkingDir ?? "",
    User: st.config.User ?? "",
    Labels: {},
    HostConfig: { NetworkMode: ctx.opts.networkMode || "default", ExtraHosts: ctx.opts.extraHosts },
  };
}

async function finish(ctx: BuildCtx, st: StageState, c: { id: string } | undefined, newId: string, config: RunConfig): Promise<void> {
  if (c && ctx.opts.rm) {
    await removeIntermediate(ctx.cs, c.id);
    ctx.say(`Removing intermediate container ${short(c.id)}\n`);
  }
  ctx.say(` ---> ${short(newId)}\n`);
  st.imageId = newId;
  st.config = config;
}

/** A metadata-only step (ENV, CMD, LABEL, …) or WORKDIR: a `#(nop)` history entry, no layer (WORKDIR: the dir if new). */
export async function commitMeta(ctx: BuildCtx, st: StageState, config: RunConfig, comment: string, workdir?: string): Promise<void> {
  const cmd = workdir !== undefined ? [...ctx.shell(st), `#(nop) ${comment}`] : [...ctx.shell(st), "#(nop) ", comment];
  const probe = fullConfig({ ...config, Cmd: cmd, Image: st.imageId ?? "" } as RunConfig);
  if (await usingCache(ctx, st, probe, config)) return;
  let c: Awaited<ReturnType<typeof createIntermediate>> | undefined;
  if (st.imageId) {
    c = await createIntermediate(ctx.cs, createBody(ctx, st, cmd));
    ctx.say(` ---> Running in ${short(c.id)}\n`);
    if (workdir) {
      const layers = c;
      await withOverlay({ ...layers, emptyDir: path.join(ctx.tmpDir, "empty") }, async (root) => {
        const scoped = ScopedRoot.open(root);
        try {
          closeFd(scoped.mkdirAll(workdir));
        } finally {
          scoped.close();
        }
      });
    }
  }
  const id = await commitContainer({
    imageService: ctx.images, upperDir: workdir !== undefined ? c?.upperDir : undefined, parentImageId: st.imageId,
    config: fullConfig({ ...config, Image: st.imageId ?? "" } as RunConfig), containerConfig: probe, containerId: c?.id,
    createdBy: cmd.join(" "), emptyLayer: workdir === undefined,
  });
  await finish(ctx, st, c, id, config);
}

/** RUN: a container from the current image runs the command; its changes become one layer. */
export async function runStep(ctx: BuildCtx, st: StageState, cmd: string[], argEnv: string[], proxyEnv: string[]): Promise<void> {
  const cacheCmd = argEnv.length ? [`|${argEnv.length}`, ...argEnv, ...cmd] : cmd;
  const probe = fullConfig({ ...st.config, Cmd: cacheCmd, Image: st.imageId ?? "" } as RunConfig);
  if (await usingCache(ctx, st, probe, st.config)) return;
  if (!st.imageId) throw new BuildError("Please provide a source image with `from` prior to run");
  const env = [...(st.config.Env ?? []), ...argEnv, ...proxyEnv];
  const body = createBody(ctx, st, cmd, env);
  const c = await createIntermediate(ctx.cs, body);
  ctx.say(` ---> Running in ${short(c.id)}\n`);
  const code = await runToExit(ctx.cs, c.id, (text) => ctx.say(text));
  if (code !== 0) {
    if (ctx.opts.forceRm) await removeIntermediate(ctx.cs, c.id).catch(() => undefined);
    throw new BuildError(`The command '${cmd.join(" ")}' returned a non-zero code: ${code}`, code);
  }
  await dropRuntimeArtifacts(c.upperDir);
  const id = await commitContainer({
    imageService: ctx.images, upperDir: c.upperDir, parentImageId: st.imageId,
    config: fullConfig({ ...st.config, Image: st.imageId } as RunConfig), containerConfig: probe, containerId: c.id,
    createdBy: cacheCmd.join(" "),
  });
  await finish(ctx, st, c, id, st.config);
}

/**
 * COPY/ADD: `fill` writes into the mounted rootfs of a private snapshot on
 * the current image; the snapshot's upper dir becomes the layer. No
 * container, as in Docker (no "Running in" line).
 */
export async function copyStep(ctx: BuildCtx, st: StageState, comment: string, fill: (root: string) => Promise<void>): Promise<void> {
  const cmd = [...ctx.shell(st), `#(nop) ${comment}`];
  const probe = fullConfig({ ...st.config, Cmd: cmd, Image: st.imageId ?? "" } as RunConfig);
  if (await usingCache(ctx, st, probe, st.config)) return;
  const key = `build-${randomBytes(8).toString("hex")}`;
  const parent = st.imageId ? (await ctx.images.images.resolve(st.imageId)).record : undefined;
  // The private snapshot is held until removed (a collection meanwhile must not take it).
  await ctx.images.leases.with(async (lease) => {
    const snap = await ctx.images.snapshotter.prepare(key, parent ? topChainId(parent) : undefined, lease);
    try {
      await withOverlay({ ...snap, emptyDir: path.join(ctx.tmpDir, "empty") }, fill);
      const id = await commitContainer({
        imageService: ctx.images, upperDir: snap.upperDir, parentImageId: st.imageId,
        config: fullConfig({ ...st.config, Image: st.imageId ?? "" } as RunConfig), containerConfig: probe,
        createdBy: cmd.join(" "),
      });
      await finish(ctx, st, undefined, id, st.config);
    } finally {
      await ctx.images.snapshotter.remove(key).catch(() => undefined);
    }
  });
}

/** Mount an image's filesystem read-only for COPY --from. */
export async function withImageRoot<T>(ctx: BuildCtx, imageId: string | undefined, fn: (root: string) => Promise<T>): Promise<T> {
  const rec = imageId ? (await ctx.images.images.resolve(imageId)).record : undefined;
  const top = rec ? topChainId(rec) : undefined;
  const lowerDirs = top ? ctx.images.snapshotter.lowerDirs(top) : [];
  const mergedDir = path.join(ctx.tmpDir, `src-${randomBytes(6).toString("hex")}`);
  return withOverlay({ mergedDir, lowerDirs, emptyDir: path.join(ctx.tmpDir, "empty") }, fn);
}
