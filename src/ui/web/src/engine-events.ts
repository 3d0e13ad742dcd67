import { subscribe, type Subscription } from "./live";

// One events subscription for the whole tab; pages register interest by
// event type and refresh what they show when something changes.

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time: number;
  timeNano?: number;
  scope?: string;
}

const listeners = new Set<(e: EngineEvent) => void>();
let sub: Subscription | undefined;

export function onEngineEvent(l: (e: EngineEvent) => void): () => void {
  listeners.add(l);
  sub ??= subscribe({ topic: "events" }, (m) => {
    if (m.event) for (const x of listeners) x(m.event as EngineEvent);
  });
  return () => listeners.delete(l);
}

/** Calls `refresh` (at most every `ms`) after events of the given types. */
export function refreshOn(types: string[], refresh: () => void, ms = 250): () => void {
  let timer: number | undefined;
  return onEngineEvent((e) => {
    if (!types.includes(e.Type) || timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      refresh();
    }, ms);
  });
}
