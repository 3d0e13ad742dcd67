import { promises as fs, accessSync, constants } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import type tls from "node:tls";
import { ApiServer } from "../api/server.js";
import { containerRoutes } from "../api/routes/containers/index.js";
import { systemRoutes } from "../api/routes/system/index.js";
import { stubRoutes } from "../api/routes/system/stubs.js";
import { imageRoutes } from "../api/routes/images/index.js";
import { authRoutes } from "../api/routes/auth/index.js";
import { commitRoutes } from "../api/routes/images/commit.js";
import { commitFromContainer } from "./images/container-commit.js";
import { distributionRoutes } from "../api/routes/distribution/index.js";
import { networkRoutes } from "../api/routes/networks/index.js";
import { Networking } from "./networks/index.js";
import { buildRoutes } from "../api/routes/build/index.js";
import { BuildService } from "./build/build-service.js";
import { execRoutes } from "../api/routes/exec/index.js";
import { ExecService } from "./exec/exec-service.js";
import { detectHostInfo } from "../runtime/host-info.js";
import { ImageService } from "./images/image-service.js";
import type { DaemonConfig } from "./config.js";
import { EventBus } from "./events/event-bus.js";
import { ContainerStore } from "./containers/container-store.js";
import { ContainerService } from "./containers/container-service.js";
import { ContainerBackend } from "./containers/container-backend.js";
import { isRunning } from "./containers/state.js";
import { chooseRuntimes } from "./runtimes.js";
import { SystemService, WHARF_VERSION } from "./system/system-service.js";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import { wireStorageFeatures } from "./volumes/storage-features.js";
import { log } from "../lib/log.js";
import { daemonMountMatcher, mountsInUse, removeCgroupParent, sweepMounts } from "./host-cleanup.js";
import { mountsUnder } from "../snapshot/mounts.js";
import { ContainerLogging } from "./logs/container-logging.js";
import { ramInBytes } from "../lib/units.js";
import type { ConfigChange } from "./config/reload.js";
import type { MetricsListener } from "../metrics/metrics-server.js";
import { wireSwarm } from "./swarm/wire.js";
import type { UiListener } from "./api-listeners.js";
import { startDashboardIfAsked, type Dashboard } from "./ui-wiring.js";

/** dist/bin/wharf-shim, built by `make -C src/runtime/shim`. */
function shimPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url)); // dist/src/daemon
  return process.env.WHARF_SHIM ?? path.resolve(here, "../../bin/wharf-shim");
}

