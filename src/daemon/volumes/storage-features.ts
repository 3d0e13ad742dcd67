import path from "node:path";
import type { Route } from "../../api/router.js";
import { archiveRoutes } from "../../api/routes/archive/index.js";
import { statsRoutes } from "../../api/routes/stats/index.js";
import { systemDfRoutes } from "../../api/routes/system-df/index.js";
import { volumeRoutes } from "../../api/routes/volumes/index.js";
import { VolumeStore } from "../../volume/volume-store.js";
import { ArchiveService } from "../archive/archive-service.js";
import { containerChanges } from "../archive/changes.js";
import type { ContainerBackend } from "../containers/container-backend.js";
import type { ContainerService } from "../containers/container-service.js";
import type { ContainerStore } from "../containers/container-store.js";
import type { ContainerExtension } from "../containers/extensions.js";
import type { EventBus } from "../events/event-bus.js";
import type { ExecService } from "../exec/exec-service.js";
import { ExecProbeRunner } from "../health/exec-probe.js";
import { HealthExtension } from "../health/health-extension.js";
import type { ImageService } from "../images/image-service.js";
import { OomWatcher } from "../resources/oom-watcher.js";
import { ResourceExtension } from "../resources/resource-extension.js";
import { ResourceUpdater } from "../resources/update.js";
import { DiskUsageService } from "../stats/disk-usage.js";
import { StatsService } from "../stats/stats-service.js";
import { VolumeExtension } from "./volume-extension.js";
import { VolumeService } from "./volume-service.js";

/**
 * Builds volumes, resource limits, health checks, stats, the archive API and
 * disk usage, and hands the composition root its extensions and routes.
 */
export function wireStorageFeatures(o: { dataRoot: string; store: ContainerStore; events: EventBus }) {
  const volumeStore = new VolumeStore(path.join(o.dataRoot, "volumes"));
  const volumes = new VolumeService(volumeStore, o.store, o.events);
  const oom = new OomWatcher((id) => {
    const c = o.store.find(id);
    if (c) o.events.publish("container", "oom", c.id, { ...(c.config.Labels ?? {}), image: c.image, name: c.name.slice(1) });
  });
  const health = new HealthExtension(o.events);
  return {
    volumes,
    async extensions(): Promise<ContainerExtension[]> {
      await volumeStore.load();
      oom.start();
      return [
        new VolumeExtension(volumes, (ref) => o.store.find(ref), path.join(o.dataRoot, "volumes")),
        new ResourceExtension(oom),
        health,
      ];
    },
    /** Health probes run as execs. */
    exec(exec: ExecService): ExecService {
      health.runner = new ExecProbeRunner(exec);
      return exec;
    },
    routes(containers: ContainerService, images: ImageService, backend: ContainerBackend): Route[] {
      const stats = new StatsService(containers);
      const updater = new ResourceUpdater(containers);
      const archive = new ArchiveService(containers);
      const df = new DiskUsageService({
        images: async () =>
          (await images.list()).map((m) => ({
            Containers: 0, Created: m.created, Id: m.id, Labels: m.labels, ParentId: m.parentId,
            RepoDigests: m.repoDigests, RepoTags: m.repoTags, SharedSize: 0, Size: m.size,
          })),
        containers: async () => (await backend.list({ all: true, size: true, filters: new Map() })) as Record<string, unknown>[],
        containerImageIds: () => o.store.all().map((c) => c.imageId),
        layersSize: () => images.layersDiskUsage(),
        volumes,
      });
      return [
        ...volumeRoutes(volumes),
        ...statsRoutes({
          stats: (ref, opts, out, closed) => stats.stream(ref, opts, out, closed),
          check: (ref) => void containers.get(ref),
          update: (ref, body) => updater.update(ref, body as never),
        }),
        ...archiveRoutes({
          stat: (ref, p) => archive.stat(ref, p),
          get: (ref, p, start) => archive.get(ref, p, start),
          put: (ref, p, body, opts) => archive.put(ref, p, body, opts),
          export: (ref, start) => archive.export(ref, start),
          changes: (ref) => containerChanges(containers.get(ref)),
        }),
        ...systemDfRoutes(df),
      ];
    },
  };
}
