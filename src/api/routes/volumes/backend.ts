import type { Filters } from "../../../lib/filters.js";

/** What the volume routes need (consumer-declared). */
export interface VolumesBackend {
  create(o: { Name?: string; Driver?: string; DriverOpts?: Record<string, string> | null; Labels?: Record<string, string> | null }): Promise<unknown>;
  inspect(name: string): unknown;
  list(filters: Filters): unknown;
  remove(name: string, force: boolean): Promise<void>;
  prune(filters: Filters, apiVersion: string): Promise<unknown>;
}
