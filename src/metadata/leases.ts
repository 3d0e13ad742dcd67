/**
 * Leases protect resources that an operation is making or using from the
 * garbage collector until the operation has recorded a real reference
 * (an image record, a container record) or given up.
 *
 * A resource is named by a key: `blob:<digest>`, `layer:<chainId>`,
 * `snapshot:<key>`. Lifecycle: `leases.create()` → `lease.hold(keys…)`
 * before the resource is looked up or written → `lease.release()` in a
 * `finally` once the reference is durable. `hold` waits while a collection
 * is running, so a resource is either protected before the collector looks
 * at it, or already gone when the operation looks for it (and is then
 * fetched or made again). Leases live in memory: after a daemon restart no
 * operation is in flight, so nothing needs protecting.
 */
export interface Lease {
  hold(...keys: string[]): Promise<void>;
  release(): void;
}

export const blobKey = (digest: string) => `blob:${digest}`;
export const layerKey = (chainId: string) => `layer:${chainId}`;
export const snapshotKey = (key: string) => `snapshot:${key}`;

export class LeaseManager {
  private readonly counts = new Map<string, number>();
  private collecting: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();

  create(): Lease {
    const mine: string[] = [];
    let released = false;
    return {
      hold: async (...keys: string[]) => {
        while (this.collecting) await this.collecting;
        if (released) throw new Error("lease already released");
        for (const k of keys) {
          mine.push(k);
          this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
        }
      },
      release: () => {
        if (released) return;
        released = true;
        for (const k of mine) {
          const n = (this.counts.get(k) ?? 1) - 1;
          if (n <= 0) this.counts.delete(k);
          else this.counts.set(k, n);
        }
      },
    };
  }

  /** Run `fn` with a fresh lease, released when it settles. */
  async with<T>(fn: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = this.create();
    try {
      return await fn(lease);
    } finally {
      lease.release();
    }
  }

  isHeld(key: string): boolean {
    return this.counts.has(key);
  }

  /** Keys held right now (the collector's extra roots). */
  held(): Set<string> {
    return new Set(this.counts.keys());
  }

  /**
   * Run a collection exclusively: one at a time, and no new hold is granted
   * until it finishes (holds granted before it keep their resources).
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.chain;
    let done!: () => void;
    this.chain = new Promise<void>((r) => (done = r));
    await before;
    let finish!: () => void;
    this.collecting = new Promise<void>((r) => (finish = r));
    try {
      return await fn();
    } finally {
      this.collecting = undefined;
      finish();
      done();
    }
  }
}
