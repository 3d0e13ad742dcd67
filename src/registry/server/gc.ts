import { promises as fs } from "node:fs";
import path from "node:path";
import type { RegistryStorage } from "./storage.js";

export interface GcReport {
  blobsDeleted: string[];
  manifestsDeleted: string[];
  bytesFreed: number;
}

/**
 * Mark and sweep, offline (run it while the registry is stopped, as with
 * `registry garbage-collect`): every manifest linked into a repository marks
 * itself, its config, its layers and its index children; blobs nobody marks
 * are deleted, as are repository links to them and abandoned uploads.
 * With `deleteUntagged`, manifests no tag (or tagged index) reaches go first.
 */
export async function garbageCollect(storage: RegistryStorage, opts: { deleteUntagged?: boolean; dryRun?: boolean } = {}): Promise<GcReport> {
  const report: GcReport = { blobsDeleted: [], manifestsDeleted: [], bytesFreed: 0 };
  const marked = new Set<string>();
  const readJson = async (d: string) => JSON.parse(await fs.readFile(storage.blobPath(d), "utf8")) as { config?: { digest: string }; layers?: { digest: string }[]; manifests?: { digest: string }[]; subject?: { digest: string } };
  for (const repo of await storage.repositories()) {
    let manifests = await storage.manifests(repo);
    if (opts.deleteUntagged) {
      const reach = new Set<string>();
      const visit = async (d: string) => {
        if (reach.has(d)) return;
        reach.add(d);
        const doc = await readJson(d).catch(() => ({}) as Awaited<ReturnType<typeof readJson>>);
        for (const c of doc.manifests ?? []) await visit(c.digest);
      };
      for (const t of await storage.tags(repo)) {
        const d = await storage.resolveTag(repo, t);
        if (d) await visit(d);
      }
      for (const m of manifests) {
        if (reach.has(m)) continue;
        // Referrers of a reachable manifest stay with it.
        const doc = await readJson(m).catch(() => ({}) as Awaited<ReturnType<typeof readJson>>);
        if (doc.subject && reach.has(doc.subject.digest)) continue;
        report.manifestsDeleted.push(`${repo}@${m}`);
        if (!opts.dryRun) await storage.deleteManifest(repo, m);
      }
      manifests = manifests.filter((m) => !report.manifestsDeleted.includes(`${repo}@${m}`));
    }
    for (const m of manifests) {
      marked.add(m);
      const doc = await readJson(m).catch(() => ({}) as Awaited<ReturnType<typeof readJson>>);
      if (doc.config) marked.add(doc.config.digest);
      for (const l of doc.layers ?? []) marked.add(l.digest);
      for (const c of doc.manifests ?? []) marked.add(c.digest);
    }
  }
  const blobDir = path.join(storage.root, "blobs", "sha256");
  for (const hex of await fs.readdir(blobDir)) {
    const d = `sha256:${hex}`;
    if (marked.has(d)) continue;
    const size = (await fs.stat(path.join(blobDir, hex))).size;
    report.blobsDeleted.push(d);
    report.bytesFreed += size;
    if (opts.dryRun) continue;
    await fs.rm(path.join(blobDir, hex), { force: true });
    for (const repo of await storage.repositories()) await storage.unlinkBlob(repo, d);
  }
  if (!opts.dryRun) {
    const uploads = path.join(storage.root, "uploads");
    for (const u of await fs.readdir(uploads)) await fs.rm(path.join(uploads, u), { recursive: true, force: true });
  }
  return report;
}
