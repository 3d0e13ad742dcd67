import { ConflictError, NotFoundError } from "../../lib/errors.js";

/** POST /containers/{id}/exec body (Docker's ExecConfig). */
export interface ExecConfig {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  ConsoleSize?: [number, number] | null;
  Env?: string[] | null;
  Cmd: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

export interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  started: boolean;
  exitCode: number | null;
  pid: number;
  /** Until which time a finished exec is kept for inspect. */
  expiresAt?: number;
}

/**
 * Exec instances live in memory only, as in Docker: they are created, started
 * once, and inspected; finished ones are dropped after a while.
 */
export class ExecStore {
  private readonly execs = new Map<string, ExecRecord>();

  add(rec: ExecRecord): void {
    this.gc();
    this.execs.set(rec.id, rec);
  }

  get(id: string): ExecRecord {
    const e = this.execs.get(id);
    if (!e) throw new NotFoundError(`No such exec instance: ${id}`);
    return e;
  }

  /** Claim an exec for starting; Docker refuses a second start. */
  claim(id: string): ExecRecord {
    const e = this.get(id);
    if (e.started) throw new ConflictError(`Error: Exec command ${id} has already run`);
    e.started = true;
    return e;
  }

  ofContainer(containerId: string): ExecRecord[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId);
  }

  dropContainer(containerId: string): void {
    for (const e of this.ofContainer(containerId)) this.execs.delete(e.id);
  }

  private gc(): void {
    const now = Date.now();
    for (const [id, e] of this.execs) if (e.expiresAt !== undefined && e.expiresAt < now) this.execs.delete(id);
  }
}
