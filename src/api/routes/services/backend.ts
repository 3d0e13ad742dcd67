import type { Filters } from "../../../lib/filters.js";

/** What the /services routes need from the daemon (consumer-declared). */
export interface ServicesBackend {
  list(filters: Filters, status: boolean): Promise<unknown[]>;
  inspect(ref: string): Promise<unknown>;
  create(spec: Record<string, unknown>): Promise<{ ID: string; Warnings?: string[] }>;
  update(ref: string, version: number | undefined, spec: Record<string, unknown>, rollback: boolean): Promise<{ Warnings: string[] | null }>;
  remove(ref: string): Promise<void>;
}
