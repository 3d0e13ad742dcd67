import { Etcd3, isRecoverableError, type IKeyValue, type IRequestOp, type ICompare, type Lease } from "etcd3";
import { circuitBreaker, retry, handleWhen, ConsecutiveBreaker } from "cockatiel";
import { UnavailableError } from "../lib/errors.js";

/**
 * The cluster state in etcd: JSON objects under `/wharf/<kind>/<id>`.
 * Every object's version is its etcd mod revision, so an update can say
 * "only if nobody changed it since I read it" (`txn` compares), which is how
 * two managers acting at once never both win.
 */
export const NO_QUORUM =
  "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

export interface Versioned<T> {
  key: string;
  value: T;
  /** etcd mod revision: the object's Version.Index. */
  rev: number;
  created: number;
}

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface TxnOps {
  /** key → expected mod revision (0: the key must not exist). */
  expect?: Record<string, number>;
  put?: Record<string, unknown>;
  del?: string[];
}

export type WatchEvent = { type: "put" | "delete"; key: string; value?: unknown; rev: number };

const PREFIX = "/wharf/";

function decode<T>(kv: IKeyValue): Versioned<T> {
  return { key: kv.key.toString().slice(PREFIX.length), value: JSON.parse(kv.value.toString()) as T, rev: Number(kv.mod_revision), created: Number(kv.create_revision) };
}

function unavailable(err: unknown): never {
  if (err instanceof Error && (isRecoverableError(err) || /deadline|unavailable|ECONNREFUSED|No connection|Broken circuit|circuit breaker|timed out|etcdserver/i.test(err.message + err.name))) {
    throw new UnavailableError(NO_QUORUM, { cause: err });
  }
  throw err;
}

export class ClusterStore {
  readonly etcd: Etcd3;

  constructor(endpoints: string[], tls: TlsFiles, timeoutMs = 5000) {
    this.etcd = new Etcd3({
      hosts: endpoints,
      credentials: { rootCertificate: Buffer.from(tls.ca), certChain: Buffer.from(tls.cert), privateKey: Buffer.from(tls.key) },
      dialTimeout: 3000,
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeoutMs }),
      faultHandling: {
        // A dead member is skipped for a second; a call tries two members at most.
        host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) }),
        global: retry(handleWhen(isRecoverableError), { maxAttempts: 2 }),
      },
    });
  }

  private k(key: string): Buffer {
    return Buffer.from(PREFIX + key);
  }

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    try {
      const r = await this.etcd.kv.range({ key: this.k(key) });
      return r.kvs[0] ? decode<T>(r.kvs[0]) : undefined;
    } catch (err) {
      unavailable(err);
    }
  }

  async list<T>(prefix: string): Promise<Versioned<T>[]> {
    try {
      const key = this.k(prefix);
      const r = await this.etcd.kv.range({ key, range_end: rangeEnd(key) });
      return r.kvs.map((kv) => decode<T>(kv));
    } catch (err) {
      unavailable(err);
    }
  }

  async put(key: string, value: unknown, lease?: string): Promise<number> {
    try {
      const r = await this.etcd.kv.put({ key: this.k(key), value: Buffer.from(JSON.stringify(value)), ...(lease ? { lease } : {}) });
      return Number(r.header.revision);
    } catch (err) {
      unavailable(err);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.etcd.kv.deleteRange({ key: this.k(key) });
    } catch (err) {
      unavailable(err);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    try {
      const key = this.k(prefix);
      await this.etcd.kv.deleteRange({ key, range_end: rangeEnd(key) });
    } catch (err) {
      unavailable(err);
    }
  }

  /** All-or-nothing: apply puts and deletes only if every expected revision holds. Returns false when one did not. */
  async txn(ops: TxnOps): Promise<boolean> {
    const compare: ICompare[] = Object.entries(ops.expect ?? {}).map(([key, rev]) => ({ key: this.k(key), target: "Mod", result: "Equal", mod_revision: rev }));
    const success: IRequestOp[] = [
      ...Object.entries(ops.put ?? {}).map(([key, v]) => ({ request_put: { key: this.k(key), value: Buffer.from(JSON.stringify(v)) } })),
      ...(ops.del ?? []).map((key) => ({ request_delete_range: { key: this.k(key) } })),
    ];
    try {
      return (await this.etcd.kv.txn({ compare, success })).succeeded;
    } catch (err) {
      unavailable(err);
    }
  }

  /** Call `fn` for every change under `prefix` (also after etcd comes back). Returns a stop function. */
  async watch(prefix: string, fn: (ev: WatchEvent) => void): Promise<() => Promise<void>> {
    const w = await this.etcd.watch().prefix(PREFIX + prefix).create();
    w.on("put", (kv) => fn({ type: "put", key: kv.key.toString().slice(PREFIX.length), value: JSON.parse(kv.value.toString()), rev: Number(kv.mod_revision) }));
    w.on("delete", (kv) => fn({ type: "delete", key: kv.key.toString().slice(PREFIX.length), rev: Number(kv.mod_revision) }));
    w.on("error", () => undefined);
    return () => w.cancel();
  }

  lease(ttlSeconds: number): Lease {
    return this.etcd.lease(ttlSeconds, { autoKeepAlive: true });
  }

  close(): void {
    this.etcd.close();
  }
}

function rangeEnd(key: Buffer): Buffer {
  const end = Buffer.from(key);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}
