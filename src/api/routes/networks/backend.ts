import type { Filters } from "../../../lib/filters.js";

/** What the /networks routes need from the daemon (consumer-declared). */
export interface NetworksBackend {
  list(filters: Filters): unknown[];
  inspect(ref: string): unknown;
  create(req: { Name: string; [k: string]: unknown }, opts?: { allowDuplicate?: boolean }): Promise<{ Id: string; Warning: string }>;
  remove(ref: string): Promise<void>;
  prune(filters: Filters): Promise<{ NetworksDeleted: string[] }>;
  connect(ref: string, container: string, endpointConfig: Record<string, unknown>): Promise<void>;
  disconnect(ref: string, container: string, force: boolean): Promise<void>;
}
