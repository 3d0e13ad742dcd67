import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { describeWriteError, InvalidArgumentError } from "../../lib/errors.js";
import { parseDockerfile } from "../../build/dockerfile/parser.js";
import { toDockerfile } from "../../build/dockerfile/instructions.js";
import { parseDockerignore, PatternMatcher } from "../../lib/dockerignore.js";
import { familiarString, parseNormalizedReference, withDefaultTag } from "../../image/reference.js";
import { closeFd, removeAt } from "../../lib/scoped-fs/at.js";
import { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { unpackTar } from "../../snapshot/tar-unpack.js";
import type { ContainerService } from "../containers/container-service.js";
import type { ImageService } from "../images/image-service.js";
import { Builder } from "./builder.js";
import { shellFor, type BuildCtx } from "./build-ctx.js";
import { short } from "./steps.js";
import type { BuildOptions, BuildOutput } from "./types.js";
import { pruneBuildCache, type BuildPruneReport } from "./prune.js";

export interface BuildServiceDeps {
  containers: ContainerService;
  images: ImageService;
  /** Scratch space for contexts and mounts: <dataRoot>/build. */
  workDir: string;
}

/**
 * The classic builder (POST /build): unpack the tar context, read the
 * Dockerfile and .dockerignore, run the Builder, tag. `started` is called
 * once the request is known to be valid (Dockerfile parsed, tags checked):
 * errors before it are plain API errors, errors after it travel in the
 * JSON stream, as dockerd does.
 */
export class BuildService {
  constructor(private readonly deps: BuildServiceDeps) {}

  async build(tar: Readable, opts: BuildOptions, out: BuildOutput, started: () => void): Promise<string> {
    const tmpDir = path.join(this.deps.workDir, randomBytes(8).toString("hex"));
    const contextDir = path.join(tmpDir, "context");
    await fs.mkdir(contextDir, { recursive: true });
    try {
      const context = ScopedRoot.open(contextDir);
      let text: string;
      try {
        // The context comes from the client: extracted and read inside its own root, so its links lead nowhere else.
        await unpackTar(tar, context).catch((err) => {
          throw describeWriteError(err, "the build context");
        });
        const dfName = opts.dockerfile || "Dockerfile";
        const df = context.readFile(path.posix.normalize("/" + dfName));
        if (df === undefined) throw new InvalidArgumentError(`Cannot locate specified Dockerfile: ${dfName}`);
        text = df.toString("utf8");
        if (df.length === 0) throw new InvalidArgumentError(`the Dockerfile (${dfName}) cannot be empty`);
        dropIgnoredBuildFiles(context, dfName);
      } finally {
        context.close();
      }
      const parsed = parseDockerfile(text);
      const df = toDockerfile(parsed.nodes, parsed.escape);
      const tags = opts.tags.map((t) => withDefaultTag(parseNormalizedReference(t)));
      started();
      const say = (text: string) => {
        if (!opts.quiet) out({ stream: text });
      };
      for (const w of parsed.warnings) say(w + "\n");
      const ctx: BuildCtx = {
        cs: this.deps.containers, images: this.deps.images, opts, contextDir, tmpDir, escape: parsed.escape,
        cacheBroken: false, say, shell: shellFor,
        stageBuilt: (id) => {
          if (!opts.quiet) out({ aux: { ID: id } });
        },
      };
      const id = await new Builder(ctx, df).run();
      if (!id) throw new InvalidArgumentError("No image was generated. Is your Dockerfile empty?");
      // The image ID of every stage went out as `aux` when the stage ended (dockerd's classic builder).
      if (opts.quiet) out({ stream: `${id}\n` });
      else say(`Successfully built ${short(id)}\n`);
      for (const t of tags) {
        await this.deps.images.tag(id, familiarString(t));
        say(`Successfully tagged ${familiarString(t)}\n`);
      }
      return id;
    } finally {
      await fs.rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  prune(): Promise<BuildPruneReport> {
    return pruneBuildCache(this.deps.images, (id) => this.deps.containers.usingImage(id) !== undefined);
  }
}

/** Like dockerd: the Dockerfile and .dockerignore leave the context when .dockerignore names them. */
function dropIgnoredBuildFiles(context: ScopedRoot, dfName: string): void {
  const ignore = context.readFile("/.dockerignore")?.toString("utf8");
  if (ignore === undefined) return;
  const m = new PatternMatcher(parseDockerignore(ignore));
  for (const f of [dfName, ".dockerignore"]) {
    if (!m.matches(f)) continue;
    let at: { dir: number; name: string } | undefined;
    try {
      at = context.parentOf(path.posix.normalize("/" + f));
      removeAt(at.dir, at.name);
    } catch {
      /* not there */
    } finally {
      closeFd(at?.dir);
    }
  }
}