function initPath(cfg: DaemonConfig): string {
  for (const p of [cfg.initPath, "/usr/bin/tini-static", "/usr/bin/tini", "/usr/bin/docker-init"]) {
    if (!p) continue;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return "/usr/bin/tini";
}

/** The composition root: builds every service from the config; no module singletons. */
export class Daemon {
  private server?: ApiServer;
  private networking?: Networking;
  /** Which mounts under the data-root are the daemon's own (swept at start and stop). */
  private ownMount?: (mountPoint: string) => boolean;
  private logging?: ContainerLogging;
  private metricsListener?: MetricsListener;
  private events?: EventBus;
  private engineId = "";
  private swarm?: Awaited<ReturnType<typeof wireSwarm>>;
  private dashboard?: Dashboard;
  containers!: ContainerService;

  constructor(
    readonly config: DaemonConfig,
    /** How the API is exposed, prepared by api-listeners.ts before start. */
    private readonly api: { tls?: tls.TlsOptions; infoWarnings?: string[]; ui?: UiListener } = {},
  ) {}

  async start(): Promise<void> {
    const cfg = this.config;
    for (const d of [cfg.dataRoot, cfg.execRoot, path.join(cfg.dataRoot, "containers")]) await fs.mkdir(d, { recursive: true, mode: 0o710 });
    const idFile = path.join(cfg.dataRoot, "engine-id.json");
    let engineId = (await readJsonIfExists<{ id: string }>(idFile))?.id;
    if (!engineId) await writeJsonAtomic(idFile, { id: (engineId = randomUUID()) });
    this.engineId = engineId;

    const host = await detectHostInfo();
    const { runtimes, defaultRuntime } = chooseRuntimes(cfg, host);
    const events = (this.events = new EventBus(path.join(cfg.dataRoot, "events.jsonl")));
    await events.load();
    const store = new ContainerStore(path.join(cfg.dataRoot, "containers"));
    await store.load();
    const images = new ImageService({
      dataRoot: cfg.dataRoot,
      isImageInUse: (imageId: string) => {
        const c = store.all().find((x) => x.imageId === imageId);
        return c && { containerId: c.id, running: isRunning(c.state.status) };
      },
      onEvent: (action, id, attrs) => events.publish("image", action, id, attrs),
      registry: cfg, // the live config: a SIGHUP reload of mirrors and insecure registries applies to the next pull
      containerRoots: () => ({
        layers: store.all().flatMap((c) => (c.topChainId ? [c.topChainId] : [])),
        snapshots: store.all().map((c) => c.id),
      }),
    });
    const snapshotter = images.snapshotter;
    const networking = (this.networking = new Networking(
      {
        bridge: cfg.bridge, bip: cfg.bip, iptables: cfg.iptables, ipForward: cfg.ipForward, userlandProxy: cfg.userlandProxy, mtu: cfg.mtu || undefined, icc: cfg.icc,
        dns: { dns: cfg.dns, dnsSearch: cfg.dnsSearch, dnsOpts: cfg.dnsOpts }, addressPools: cfg.defaultAddressPools,
      },
      cfg.dataRoot, store, events,
    ));
    await networking.init();
    const storage = wireStorageFeatures({ dataRoot: cfg.dataRoot, store, events });
    const logging = (this.logging = new ContainerLogging({
      defaults: () => ({ driver: cfg.logDriver, opts: cfg.logOpts }),
      containerDir: (id) => store.dir(id),
      stateDir: (id) => path.join(cfg.execRoot, id),
    }));
    this.containers = new ContainerService({
      store,
      images,
      rootfs: snapshotter,
      events,
      execRoot: cfg.execRoot,
      shimPath: shimPath(),
      runtimes,
      defaultRuntime,
      initPath: initPath(cfg),
      initByDefault: cfg.init,
      cgroupParent: cfg.cgroupParent,
      extensions: [networking.extension, ...(await storage.extensions()), logging],
      logs: logging,
      defaults: () => ({
        dns: { dns: cfg.dns, dnsSearch: cfg.dnsSearch, dnsOpts: cfg.dnsOpts },
        ulimits: Object.values(cfg.defaultUlimits),
        shmSize: cfg.defaultShmSize ? ramInBytes(cfg.defaultShmSize) : undefined,
      }),
      leases: images.leases,
      // A container whose image was deleted (rmi -f) kept its layers: they are garbage now.
      onRemoved: (c) => {
        if (!images.images.get(c.imageId)) void images.collect().catch((err) => log.warn("gc after container removal failed", { error: String(err) }));
      },
    });
    if (cfg.metricsAddr) {
      // Metrics exist only to be served (prom-client and OpenTelemetry's API: ~90 modules a daemon
      // without --metrics-addr does not load).
      const { wireMetrics } = await import("./metrics-wiring.js");
      const metrics = await wireMetrics({
        config: cfg, store, containers: this.containers, networking, events, logging, engineId, version: WHARF_VERSION,
        extensions: this.containers.deps.extensions,
      });
      this.metricsListener = metrics.listener;
    }
    await this.containers.restore();
    for (const c of store.all()) if (!isRunning(c.state.status)) await logging.resumeStopped(c).catch(() => undefined);
    await networking.sweep();
    // Mounts a crash left: cp/export mounts of stopped containers, build overlays, unused volume mounts.
    const ownMount = (this.ownMount = daemonMountMatcher(cfg.dataRoot, (name) => !!storage.volumes.store.find(name)?.Options?.type));
    await sweepMounts(cfg.dataRoot, ownMount, mountsInUse(store.all()));
    // Scratch dirs of interrupted loads and builds (never through a mount that would not go away).
    for (const scratch of ["tmp", "build"].map((d) => path.join(cfg.dataRoot, d))) {
      if ((await mountsUnder(scratch)).length === 0) await fs.rm(scratch, { recursive: true, force: true });
    }
    // Whatever a crash or an older version left unreferenced: blobs, layers, snapshots, partial writes.
    await images.collect().catch((err) => log.warn("garbage collection at start failed", { error: String(err) }));
    const swarm = (this.swarm = await wireSwarm({ config: cfg, containers: this.containers, networking, images, events }));
    const system = new SystemService({
      config: cfg, events, containers: store, imageCount: async () => (await images.count()).images, runtimes, defaultRuntime, daemonId: engineId,
      warnings: this.api.infoWarnings ?? [],
      swarmInfo: swarm.info,
    });
    const imageIdOf = async (ref: string) => {
      try {
        return (await images.resolveForContainer(ref)).id;
      } catch {
        return undefined;
      }
    };
    this.server = new ApiServer({
      hosts: cfg.hosts,
      tls: this.api.tls,
      serverHeader: `Docker/${WHARF_VERSION} (linux)`,
      routes: [
        ...systemRoutes(system),
        ...containerRoutes(new ContainerBackend(this.containers, imageIdOf)),
        ...execRoutes(storage.exec(new ExecService(this.containers))),
        ...imageRoutes(images),
        ...authRoutes(images),
        ...commitRoutes({ commit: (o) => commitFromContainer(images, this.containers, o) }),
        ...distributionRoutes(images),
        ...networkRoutes(swarm.networks),
        ...buildRoutes(new BuildService({ containers: this.containers, images, workDir: path.join(cfg.dataRoot, "build") })),
        ...storage.routes(this.containers, images, new ContainerBackend(this.containers, imageIdOf)),
        ...swarm.routes,
        ...stubRoutes(),
      ],
    });
    await this.server.listen();
    const server = this.server;
    this.dashboard = await startDashboardIfAsked(this.api.ui, cfg, (who) => server.connectInProcess(who));
  }

  /**
   * Shutdown. Without live-restore every container is stopped first. Then
   * everything no running container needs goes: proxies, netns, the
   * netfilter table, mounts under the data-root and exec-root, the cgroup
   * parent. With live-restore, exactly what running containers use stays.
   */
  async stop(stopContainers: boolean): Promise<void> {
    await this.dashboard?.close();
    await this.server?.close();
    await this.swarm?.close();
    await this.metricsListener?.close();
    if (stopContainers && this.containers) await this.containers.stopAll(this.config.shutdownTimeout);
    await this.logging?.close();
    await this.networking?.close();
    if (!this.containers) return;
    const all = this.containers.deps.store.all();
    if (this.ownMount) await sweepMounts(this.config.dataRoot, this.ownMount, mountsInUse(all));
    if (!all.some((c) => isRunning(c.state.status))) await removeCgroupParent(this.config.cgroupParent);
  }

  /** After a SIGHUP reload: dockerd's `daemon reload` event with the reloadable settings. */
  configReloaded(changes: ConfigChange[]): void {
    const c = this.config;
    this.events?.publish("daemon", "reload", this.engineId, {
      debug: String(c.debug), labels: JSON.stringify(c.labels), "insecure-registries": JSON.stringify(c.insecureRegistries),
      "registry-mirrors": JSON.stringify(c.registryMirrors), "max-concurrent-downloads": String(c.maxConcurrentDownloads),
      "max-concurrent-uploads": String(c.maxConcurrentUploads), "live-restore": String(c.liveRestore), "shutdown-timeout": String(c.shutdownTimeout),
      "log-driver": c.logDriver, changed: changes.map((x) => x.key).join(","),
    });
  }
}
