import { promises as fs } from "node:fs";
import path from "node:path";
import { writeJsonAtomic } from "../../lib/atomic-file.js";
import { ConflictError, InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { log } from "../../lib/log.js";
import type { ContainerRecord } from "./types.js";

/**
 * Container records on disk (containers/<id>/config.v2.json) and in memory,
 * with the name index. Lookups accept a full ID, a unique ID prefix or a name,
 * the way Docker resolves them: exact ID, then exact name, then ID prefix.
 */
export class ContainerStore {
  private readonly byId = new Map<string, ContainerRecord>();
  private readonly byName = new Map<string, string>();

  constructor(private readonly root: string) {}

  dir(id: string): string {
    return path.join(this.root, id);
  }

  async load(): Promise<ContainerRecord[]> {
    await fs.mkdir(this.root, { recursive: true });
    for (const id of await fs.readdir(this.root)) {
      try {
        const rec = JSON.parse(await fs.readFile(path.join(this.root, id, "config.v2.json"), "utf8")) as ContainerRecord;
        this.byId.set(rec.id, rec);
        this.byName.set(rec.name, rec.id);
      } catch (err) {
        // A directory without a complete record is a create that never finished: drop it.
        log.warn("removing incomplete container directory", { id, error: (err as Error).message });
        await fs.rm(path.join(this.root, id), { recursive: true, force: true });
      }
    }
    return [...this.byId.values()];
  }

  all(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  /** Reserve a name; throws Docker's 409 when another container holds it. */
  reserveName(name: string, id: string): void {
    const holder = this.byName.get(name);
    if (holder && holder !== id) {
      throw new ConflictError(
        `Conflict. The container name "${name}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    this.byName.set(name, id);
  }

  /** Held by a container or reserved by a create in progress ("/name"). */
  nameInUse(name: string): boolean {
    return this.byName.has(name);
  }

  releaseName(name: string, id: string): void {
    if (this.byName.get(name) === id) this.byName.delete(name);
  }

  async add(rec: ContainerRecord): Promise<void> {
    await fs.mkdir(this.dir(rec.id), { recursive: true });
    this.byId.set(rec.id, rec);
    await this.save(rec);
  }

  async save(rec: ContainerRecord): Promise<void> {
    if (!this.byId.has(rec.id)) return; // removed meanwhile
    await writeJsonAtomic(path.join(this.dir(rec.id), "config.v2.json"), rec);
  }

  /**
   * Save where the state change has already happened and must not be lost
   * to a write error (an exit, a start): the record stays right in memory,
   * the failure (a full disk) is logged, and the next save writes it.
   */
  async saveOrLog(rec: ContainerRecord, what: string): Promise<void> {
    try {
      await this.save(rec);
    } catch (err) {
      log.error(`cannot record ${what} of container ${rec.id}; it is kept in memory and written with the next change`, { error: (err as Error).message });
    }
  }

  async delete(rec: ContainerRecord): Promise<void> {
    this.byId.delete(rec.id);
    this.releaseName(rec.name, rec.id);
    await fs.rm(this.dir(rec.id), { recursive: true, force: true });
  }

  find(ref: string): ContainerRecord | undefined {
    if (!ref) return undefined;
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const byName = this.byName.get(ref.startsWith("/") ? ref : "/" + ref);
    if (byName) return this.byId.get(byName);
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const matches = [...this.byId.keys()].filter((id) => id.startsWith(ref));
    if (matches.length > 1) throw new InvalidArgumentError(`multiple IDs found with provided prefix: ${ref}`);
    return matches.length ? this.byId.get(matches[0]) : undefined;
  }

  get(ref: string): ContainerRecord {
    const c = this.find(ref);
    if (!c) throw new NotFoundError(`No such container: ${ref}`);
    return c;
  }
}
