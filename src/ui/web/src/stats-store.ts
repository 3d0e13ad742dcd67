import { useEffect, useState } from "preact/hooks";
import { subscribe, type Subscription } from "./live";

// Recent stats samples per container, fed by one live subscription whose
// set of containers follows what the page shows.

export interface StatsPoint {
  t: number;
  cpu: number;
  mem: number;
  memLimit: number;
  rx: number;
  tx: number;
  blkRead: number;
  blkWrite: number;
  pids: number;
}

const KEEP = 120;
const history = new Map<string, StatsPoint[]>();
const listeners = new Map<string, Set<() => void>>();

function add(id: string, p: StatsPoint): void {
  const h = history.get(id) ?? [];
  h.push(p);
  if (h.length > KEEP) h.splice(0, h.length - KEEP);
  history.set(id, h);
  for (const l of listeners.get(id) ?? []) l();
}

/** A stats subscription for a changing set of containers. */
export function statsFollower(): { follow(ids: string[]): void; close(): void } {
  let sub: Subscription | undefined;
  let current = "";
  return {
    follow(ids) {
      const key = [...ids].sort().join(",");
      if (key === current) return;
      current = key;
      if (!sub) sub = subscribe({ topic: "stats", ids }, (m) => m.stats && add(m.id, m.stats as StatsPoint));
      else sub.update({ topic: "stats", ids });
    },
    close() {
      sub?.close();
    },
  };
}

/** The samples of one container; re-renders the caller on each new one. */
export function useStatsHistory(id: string): StatsPoint[] {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    const set = listeners.get(id) ?? new Set();
    set.add(l);
    listeners.set(id, set);
    return () => void set.delete(l);
  }, [id]);
  return history.get(id) ?? [];
}
