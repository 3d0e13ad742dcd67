import path from "node:path";
import { X509Certificate } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError, InvalidArgumentError, UnavailableError, errorMessage } from "../lib/errors.js";
import { log } from "../lib/log.js";
import { clientUrl, EtcdMember, peerUrl } from "./etcd-member.js";
import { JoinEndpoint, requestJoin, type JoinRequest, type JoinResponse } from "./join-endpoint.js";
import { LocalStateStore, type LocalFiles, type LocalState } from "./local-state.js";
import { Heartbeat, newDataKey } from "./membership.js";
import { DEFAULT_SWARM_SPEC, now, type ClusterRecord, type NodeRecord } from "./objects.js";
import { certDigest, createCa, createCsr, signCsr, type NodeCert } from "./pki.js";
import type { ClusterStore } from "./store.js";
import { formatToken, newClusterObjectId, newSecret, parseToken, sameSecret } from "./tokens.js";
import { detectAddr, resolveAddr, SWARM_PORT } from "./addresses.js";

export const NOT_SWARM =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
export const NOT_MANAGER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
const ALREADY = 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.';

/** What the daemon tells the cluster about this engine. */
export interface EngineFacts {
  dataRoot: string;
  hostname(): string;
  engineVersion: string;
  nanoCpus: number;
  memoryBytes: number;
  labels: Record<string, string>;
  /** Interfaces the daemon made (bridges, veths): never a swarm address. */
  isEngineInterface(name: string): boolean;
}

/**
 * Parts that run while this node is in a swarm (agent, orchestrator,
 * networking): started after init/join/restart, stopped before leave.
 */
export interface ClusterComponent {
  start(session: Session): Promise<void>;
  stop(leaving: boolean): Promise<void>;
}

/** A live membership: this node's state and its connection to etcd. */
export interface Session {
  state: LocalState;
  files: LocalFiles;
  store: ClusterStore;
}

export interface InitRequest {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  DataPathAddr?: string;
  DataPathPort?: number;
  DefaultAddrPool?: string[];
  SubnetSize?: number;
  ForceNewCluster?: boolean;
  Spec?: Partial<ClusterRecord["Spec"]>;
}

export interface JoinApiRequest {
  ListenAddr?: string;
  AdvertiseAddr?: string;
  DataPathAddr?: string;
  RemoteAddrs?: string[];
  JoinToken?: string;
}

/**
 * Swarm membership of this engine: init (a new cluster: CA, etcd member,
 * first node), join (through a manager's swarm port), leave, and restart
 * into the same membership. Cluster state lives in etcd; this class owns
 * the local pieces (certificates, the etcd member, the join endpoint, the
 * heartbeat) and starts the components.
 */
export class Swarm {
  private readonly local: LocalStateStore;
  session?: Session;
  private member?: EtcdMember;
  private endpoint?: JoinEndpoint;
  private heartbeat?: Heartbeat;
  private busy = false;
  private readonly components: ClusterComponent[] = [];

  constructor(readonly engine: EngineFacts) {
    this.local = new LocalStateStore(path.join(engine.dataRoot, "swarm"));
  }

  /** Runs once on the first manager after init (the ingress network). */
  onInit?: (s: Session) => Promise<void>;

  addComponent(c: ClusterComponent): void {
    this.components.push(c);
  }

  get active(): boolean {
    return !!this.session;
  }

  /** The session, or 503 as Docker answers when the node is in no swarm. */
  requireSession(): Session {
    if (!this.session) throw new UnavailableError(NOT_SWARM);
    return this.session;
  }

  requireManager(): Session {
    const s = this.requireSession();
    if (s.state.role !== "manager") throw new UnavailableError(NOT_MANAGER);
    return s;
  }

