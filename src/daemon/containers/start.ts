import { promises as fs } from "node:fs";
import path from "node:path";
import { WharfError } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import { buildSpec, type SpecInput } from "../../runtime/spec/index.js";
import { detectHostInfo } from "../../runtime/host-info.js";
import { spawnShim, connectShim, type ShimConnection } from "../../runtime/shim/shim-client.js";
import type { ContainerDeps } from "./deps.js";
import { defaultEtcContent, etcFilePaths, writeEtcFiles } from "./etc-files.js";
import { describeStartError } from "./runtime-errors.js";
import type { ContainerRecord } from "./types.js";

/** The container's ulimits, plus the daemon's defaults for the ones it does not set. */
function mergeUlimits<U extends { Name: string }>(own: U[] | undefined, daemon: U[]): U[] | undefined {
  if (!daemon.length) return own;
  const names = new Set((own ?? []).map((u) => u.Name));
  return [...(own ?? []), ...daemon.filter((u) => !names.has(u.Name))];
}

/** Raised when the runtime refused to start the process; carries Docker's exit code. */
export class StartError extends WharfError {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export function stateDir(deps: ContainerDeps, id: string): string {
  return path.join(deps.execRoot, id);
}

function networkFor(c: ContainerRecord, deps: ContainerDeps) {
  const mode = c.hostConfig.NetworkMode ?? "bridge";
  if (mode === "host") return { mode: "host" as const };
  if (mode === "none") return { mode: "none" as const };
  if (mode.startsWith("container:")) {
    const other = deps.store.get(mode.slice("container:".length));
    if (!other.state.pid) throw new WharfError(`cannot join network of a non running container: ${other.id}`);
    return { mode: "path" as const, path: `/proc/${other.state.pid}/ns/net` };
  }
  // Until bridge networking lands, the default network is a private namespace with loopback only.
  return { mode: "private" as const };
}

/**
 * Bring a created/exited container to running: fresh bundle and state dir,
 * OCI spec, then the monitor (which mounts the rootfs and runs the runtime's
 * create); then `start` through the monitor. Returns the live shim connection.
 */
export async function launchContainer(deps: ContainerDeps, c: ContainerRecord): Promise<{ pid: number; conn: ShimConnection }> {
  const dir = stateDir(deps, c.id);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const etc = etcFilePaths(deps.store.dir(c.id));
  const defaults = deps.defaults();
  const etcContent = await defaultEtcContent(c, defaults.dns);
  const layers = await deps.rootfs.prepare(c.id, c.topChainId);
  const host = await detectHostInfo();
  const hc = c.hostConfig;
  const useInit = hc.Init ?? deps.initByDefault;
  const input: SpecInput = {
      id: c.id,
      rootfsPath: layers.mergedDir,
      userDbLayers: [layers.upperDir, ...layers.lowerDirs],
      args: [c.path, ...c.args],
      env: c.config.Env ?? [],
      cwd: c.config.WorkingDir ?? "",
      user: c.config.User ?? "",
      groupAdd: hc.GroupAdd ?? undefined,
      tty: !!c.config.Tty,
      consoleSize: hc.ConsoleSize ? { height: hc.ConsoleSize[0], width: hc.ConsoleSize[1] } : undefined,
      openStdin: !!c.config.OpenStdin,
      hostname: c.config.Hostname ?? c.id.slice(0, 12),
      domainname: c.config.Domainname ?? "",
      network: networkFor(c, deps),
      ipc: hc.IpcMode === "host" ? "host" : "private",
      pid: hc.PidMode === "host" ? "host" : "private",
      uts: hc.UTSMode === "host" ? "host" : "private",
      privileged: !!hc.Privileged,
      capAdd: hc.CapAdd ?? [],
      capDrop: hc.CapDrop ?? [],
      readonlyRootfs: !!hc.ReadonlyRootfs,
      etcFiles: etc,
      shmSize: hc.ShmSize || defaults.shmSize || undefined,
      cgroupsPath: `${deps.cgroupParent.replace(/\/$/, "")}/${c.id}`,
      init: useInit ? { hostPath: deps.initPath } : undefined,
      securityOpt: hc.SecurityOpt ?? undefined,
      maskedPaths: hc.MaskedPaths ?? undefined,
      readonlyPaths: hc.ReadonlyPaths ?? undefined,
      sysctls: hc.Sysctls ?? undefined,
      ulimits: mergeUlimits(hc.Ulimits ?? undefined, defaults.ulimits),
  };
  const t0 = performance.now();
  for (const ext of deps.extensions) await ext.prepare?.(c, input, etcContent);
  await writeEtcFiles(deps.store.dir(c.id), etcContent);
  const t1 = performance.now();
  const spec = await buildSpec(input, host);
  const t2 = performance.now();
  await fs.writeFile(path.join(dir, "config.json"), JSON.stringify(spec));
  const runtime = deps.runtimes[c.runtime] ?? deps.runtimes[deps.defaultRuntime];
  let pid: number;
  try {
    const log = await deps.logs.shimOptions(c);
    ({ pid } = await spawnShim({
      shimPath: deps.shimPath,
      id: c.id,
      bundle: dir,
      stateDir: dir,
      runtimePath: runtime.path,
      runtimeRoot: path.join(deps.execRoot, "runtime-" + runtime.name),
      log,
      tty: !!c.config.Tty,
      openStdin: !!c.config.OpenStdin,
      rootfs: { lowerDirs: layers.lowerDirs, upperDir: layers.upperDir, workDir: layers.workDir },
    }));
  } catch (err) {
    // Release what prepare hooks set up (veths, published ports): the container never ran.
    for (const ext of deps.extensions) await ext.exited?.(c).catch(() => undefined);
    const { message, exitCode } = describeStartError((err as Error).message, c.path);
    throw new StartError(message, exitCode);
  }
  const t3 = performance.now();
  const conn = await connectShim(dir);
  conn.subscribe();
  // Per-phase timing for profiling start latency (`--log-level debug`).
  log.debug("container launch phases", { id: c.id.slice(0, 12), prepareMs: +(t1 - t0).toFixed(1), specMs: +(t2 - t1).toFixed(1), runtimeCreateMs: +(t3 - t2).toFixed(1) });
  return { pid, conn };
}
