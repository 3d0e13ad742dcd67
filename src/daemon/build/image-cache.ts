import type { ImageService } from "../images/image-service.js";
import type { RunConfig } from "./types.js";

/**
 * The classic builder's cache: a step is a hit when an image exists whose
 * parent is the current image and whose container_config (the step's
 * config with its Cmd — `#(nop) COPY file:<sum> in …`, the RUN command
 * with its build args) is the same. Images persist, so the cache survives
 * daemon restarts with no separate store.
 */
export async function findCached(images: ImageService, parentId: string | undefined, probe: RunConfig): Promise<string | undefined> {
  await images.images.load();
  const want = canonical(probe);
  let best: { id: string; created: string } | undefined;
  for (const rec of images.images.list()) {
    if (rec.parent !== (parentId ?? "")) continue;
    const key = await keyOf(images, rec.id);
    if (key !== want) continue;
    if (!best || rec.created > best.created) best = { id: rec.id, created: rec.created };
  }
  return best?.id;
}

/** Image configs never change (the ID is their digest), so their cache keys are memoised per image service. */
const memo = new WeakMap<ImageService, Map<string, string | null>>();

async function keyOf(images: ImageService, id: string): Promise<string | null> {
  let m = memo.get(images);
  if (!m) memo.set(images, (m = new Map()));
  if (m.has(id)) return m.get(id)!;
  let key: string | null = null;
  try {
    const cfg = await images.images.config(id);
    // Images from scratch: only those with at most one layer and entry are cache candidates.
    const fromScratch = !cfg.parent;
    if (cfg.container_config && !(fromScratch && (cfg.rootfs.diff_ids.length > 1 || (cfg.history?.length ?? 0) > 1))) key = canonical(cfg.container_config as RunConfig);
  } catch {
    return null;
  }
  m.set(id, key);
  return key;
}

const KEYS = ["Cmd", "Env", "Entrypoint", "WorkingDir", "User", "Labels", "ExposedPorts", "Volumes", "OnBuild", "Shell", "StopSignal", "Healthcheck"] as const;

function canonical(c: RunConfig): string {
  const sortObj = (o: unknown) => (o && typeof o === "object" && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) : o);
  const empty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
  return JSON.stringify(KEYS.map((k) => (empty(c[k]) ? null : sortObj(c[k]))));
}
