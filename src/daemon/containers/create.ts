import { ConflictError, describeWriteError, InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import type { PlatformSpec } from "../../image/platform-spec.js";
import { newId } from "../../lib/ids.js";
import { randomName, VALID_NAME } from "../../lib/names.js";
import { validateCreateConfig } from "./validate-config.js";
import { detectHostInfo } from "../../runtime/host-info.js";
import { defaultMaskedPaths, defaultReadonlyPaths } from "../../runtime/spec/defaults.js";
import { mergeHealthConfig, type HealthConfig } from "../health/health-config.js";
import type { ContainerDeps } from "./deps.js";
import { ZERO_TIME, type ContainerConfig, type ContainerRecord, type HostConfig } from "./types.js";

export interface CreateRequest extends ContainerConfig {
  HostConfig?: HostConfig;
  NetworkingConfig?: unknown;
}

const KNOWN_NETWORK_MODES = /^(default|bridge|host|none|container:.+)$/;

/** Merge the image's config under the user's, the way Docker's daemon does at create. */
export function mergeImageConfig(user: ContainerConfig, image: ContainerConfig): ContainerConfig {
  const out: ContainerConfig = { ...user };
  // `--entrypoint ""` arrives as [""] (or ""): "no entrypoint", and, as in dockerd, the image's Cmd is not inherited either.
  const raw = out.Entrypoint as unknown;
  if (raw === "" || (Array.isArray(raw) && raw.length === 1 && raw[0] === "")) out.Entrypoint = null;
  else if (!out.Entrypoint || out.Entrypoint.length === 0) {
    if (!out.Cmd || out.Cmd.length === 0) out.Cmd = image.Cmd ?? null;
    if (out.Entrypoint == null) out.Entrypoint = image.Entrypoint ?? null;
  }
  const env = new Map<string, string>();
  for (const e of [...(image.Env ?? []), ...(user.Env ?? [])]) {
    const i = e.indexOf("=");
    env.set(i < 0 ? e : e.slice(0, i), e);
  }
  out.Env = [...env.values()];
  out.WorkingDir = user.WorkingDir || image.WorkingDir || "";
  out.User = user.User || image.User || "";
  out.Labels = { ...(image.Labels ?? {}), ...(user.Labels ?? {}) };
  out.StopSignal = user.StopSignal || image.StopSignal || undefined;
  const ports = { ...(image.ExposedPorts ?? {}), ...(user.ExposedPorts ?? {}) };
  out.ExposedPorts = Object.keys(ports).length ? ports : undefined;
  const vols = { ...(image.Volumes ?? {}), ...(user.Volumes ?? {}) };
  out.Volumes = Object.keys(vols).length ? vols : null;
  out.Healthcheck = mergeHealthConfig(user.Healthcheck as HealthConfig | null | undefined, image.Healthcheck as HealthConfig | null | undefined);
  if (!out.Healthcheck) delete out.Healthcheck;
  if (!out.OnBuild) out.OnBuild = null;
  return out;
}

/** Validate a create request and build the record; nothing is written here. */
export async function buildContainerRecord(
  deps: ContainerDeps,
  body: CreateRequest,
  requestedName: string | undefined,
  platform?: PlatformSpec,
): Promise<{ record: ContainerRecord; warnings: string[] }> {
  if (!body || typeof body !== "object") throw new InvalidArgumentError("config cannot be empty in order to create a container");
  if (!body.Image) throw new InvalidArgumentError("No image was specified in the container configuration; pass an image name");
  const hostConfig: HostConfig = { ...(body.HostConfig ?? {}) };
  const warnings: string[] = [];

  if (requestedName !== undefined && requestedName !== "" && !VALID_NAME.test(requestedName)) {
    throw new InvalidArgumentError(`Invalid container name (${requestedName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  const netMode = hostConfig.NetworkMode || "default";
  // With networking wired in, its create hook resolves user networks (404 "network X not found").
  if (!KNOWN_NETWORK_MODES.test(netMode) && !deps.extensions.some((e) => e.name === "network")) {
    throw new InvalidArgumentError(`network ${netMode} not found; only bridge, host, none and container:<name> are available`);
  }
  hostConfig.NetworkMode = netMode === "default" ? "bridge" : netMode;
  validateCreateConfig(body, hostConfig);
  // dockerd's default IPC mode is private (the router makes it shareable for API < 1.40).
  hostConfig.IpcMode ||= "private";
  // As dockerd: an unprivileged container without its own lists records the defaults, so inspect
  // shows what is masked; an explicit list (even an empty one) replaces them.
  if (!hostConfig.Privileged) {
    hostConfig.MaskedPaths ??= defaultMaskedPaths();
    hostConfig.ReadonlyPaths ??= defaultReadonlyPaths();
  }
  // dockerd's default cgroup namespace: the host's on cgroup v1, a private one on v2.
  hostConfig.CgroupnsMode ||= (await detectHostInfo()).cgroupVersion === 2 ? "private" : "host";
  const policy = hostConfig.RestartPolicy?.Name ?? "";
  hostConfig.RestartPolicy = { Name: policy || "no", MaximumRetryCount: hostConfig.RestartPolicy?.MaximumRetryCount ?? 0 };
  if (hostConfig.Runtime && !deps.runtimes[hostConfig.Runtime]) {
    throw new InvalidArgumentError(`unknown or invalid runtime name: ${hostConfig.Runtime}`);
  }
  hostConfig.Runtime = hostConfig.Runtime || deps.defaultRuntime;
  // The logging extension puts in the daemon's default driver when none is named.
  hostConfig.LogConfig = { Type: hostConfig.LogConfig?.Type ?? "", Config: { ...(hostConfig.LogConfig?.Config ?? {}) } };
  hostConfig.ConsoleSize = consoleSizeOf(hostConfig.ConsoleSize);

  const image = await deps.images.resolveForContainer(body.Image);
  if (platform) checkImagePlatform(body.Image, image.platform, platform);
  const { HostConfig: _h, NetworkingConfig: _n, ...userConfig } = body;
  const config = mergeImageConfig(userConfig, image.config);
  config.Image = body.Image;
  const args = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  if (args.length === 0) throw new InvalidArgumentError("No command specified");

  const id = newId();
  config.Hostname = config.Hostname || (hostConfig.NetworkMode === "host" ? (await import("node:os")).hostname() : id.slice(0, 12));
  const name = "/" + (requestedName ? requestedName.replace(/^\//, "") : uniqueRandomName(deps));
  // Reserved at once, with no await between the check and the claim: two creates running
  // together (nameless ones picking the same random name included) cannot both take it.
  deps.store.reserveName(name, id);

  const record: ContainerRecord = {
    id,
    name,
    created: new Date().toISOString(),
    image: body.Image,
    imageId: image.id,
    path: args[0],
    args: args.slice(1),
    config,
    hostConfig,
    state: {
      status: "created", pid: 0, exitCode: 0, error: "", oomKilled: false,
      startedAt: ZERO_TIME, finishedAt: ZERO_TIME, stoppedByUser: false,
    },
    restartCount: 0,
    runtime: hostConfig.Runtime,
    topChainId: image.topChainId,
    networkingConfig: body.NetworkingConfig as ContainerRecord["networkingConfig"],
  };
  try {
    for (const ext of deps.extensions) await ext.create?.(record, warnings);
  } catch (err) {
    deps.store.releaseName(name, id);
    throw err;
  }
  return { record, warnings };
}

/** `[height, width]` as dockerd stores it: [0, 0] when unset. */
function consoleSizeOf(v: unknown): [number, number] {
  if (v === undefined || v === null) return [0, 0];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new InvalidArgumentError("invalid HostConfig.ConsoleSize: expected [height, width] as two non-negative integers");
  }
  return [v[0], v[1]];
}

function uniqueRandomName(deps: ContainerDeps): string {
  return pickRandomName((n) => deps.store.nameInUse("/" + n));
}

/** A random name nobody holds or has reserved (dockerd's generator adds a digit after many collisions). */
export function pickRandomName(inUse: (name: string) => boolean, generate: () => string = randomName): string {
  for (let i = 0; i < 20; i++) {
    const n = generate();
    if (!inUse(n)) return n;
  }
  for (let i = 0; i < 1000; i++) {
    const n = `${generate()}${Math.floor(Math.random() * 10)}`;
    if (!inUse(n)) return n;
  }
  throw new ConflictError("could not find a free random container name; name the container with --name");
}

/** Create: reserve the name, prepare the rootfs layer, persist. (/etc files are written at each start, like dockerd.) */
/**
 * `?platform=` at create (API 1.41): the local image must be of that platform, else 404 as dockerd
 * (wharf keeps one platform per reference and does not pull at create).
 */
function checkImagePlatform(ref: string, actual: PlatformSpec, wanted: PlatformSpec): void {
  const fmt = (p: PlatformSpec) => [p.os, p.architecture, p.variant].filter(Boolean).join("/");
  const variantOk = !wanted.variant || !actual.variant || wanted.variant === actual.variant;
  if (wanted.os === actual.os && wanted.architecture === actual.architecture && variantOk) return;
  throw new NotFoundError(`image with reference ${ref} was found but does not match the specified platform: wanted ${fmt(wanted)}, actual: ${fmt(actual)}`);
}

export async function createContainer(deps: ContainerDeps, body: CreateRequest, requestedName: string | undefined, platform?: PlatformSpec): Promise<{ Id: string; Warnings: string[] }> {
  const { record, warnings } = await buildContainerRecord(deps, body, requestedName, platform);
  deps.store.reserveName(record.name, record.id);
  // The rootfs and the layers under it are held until the record (a GC root) is on disk.
  const lease = deps.leases?.create();
  try {
    record.layers = await deps.rootfs.prepare(record.id, record.topChainId, lease);
    await deps.store.add(record);
  } catch (err) {
    await deps.store.delete(record).catch(() => undefined);
    await deps.rootfs.remove(record.id).catch(() => undefined);
    throw describeWriteError(err, `container ${record.id}`);
  } finally {
    lease?.release();
  }
  deps.events.publish("container", "create", record.id, { image: record.image, name: record.name.slice(1), ...(record.config.Labels ?? {}) });
  return { Id: record.id, Warnings: warnings };
}
