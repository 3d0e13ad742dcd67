import { InvalidArgumentError } from "../../lib/errors.js";
import { matchLabels, validateFilterKeys, type Filters } from "../../lib/filters.js";
import { humanDuration } from "../../lib/human-duration.js";
import { describeStatus } from "./state.js";
import type { ContainerRecord } from "./types.js";
import { mountsVolume } from "../volumes/volume-extension.js";
import type { WithMountPoints } from "../../volume/mount-point.js";
import type { WithHealth } from "../health/health-config.js";
import { healthStatusOf } from "../health/health-extension.js";

const PS_FILTERS = ["ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name", "network", "publish", "since", "status", "volume"];
const STATUSES = ["created", "restarting", "running", "removing", "paused", "exited", "dead"];

export interface ListOptions {
  all: boolean;
  limit?: number;
  size: boolean;
  filters: Filters;
}

/** The command the way dockerd lists it: args joined with spaces, an arg holding a space in single quotes. */
export function commandString(c: ContainerRecord): string {
  return [c.path, ...c.args.map((a) => (a.includes(" ") ? `'${a}'` : a))].join(" ");
}

/**
 * Filter and order containers for GET /containers/json: newest first,
 * `limit`/`before`/`since` applied like Docker (they imply all).
 * `imageMatches(ref, c)` answers the `ancestor` filter (image name or ID).
 */
export function selectContainers(
  all: ContainerRecord[],
  opts: ListOptions,
  resolve: (ref: string) => ContainerRecord | undefined,
  imageMatches: (ref: string, c: ContainerRecord) => boolean,
): ContainerRecord[] {
  const f = opts.filters;
  validateFilterKeys(f, PS_FILTERS);
  for (const h of f.get("health") ?? []) {
    if (!["starting", "healthy", "unhealthy", "none"].includes(h)) throw new InvalidArgumentError(`Unrecognised filter value for health: ${h}`);
  }
  for (const s of f.get("status") ?? []) {
    if (!STATUSES.includes(s)) throw new InvalidArgumentError(`invalid filter 'status=${s}'`);
  }
  let list = [...all].sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || (a.id < b.id ? 1 : -1));
  let all_ = opts.all || (opts.limit !== undefined && opts.limit > 0) || f.has("before") || f.has("since") || f.has("status") || f.has("exited");
  const before = f.get("before")?.map((r) => resolveOrThrow(resolve, r));
  const since = f.get("since")?.map((r) => resolveOrThrow(resolve, r));
  if (before?.length) list = list.filter((c) => before.every((b) => Date.parse(c.created) < Date.parse(b.created)));
  if (since?.length) list = list.filter((c) => since.every((s) => Date.parse(c.created) > Date.parse(s.created)));
  list = list.filter((c) => {
    const st = c.state.status;
    if (!all_ && st !== "running" && st !== "paused" && st !== "restarting") return false;
    const statuses = f.get("status");
    if (statuses?.length && !statuses.includes(st)) return false;
    const ids = f.get("id");
    if (ids?.length && !ids.some((i) => c.id.startsWith(i))) return false;
    const names = f.get("name");
    if (names?.length && !names.some((n) => safeRegex(n).test(c.name.slice(1)) || safeRegex(n).test(c.name))) return false;
    if (!matchLabels(c.config.Labels, f.get("label"))) return false;
    const exited = f.get("exited");
    if (exited?.length && !(st === "exited" && exited.map(Number).includes(c.state.exitCode))) return false;
    const anc = f.get("ancestor");
    if (anc?.length && !anc.some((a) => imageMatches(a, c))) return false;
    const vol = f.get("volume");
    if (vol?.length && !vol.some((v) => mountsVolume(c as WithMountPoints, v))) return false;
    const health = f.get("health");
    if (health?.length && !health.includes(healthStatusOf(c as WithHealth))) return false;
    const net = f.get("network");
    if (net?.length && !net.includes(c.hostConfig.NetworkMode ?? "")) return false;
    return true;
  });
  if (opts.limit !== undefined && opts.limit > 0) list = list.slice(0, opts.limit);
  return list;
}

function resolveOrThrow(resolve: (r: string) => ContainerRecord | undefined, ref: string): ContainerRecord {
  const c = resolve(ref);
  if (!c) throw new InvalidArgumentError(`No such container: ${ref}`);
  return c;
}

function safeRegex(s: string): RegExp {
  try {
    return new RegExp(s);
  } catch {
    return new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  }
}

/** One ContainerSummary, Docker's shape. */
export function containerSummary(c: ContainerRecord, sizes?: { rw: number; rootFs: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Id: c.id,
    Names: [c.name],
    Image: c.image,
    ImageID: c.imageId,
    Command: commandString(c),
    Created: Math.floor(Date.parse(c.created) / 1000),
    Ports: [],
    Labels: c.config.Labels ?? {},
    State: c.state.status,
    Status: describeStatus(c, humanDuration),
    HostConfig: { NetworkMode: c.hostConfig.NetworkMode ?? "bridge" },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
  if (sizes) {
    out.SizeRw = sizes.rw;
    out.SizeRootFs = sizes.rootFs;
  }
  return out;
}