  /** Daemon start: come back into the swarm this node was in. */
  async restore(): Promise<void> {
    const saved = await this.local.load().catch((err) => {
      log.error("swarm state unreadable; this node starts outside the swarm", { error: errorMessage(err) });
      return undefined;
    });
    if (!saved) return;
    await this.activate(saved.state, saved.files).catch((err) => log.error("cannot rejoin the swarm", { error: errorMessage(err) }));
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new ConflictError("another swarm operation (init, join or leave) is in progress on this node; try again when it has finished");
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private addresses(req: { ListenAddr?: string; AdvertiseAddr?: string; DataPathAddr?: string }) {
    const listen = resolveAddr(req.ListenAddr || "0.0.0.0:2377", SWARM_PORT);
    const adv = resolveAddr(req.AdvertiseAddr, listen.port);
    let addr = adv.ip;
    if (!addr) addr = listen.ip && listen.ip !== "0.0.0.0" ? listen.ip : detectAddr((n) => this.engine.isEngineInterface(n));
    const data = req.DataPathAddr ? resolveAddr(req.DataPathAddr, 0).ip! : addr;
    return { addr, listenIp: listen.ip ?? "0.0.0.0", listenPort: listen.port, dataPathAddr: data };
  }

  private description(): NodeRecord["Description"] {
    return {
      Hostname: this.engine.hostname(),
      Platform: { Architecture: process.arch === "x64" ? "x86_64" : process.arch, OS: "linux" },
      Resources: { NanoCPUs: this.engine.nanoCpus, MemoryBytes: this.engine.memoryBytes },
      Engine: {
        EngineVersion: this.engine.engineVersion,
        ...(Object.keys(this.engine.labels).length ? { Labels: this.engine.labels } : {}),
        Plugins: [
          { Type: "Log", Name: "json-file" }, { Type: "Log", Name: "local" },
          { Type: "Network", Name: "bridge" }, { Type: "Network", Name: "host" }, { Type: "Network", Name: "null" }, { Type: "Network", Name: "overlay" },
          { Type: "Volume", Name: "local" },
        ],
      },
    };
  }

  async init(req: InitRequest): Promise<string> {
    return this.exclusive(async () => {
      if (this.session) throw new UnavailableError(ALREADY);
      const a = this.addresses(req);
      const pool = req.DefaultAddrPool?.length ? req.DefaultAddrPool : ["10.0.0.0/8"];
      const subnetSize = req.SubnetSize || 24;
      if (subnetSize < 8 || subnetSize > 29) throw new InvalidArgumentError(`invalid subnet size ${subnetSize}: it must be between 8 and 29`);
      const dataPathPort = req.DataPathPort || 4789;
      if (dataPathPort < 1024 || dataPathPort > 49151) throw new InvalidArgumentError(`data path port ${dataPathPort} is out of range (1024-49151)`);
      const clusterId = newClusterObjectId();
      const nodeId = newClusterObjectId();
      const ca = await createCa(clusterId);
      const { key, csr } = await createCsr(nodeId);
      const cert = await signCsr(ca, csr, { nodeId, role: "manager", clusterId, ips: [a.addr] });
      const files: LocalFiles = { ca: ca.cert, cert, key, dataKey: newDataKey() };
      const state: LocalState = {
        nodeId, clusterId, role: "manager", addr: a.addr, listenAddr: a.listenIp, listenPort: a.listenPort, dataPathAddr: a.dataPathAddr,
        endpoints: [clientUrl(a.addr)],
        member: { initialCluster: `${nodeId}=${peerUrl(a.addr)}`, state: "new" },
      };
      await this.local.save(state, files);
      try {
        await this.startMember(state, files);
        const store = await this.connect(state, files);
        const t = now();
        const cluster: ClusterRecord = {
          ID: clusterId, CreatedAt: t, UpdatedAt: t,
          Spec: { ...DEFAULT_SWARM_SPEC, ...(req.Spec ?? {}), Name: "default" } as ClusterRecord["Spec"],
          TLSInfo: tlsInfo(ca.cert),
          RootRotationInProgress: false, DefaultAddrPool: pool, SubnetSize: subnetSize, DataPathPort: dataPathPort,
          workerSecret: newSecret(), managerSecret: newSecret(),
        };
        await store.put("cluster", cluster);
        await store.put("ca", ca);
        await store.put("datakey", files.dataKey);
        await store.put(`nodes/${nodeId}`, this.nodeRecord(nodeId, "manager", state));
        store.close();
        await this.activate(state, files);
        await this.onInit?.(this.session!);
      } catch (err) {
        await this.teardownLocal();
        throw err;
      }
      return nodeId;
    });
  }

  private nodeRecord(nodeId: string, role: NodeRecord["Spec"]["Role"], state: Pick<LocalState, "addr" | "listenPort">, description = this.description()): NodeRecord {
    const t = now();
    return {
      ID: nodeId, CreatedAt: t, UpdatedAt: t,
      Spec: { Labels: {}, Role: role, Availability: "active" },
      Description: description,
      addr: state.addr,
      ...(role === "manager" ? { managerAddr: `${state.addr}:${state.listenPort}` } : {}),
    };
  }

  async join(req: JoinApiRequest): Promise<void> {
    return this.exclusive(async () => {
      if (this.session) throw new UnavailableError(ALREADY);
      if (!req.RemoteAddrs?.length) throw new InvalidArgumentError("at least 1 RemoteAddr is required to join");
      if (!req.JoinToken) throw new InvalidArgumentError("a join token is required to join a swarm");
      parseToken(req.JoinToken);
      const a = this.addresses(req);
      const { key, csr } = await createCsr("joining");
      let res: JoinResponse | undefined;
      let lastErr: unknown;
      for (const remote of req.RemoteAddrs) {
        try {
          res = await requestJoin(remote, { token: req.JoinToken, csr, addr: a.addr, dataPathAddr: a.dataPathAddr, listenPort: a.listenPort, description: this.description() });
          break;
        } catch (err) {
          lastErr = err;
          if (err instanceof InvalidArgumentError) throw err;
        }
      }
      if (!res) throw lastErr;
      const files: LocalFiles = { ca: res.ca, cert: res.cert, key, dataKey: res.dataKey };
      const state: LocalState = {
        nodeId: res.nodeId, clusterId: res.clusterId, role: res.role, addr: a.addr, listenAddr: a.listenIp, listenPort: a.listenPort, dataPathAddr: a.dataPathAddr,
        endpoints: res.role === "manager" ? [clientUrl(a.addr)] : res.endpoints,
        ...(res.initialCluster ? { member: { initialCluster: res.initialCluster, state: "existing" as const } } : {}),
      };
      await this.local.save(state, files);
      try {
        await this.activate(state, files);
      } catch (err) {
        await this.teardownLocal();
        throw err;
      }
    });
  }

  /** A manager admits a node: check the token, sign its certificate, record it, and for a manager add its etcd member. */
  async admit(req: JoinRequest): Promise<JoinResponse> {
    const s = this.requireManager();
    const cluster = (await s.store.get<ClusterRecord>("cluster"))?.value;
    const ca = (await s.store.get<NodeCert>("ca"))?.value;
    if (!cluster || !ca) throw new UnavailableError("the swarm's state is not readable yet; try again");
    const token = parseToken(req.token);
    const role = sameSecret(token.secret, cluster.managerSecret) ? "manager" : sameSecret(token.secret, cluster.workerSecret) ? "worker" : undefined;
    if (!role || token.digest !== parseToken(formatToken(certDigest(ca.cert), cluster.workerSecret)).digest) {
      throw new InvalidArgumentError("rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster");
    }
    if (typeof req.addr !== "string" || !/^\d+\.\d+\.\d+\.\d+$/.test(req.addr)) throw new InvalidArgumentError("a joining node must give its IPv4 address");
    const nodeId = newClusterObjectId();
    const cert = await signCsr(ca, req.csr, { nodeId, role, clusterId: cluster.ID, ips: [req.addr] });
    const node = this.nodeRecord(nodeId, role, { addr: req.addr, listenPort: req.listenPort || SWARM_PORT }, req.description as NodeRecord["Description"]);
    const dataKey = (await s.store.get<string>("datakey"))!.value;
    const managers = (await s.store.list<NodeRecord>("nodes/")).filter((n) => n.value.Spec.Role === "manager" && !n.value.left);
    await s.store.put(`nodes/${nodeId}`, node);
    let initialCluster: string | undefined;
    if (role === "manager") {
      // Last step: once the member is added, the cluster has no quorum until the new node starts it.
      const added = await this.addMember(s, peerUrl(req.addr)).catch(async (err) => {
        await s.store.delete(`nodes/${nodeId}`).catch(() => undefined);
        throw err;
      });
      initialCluster = added.members
        .map((m) => `${m.name || (m.ID === added.member.ID ? nodeId : "")}=${m.peerURLs[0]}`)
        .filter((x) => !x.startsWith("="))
        .join(",");
    }
    return {
      nodeId, clusterId: cluster.ID, role, cert, ca: ca.cert, dataKey,
      endpoints: managers.map((m) => clientUrl(m.value.addr)),
      ...(initialCluster ? { initialCluster } : {}),
    };
  }

  /** etcd refuses a new member until the last one has caught up ("unhealthy cluster"): retry for a while. */
  private async addMember(s: Session, url: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        return await s.store.etcd.cluster.memberAdd({ peerURLs: [url] });
      } catch (err) {
        if (Date.now() > deadline || !/unhealthy cluster|not have a leader|no leader|circuit/i.test(errorMessage(err))) throw err;
        await sleep(500);
      }
    }
  }

  private async startMember(state: LocalState, files: LocalFiles): Promise<void> {
    if (!state.member) return;
    this.member = new EtcdMember({
      name: state.nodeId, dir: this.local.etcdDir, addr: state.addr, clientPort: 2379, peerPort: 2380,
      initialCluster: state.member.initialCluster, state: state.member.state, clusterToken: state.clusterId,
      ca: files.ca, cert: files.cert, key: files.key,
    });
    await this.member.start();
  }

  /** Connect to etcd, waiting (bounded) for the member to answer. */
  private async connect(state: LocalState, files: LocalFiles, waitMs = 30_000): Promise<ClusterStore> {
    // Loaded on first use: a daemon outside any swarm never pays for the gRPC stack (start-up time, idle memory).
    const { ClusterStore } = await import("./store.js");
    const store = new ClusterStore(state.endpoints, { ca: files.ca, cert: files.cert, key: files.key });
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        await store.get("cluster");
        return store;
      } catch (err) {
        if (Date.now() > deadline) {
          store.close();
          throw new UnavailableError(`cannot reach the swarm's etcd at ${state.endpoints.join(", ")}: ${errorMessage(err)}`);
        }
        await sleep(200);
      }
    }
  }

  /** Start everything a member runs: etcd (managers), the store, the join endpoint, the heartbeat, the components. */
  private async activate(state: LocalState, files: LocalFiles): Promise<void> {
    await this.startMember(state, files);
    const store = await this.connect(state, files);
    if (state.member?.state === "existing" || state.member?.state === "new") {
      // Restarts of this member must not try to bootstrap again.
      if (state.member.state === "new") await this.local.save({ ...state, member: { ...state.member, state: "existing" } });
    }
    const session: Session = { state, files, store };
    this.session = session;
    if (state.role === "manager") {
      this.endpoint = new JoinEndpoint({ cert: files.cert, key: files.key, ca: files.ca }, (r) => this.admit(r));
      await this.endpoint.listen(state.listenAddr, state.listenPort);
    }
    this.heartbeat = new Heartbeat(store, state);
    await this.heartbeat.start();
    for (const c of this.components) await c.start(session).catch((err) => log.error("swarm component failed to start", { error: errorMessage(err) }));
  }

  async leave(force: boolean): Promise<void> {
    return this.exclusive(async () => {
      const s = this.session;
      if (!s) throw new UnavailableError("This node is not part of a swarm");
      if (s.state.role === "manager" && !force) {
        let managers = 1;
        try {
          managers = (await s.store.list<NodeRecord>("nodes/")).filter((n) => n.value.Spec.Role === "manager" && !n.value.left).length;
        } catch {
          /* no quorum: same answer as the last manager */
        }
        throw new UnavailableError(
          managers <= 1
            ? "You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message."
            : `You are attempting to leave the swarm on a node that is participating as a manager. Removing this node leaves ${managers - 1} managers out of ${managers}. Without a Raft quorum your swarm will be inaccessible. The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`,
        );
      }
      for (const c of [...this.components].reverse()) await c.stop(true).catch((err) => log.warn("swarm component stop failed", { error: errorMessage(err) }));
      await this.heartbeat?.stop().catch(() => undefined);
      await this.markLeft(s).catch((err) => log.warn("could not record the leave in the swarm", { error: errorMessage(err) }));
      await this.teardownLocal();
    });
  }

  /** Tell the cluster this node is gone: its record says so, and a manager's etcd member is removed. */
  private async markLeft(s: Session): Promise<void> {
    const rec = await s.store.get<NodeRecord>(`nodes/${s.state.nodeId}`);
    if (!rec) return;
    const others = (await s.store.list<NodeRecord>("nodes/")).filter((n) => n.value.ID !== s.state.nodeId && n.value.Spec.Role === "manager" && !n.value.left);
    if (s.state.role === "manager" && others.length) {
      const members = await s.store.etcd.cluster.memberList({});
      const me = members.members.find((m) => m.name === s.state.nodeId);
      // Say goodbye before the member goes: the remaining managers keep quorum.
      await s.store.put(`nodes/${s.state.nodeId}`, { ...rec.value, left: true, UpdatedAt: now() });
      if (me) await s.store.etcd.cluster.memberRemove({ ID: me.ID });
      return;
    }
    if (s.state.role === "worker") await s.store.put(`nodes/${s.state.nodeId}`, { ...rec.value, left: true, UpdatedAt: now() });
  }

  private async teardownLocal(): Promise<void> {
    await this.endpoint?.close().catch(() => undefined);
    this.endpoint = undefined;
    this.session?.store.close();
    this.session = undefined;
    if (this.member) await this.member.destroy();
    else await new EtcdMember({ name: "", dir: this.local.etcdDir, addr: "", clientPort: 0, peerPort: 0, initialCluster: "", state: "new", clusterToken: "", ca: "", cert: "", key: "" }).destroy();
    this.member = undefined;
    await this.local.clear();
  }

  /** Daemon shutdown: stop local pieces, keep the membership for the next start. */
  async close(): Promise<void> {
    for (const c of [...this.components].reverse()) await c.stop(false).catch(() => undefined);
    // Let the lease expire rather than revoking it: a restart within the TTL looks like no outage.
    await this.endpoint?.close().catch(() => undefined);
    this.session?.store.close();
    this.session = undefined;
    await this.member?.stop();
  }

  joinTokens(cluster: ClusterRecord): { Worker: string; Manager: string } {
    const digest = certDigest(this.requireSession().files.ca);
    return { Worker: formatToken(digest, cluster.workerSecret), Manager: formatToken(digest, cluster.managerSecret) };
  }
}

export function tlsInfo(caPem: string): ClusterRecord["TLSInfo"] {
  const c = new X509Certificate(caPem);
  return { TrustRoot: caPem, CertIssuerSubject: "", CertIssuerPublicKey: c.publicKey.export({ type: "spki", format: "der" }).toString("base64") };
}
