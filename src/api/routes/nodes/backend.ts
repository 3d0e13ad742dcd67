import type { Filters } from "../../../lib/filters.js";

/** What the /nodes routes need from the daemon (consumer-declared). */
export interface NodesBackend {
  list(filters: Filters): Promise<unknown[]>;
  inspect(ref: string): Promise<unknown>;
  update(ref: string, version: number | undefined, spec: Record<string, unknown>): Promise<void>;
  remove(ref: string, force: boolean): Promise<void>;
}
