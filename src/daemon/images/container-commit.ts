import { ConflictError, InvalidArgumentError } from "../../lib/errors.js";
import { applyChanges } from "../../image/changes.js";
import type { ImageConfig } from "../../image/image-config.js";
import { parseNormalizedReference, validateTag, withDefaultTag, familiarString } from "../../image/reference.js";
import type { ContainerService } from "../containers/container-service.js";
import { commitContainer } from "./image-commit.js";
import type { ImageService } from "./image-service.js";

export interface CommitOptions {
  container: string;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Freeze the container while its files are read (docker's default). */
  pause?: boolean;
  changes?: string[];
  /** Config fields from the request body; they override the container's. */
  config?: ImageConfig;
}

const IMAGE_FIELDS = ["User", "ExposedPorts", "Env", "Cmd", "Healthcheck", "ArgsEscaped", "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal", "Shell"] as const;

/**
 * `docker commit` (POST /commit): the container's upper dir becomes a layer
 * on its image; the new image's config is the container's, overridden by
 * the request body, then by `--change` instructions. A running container is
 * paused for the copy unless pause=false, and resumed afterwards.
 */
export async function commitFromContainer(images: ImageService, containers: ContainerService, o: CommitOptions): Promise<string> {
  const c = containers.get(o.container);
  if (o.tag && !o.repo) throw new InvalidArgumentError("invalid reference format: tag given without a repository");
  const ref = o.repo ? withDefaultTag(tagged(o.repo, o.tag)) : undefined;
  const base = c.config as unknown as Record<string, unknown>;
  let config: ImageConfig = {};
  for (const k of IMAGE_FIELDS) if (base[k] !== undefined) (config as Record<string, unknown>)[k] = base[k];
  for (const [k, v] of Object.entries(o.config ?? {})) {
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== "") (config as Record<string, unknown>)[k] = v;
  }
  config = applyChanges(config, o.changes ?? []);
  // A container whose process is ending cannot be frozen: dockerd ignores a pause that fails
  // and commits what is on disk.
  const pause = o.pause !== false && c.state.status === "running" && (await containers.pause(c.id).then(() => true, () => false));
  try {
    if (!c.layers?.upperDir) throw new ConflictError(`container ${c.id} has no filesystem to commit`);
    const cmd = (base.Cmd as string[] | undefined) ?? [];
    const id = await commitContainer({
      imageService: images, upperDir: c.layers.upperDir, parentImageId: c.imageId, config,
      containerConfig: c.config as unknown as ImageConfig, containerId: c.id,
      comment: o.comment, author: o.author, createdBy: [...((base.Entrypoint as string[] | undefined) ?? []), ...cmd].join(" "),
    });
    if (ref) await images.images.exclusive(() => images.images.tag(ref, id as never).then(() => undefined));
    images.distribution().emit("tag", id, ref ? { name: familiarString(ref) } : {});
    return id;
  } finally {
    if (pause) await containers.unpause(c.id).catch(() => undefined);
  }
}

function tagged(repo: string, tag?: string) {
  const r = parseNormalizedReference(repo);
  if (r.digest !== undefined) throw new InvalidArgumentError("refusing to create a tag with a digest reference");
  if (tag) validateTag(tag);
  return tag ? { domain: r.domain, path: r.path, tag } : r;
}
