import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "../lib/atomic-file.js";
import { fullName, fullString, parseNormalizedReference, type Reference } from "./reference.js";

interface IndexFile {
  /** repository name → (full reference string → image ID), the shape of Docker's repositories.json. */
  Repositories: Record<string, Record<string, string>>;
}

/**
 * Which references (tags and digests) point at which image. Kept in memory
 * and written whole, atomically, after every change, so a crash leaves the
 * previous or the next index, never a mix.
 */
export class TagIndex {
  private refs = new Map<string, string>();

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    const data = await readJsonIfExists<IndexFile>(this.file);
    this.refs.clear();
    for (const repo of Object.values(data?.Repositories ?? {})) {
      for (const [ref, id] of Object.entries(repo)) this.refs.set(ref, id);
    }
  }

  get(ref: Reference): string | undefined {
    return this.refs.get(fullString(ref));
  }

  /** Every reference pointing at `id`, in a stable order (tags before digests, then by name). */
  refsOf(id: string): Reference[] {
    const out: Reference[] = [];
    for (const [ref, target] of this.refs) if (target === id) out.push(parseNormalizedReference(ref));
    return out.sort((a, b) => Number(a.digest !== undefined) - Number(b.digest !== undefined) || fullString(a).localeCompare(fullString(b)));
  }

  /** Point `ref` at `id`; returns the image ID it pointed at before, if any. */
  async set(ref: Reference, id: string): Promise<string | undefined> {
    const key = fullString(ref);
    const before = this.refs.get(key);
    this.refs.set(key, id);
    await this.saveOrRevert(() => (before === undefined ? this.refs.delete(key) : this.refs.set(key, before)));
    return before;
  }

  async delete(ref: Reference): Promise<boolean> {
    const key = fullString(ref);
    const before = this.refs.get(key);
    const existed = this.refs.delete(key);
    if (existed) await this.saveOrRevert(() => this.refs.set(key, before!));
    return existed;
  }

  async deleteAllFor(id: string): Promise<Reference[]> {
    const removed = this.refsOf(id);
    for (const r of removed) this.refs.delete(fullString(r));
    if (removed.length) await this.saveOrRevert(() => removed.forEach((r) => this.refs.set(fullString(r), id)));
    return removed;
  }

  /** Drop references to images that no longer exist (a crash between deleting an image and its tags). */
  async retain(exists: (id: string) => boolean): Promise<void> {
    const stale = [...this.refs].filter(([, id]) => !exists(id));
    if (stale.length === 0) return;
    for (const [key] of stale) this.refs.delete(key);
    await this.save();
  }

  /** Memory follows the disk: a failed write (a full disk) undoes the in-memory change. */
  private async saveOrRevert(undo: () => void): Promise<void> {
    try {
      await this.save();
    } catch (err) {
      undo();
      throw err;
    }
  }

  private async save(): Promise<void> {
    const data: IndexFile = { Repositories: {} };
    for (const [key, id] of [...this.refs].sort(([a], [b]) => a.localeCompare(b))) {
      const repo = fullName(parseNormalizedReference(key));
      (data.Repositories[repo] ??= {})[key] = id;
    }
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeJsonAtomic(this.file, data);
  }
}
