import { promises as fs } from "node:fs";
import path from "node:path";
import { writeJsonAtomic } from "../../lib/atomic-file.js";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import type { NetworkRecord, SandboxRecord } from "./types.js";

/**
 * Networks and running containers' sandboxes on disk
 * (<data-root>/network/{networks,sandboxes}/<id>.json), cached in memory.
 * Every write is atomic; a torn or unreadable file is dropped at load.
 */
export class NetworkStore {
  private readonly networks = new Map<string, NetworkRecord>();
  private readonly sandboxes = new Map<string, SandboxRecord>();

  constructor(readonly root: string) {}

  private netDir = () => path.join(this.root, "networks");
  private sbDir = () => path.join(this.root, "sandboxes");

  async load(): Promise<void> {
    for (const [dir, map] of [[this.netDir(), this.networks], [this.sbDir(), this.sandboxes]] as const) {
      await fs.mkdir(dir, { recursive: true });
      for (const f of await fs.readdir(dir)) {
        if (!f.endsWith(".json")) continue;
        try {
          const v = JSON.parse(await fs.readFile(path.join(dir, f), "utf8"));
          (map as Map<string, unknown>).set(f.slice(0, -5), v);
        } catch {
          await fs.rm(path.join(dir, f), { force: true });
        }
      }
    }
  }

  allNetworks(): NetworkRecord[] {
    return [...this.networks.values()];
  }

  /** Docker's lookup order: full ID, exact name, then unique ID prefix. */
  findNetwork(ref: string): NetworkRecord | undefined {
    if (this.networks.has(ref)) return this.networks.get(ref);
    const all = this.allNetworks();
    const byName = all.filter((n) => n.Name === ref);
    if (byName.length > 1) throw new InvalidArgumentError(`network ${ref} is ambiguous (${byName.length} matches found on name)`);
    if (byName.length) return byName[0];
    const byPrefix = all.filter((n) => n.Id.startsWith(ref));
    if (byPrefix.length > 1) throw new InvalidArgumentError(`network ${ref} is ambiguous (${byPrefix.length} matches found based on ID prefix)`);
    return byPrefix[0];
  }

  getNetwork(ref: string): NetworkRecord {
    const n = ref ? this.findNetwork(ref) : undefined;
    if (!n) throw new NotFoundError(`network ${ref} not found`);
    return n;
  }

  async saveNetwork(n: NetworkRecord): Promise<void> {
    await writeJsonAtomic(path.join(this.netDir(), `${n.Id}.json`), n);
    this.networks.set(n.Id, n);
  }

  async deleteNetwork(id: string): Promise<void> {
    await fs.rm(path.join(this.netDir(), `${id}.json`), { force: true });
    this.networks.delete(id);
  }

  allSandboxes(): SandboxRecord[] {
    return [...this.sandboxes.values()];
  }

  sandbox(containerId: string): SandboxRecord | undefined {
    return this.sandboxes.get(containerId);
  }

  async saveSandbox(s: SandboxRecord): Promise<void> {
    await writeJsonAtomic(path.join(this.sbDir(), `${s.containerId}.json`), s);
    this.sandboxes.set(s.containerId, s);
  }

  async deleteSandbox(containerId: string): Promise<void> {
    await fs.rm(path.join(this.sbDir(), `${containerId}.json`), { force: true });
    this.sandboxes.delete(containerId);
  }
}
