import { ConflictError, NotModifiedError } from "../../lib/errors.js";
import type { ContainerRecord, ContainerStatus } from "./types.js";

/**
 * The container state machine: which operation is legal in which status.
 * An illegal transition is a ConflictError (409), a no-op a NotModifiedError (304).
 */
export function isRunning(s: ContainerStatus): boolean {
  return s === "running" || s === "paused" || s === "restarting";
}

export function assertCanStart(c: ContainerRecord): void {
  const s = c.state.status;
  if (s === "paused") throw new ConflictError(`cannot start a paused container, try unpause instead`);
  if (s === "running") throw new NotModifiedError(`container ${c.id} is already started`);
  if (s === "removing") throw new ConflictError(`container is marked for removal and cannot be started`);
  if (s === "dead") throw new ConflictError(`container is marked for removal and cannot be started`);
}

export function assertCanKill(c: ContainerRecord): void {
  if (!isRunning(c.state.status)) throw new ConflictError(`container ${c.id} is not running`);
}

export function assertCanRemove(c: ContainerRecord, force: boolean): void {
  const s = c.state.status;
  if (s === "removing") throw new ConflictError(`removal of container ${c.id.slice(0, 12)} is already in progress`);
  if (isRunning(s) && !force) {
    const what = s === "paused" ? "paused" : "running";
    throw new ConflictError(
      `cannot remove container "${c.name}": container is ${what}: stop the container before removing or force remove`,
    );
  }
}

/** Docker's human status for `ps` ("Up 3 seconds", "Exited (0) 2 minutes ago"). */
export function describeStatus(c: ContainerRecord, humanDuration: (ms: number) => string, now = Date.now()): string {
  const st = c.state;
  switch (st.status) {
    case "running":
      return `Up ${humanDuration(now - Date.parse(st.startedAt))}`;
    case "paused":
      return `Up ${humanDuration(now - Date.parse(st.startedAt))} (Paused)`;
    case "restarting":
      return `Restarting (${st.exitCode}) ${humanDuration(now - Date.parse(st.finishedAt))} ago`;
    case "removing":
      return "Removal In Progress";
    case "dead":
      return "Dead";
    case "created":
      return "Created";
    case "exited":
      if (!st.finishedAt || st.finishedAt.startsWith("0001")) return "Created";
      return `Exited (${st.exitCode}) ${humanDuration(now - Date.parse(st.finishedAt))} ago`;
  }
}
