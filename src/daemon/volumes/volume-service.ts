import { matchLabels, validateFilterKeys, type Filters } from "../../lib/filters.js";
import { InvalidArgumentError } from "../../lib/errors.js";
import { ANONYMOUS_LABEL, VolumeStore, type CreateVolumeOptions, type Volume } from "../../volume/volume-store.js";
import type { WithMountPoints } from "../../volume/mount-point.js";
import type { EventBus } from "../events/event-bus.js";

/** What the volume service needs to know about containers (consumer-declared). */
export interface VolumeUsers {
  all(): ({ id: string } & WithMountPoints)[];
}

/** The volume API (create, ls, inspect, rm, prune) over the local volume store. */
export class VolumeService {
  constructor(
    readonly store: VolumeStore,
    private readonly containers: VolumeUsers,
    private readonly events: EventBus,
  ) {}

  /** Ids of the containers (running or not) that mount the volume. */
  usersOf(name: string): string[] {
    return this.containers.all().filter((c) => c.mountPoints?.some((m) => m.Type === "volume" && m.Name === name)).map((c) => c.id);
  }

  async create(o: CreateVolumeOptions): Promise<Volume> {
    // Like dockerd, a volume created without a name is anonymous (so `volume prune` takes it by default).
    const { volume, created } = await this.store.create(o.Name ? o : { ...o, anonymous: true });
    if (created) this.events.publish("volume", "create", volume.Name, { driver: volume.Driver });
    return volume;
  }

  inspect(name: string): Volume & { UsageData?: unknown } {
    return this.store.get(name);
  }

  list(filters: Filters): { Volumes: Volume[]; Warnings: null } {
    validateFilterKeys(filters, ["dangling", "name", "label", "driver"]);
    const dangling = filters.get("dangling")?.[0];
    if (dangling !== undefined && !["true", "false", "1", "0"].includes(dangling)) {
      throw new InvalidArgumentError(`invalid filter 'dangling=${dangling}'`);
    }
    const vols = this.store.list().filter((v) => {
      if (dangling !== undefined && (this.usersOf(v.Name).length === 0) !== (dangling === "true" || dangling === "1")) return false;
      const names = filters.get("name");
      if (names?.length && !names.some((n) => v.Name.includes(n))) return false;
      const drivers = filters.get("driver");
      if (drivers?.length && !drivers.includes(v.Driver)) return false;
      return matchLabels(v.Labels, filters.get("label"));
    });
    return { Volumes: vols.sort((a, b) => (a.Name < b.Name ? -1 : 1)), Warnings: null };
  }

  async remove(name: string, force: boolean): Promise<void> {
    const v = this.store.find(name);
    if (!v && force) return;
    await this.store.remove(name, this.usersOf(name));
    this.events.publish("volume", "destroy", name, { driver: "local" });
  }

  /** `rm -v`: drop a container's anonymous volume once no other container uses it. */
  async removeAnonymous(name: string, exceptContainer: string): Promise<void> {
    if (!this.store.find(name) || this.usersOf(name).some((id) => id !== exceptContainer)) return;
    await this.store.remove(name, []);
    this.events.publish("volume", "destroy", name, { driver: "local" });
  }

  /** Unused volumes; only anonymous ones unless `all=true` (API 1.42+), like dockerd. */
  async prune(filters: Filters, apiVersion: string): Promise<{ VolumesDeleted: string[]; SpaceReclaimed: number }> {
    validateFilterKeys(filters, ["label", "label!", "all"]);
    const allFlag = filters.get("all")?.[0];
    const all = allFlag === "true" || allFlag === "1" || versionLess(apiVersion, "1.42");
    const deleted: string[] = [];
    let space = 0;
    for (const v of this.store.list()) {
      if (this.usersOf(v.Name).length) continue;
      if (!all && !(ANONYMOUS_LABEL in (v.Labels ?? {}))) continue;
      if (!matchLabels(v.Labels, filters.get("label"))) continue;
      const notLabels = filters.get("label!");
      if (notLabels?.length && notLabels.some((l) => matchLabels(v.Labels, [l]))) continue;
      const size = await this.store.size(v.Name);
      try {
        await this.remove(v.Name, false);
      } catch {
        continue;
      }
      space += size;
      deleted.push(v.Name);
    }
    this.events.publish("volume", "prune", "", { reclaimed: String(space) });
    return { VolumesDeleted: deleted, SpaceReclaimed: space };
  }

  /** For `GET /system/df`: every volume with its size and reference count. */
  async usage(): Promise<(Volume & { UsageData: { Size: number; RefCount: number } })[]> {
    const out = [];
    for (const v of this.store.list()) out.push({ ...v, UsageData: { Size: await this.store.size(v.Name), RefCount: this.usersOf(v.Name).length } });
    return out;
  }
}

function versionLess(a: string, b: string): boolean {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am! < bm! || (am === bm && an! < bn!);
}
