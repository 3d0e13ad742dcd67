import type { Filters } from "../../../lib/filters.js";

/** What the /tasks routes need from the daemon (consumer-declared). */
export interface TasksBackend {
  list(filters: Filters): Promise<unknown[]>;
  inspect(ref: string): Promise<unknown>;
}
