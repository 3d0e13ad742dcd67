import { promises as fs } from "node:fs";
import path from "node:path";
import { readJsonIfExists, writeFileAtomic, writeJsonAtomic } from "../lib/atomic-file.js";

/**
 * What this node keeps on disk about its membership, under
 * <data-root>/swarm: state.json, its key and certificate, the CA
 * certificate, and the cluster's data key (secrets and configs are
 * encrypted with it in etcd). Written before the node acts as a member, so a
 * restarted daemon rejoins on its own.
 */
export interface LocalState {
  nodeId: string;
  clusterId: string;
  role: "manager" | "worker";
  /** Management/data address of this node (an IP). */
  addr: string;
  listenAddr: string;
  listenPort: number;
  dataPathAddr: string;
  /** etcd client URLs this node talks to. */
  endpoints: string[];
  /** Present on managers: how to (re)start the local etcd member. */
  member?: { initialCluster: string; state: "new" | "existing" };
}

export interface LocalFiles {
  ca: string;
  cert: string;
  key: string;
  dataKey: string;
}

export class LocalStateStore {
  constructor(readonly dir: string) {}

  get etcdDir(): string {
    return path.join(this.dir, "etcd");
  }

  async load(): Promise<{ state: LocalState; files: LocalFiles } | undefined> {
    const state = await readJsonIfExists<LocalState>(path.join(this.dir, "state.json"));
    if (!state) return undefined;
    const read = (f: string) => fs.readFile(path.join(this.dir, "certificates", f), "utf8");
    return { state, files: { ca: await read("swarm-root-ca.crt"), cert: await read("swarm-node.crt"), key: await read("swarm-node.key"), dataKey: await read("data.key") } };
  }

  async save(state: LocalState, files?: LocalFiles): Promise<void> {
    await fs.mkdir(path.join(this.dir, "certificates"), { recursive: true, mode: 0o700 });
    if (files) {
      const w = (f: string, data: string, mode = 0o644) => writeFileAtomic(path.join(this.dir, "certificates", f), data, mode);
      await w("swarm-root-ca.crt", files.ca);
      await w("swarm-node.crt", files.cert);
      await w("swarm-node.key", files.key, 0o600);
      await w("data.key", files.dataKey, 0o600);
    }
    await writeJsonAtomic(path.join(this.dir, "state.json"), state);
  }

  async clear(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
