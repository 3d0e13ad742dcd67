import type { Duplex, Writable } from "node:stream";
import type { Filters } from "../../../lib/filters.js";
import type { PlatformSpec } from "../../../image/platform-spec.js";

/** What the container routes need from the daemon (consumer-declared, like moby's router backends). */
export interface ContainersBackend {
  /** `platform`: the client's `?platform=` (API ≥ 1.41), parsed. */
  create(body: unknown, name: string | undefined, platform?: PlatformSpec): Promise<{ Id: string; Warnings: string[] }>;
  start(ref: string): Promise<void>;
  stop(ref: string, opts: { signal?: string; timeout?: number }): Promise<void>;
  kill(ref: string, signal?: string): Promise<void>;
  restart(ref: string, opts: { signal?: string; timeout?: number }): Promise<void>;
  remove(ref: string, opts: { force?: boolean; volumes?: boolean }): Promise<void>;
  /** DELETE /containers/{parent}/{alias}?link=1: forget a legacy link. */
  removeLink(parent: string, alias: string): Promise<void>;
  rename(ref: string, name: string): Promise<void>;
  wait(ref: string, condition: "not-running" | "next-exit" | "removed", registered: () => void, aborted: Promise<void>): Promise<{ StatusCode: number; Error?: { Message: string } | null }>;
  list(opts: { all: boolean; limit?: number; size: boolean; filters: Filters }): Promise<unknown[]>;
  inspect(ref: string, size: boolean): Promise<unknown>;
  /** Validates the container exists; `isTty` tells the route whether to frame. */
  attach(ref: string, socket: Duplex, opts: { stdin: boolean; stdout: boolean; stderr: boolean; logs: boolean; stream: boolean; detachKeys?: string; raw?: boolean }): Promise<void>;
  isTty(ref: string): boolean;
  /** Validates first (errors before any output), then returns the streaming step. */
  logs(ref: string, q: { stdout: boolean; stderr: boolean; follow: boolean; timestamps: boolean; tail?: string; since?: string; until?: string }): Promise<(out: Writable, closed: Promise<void>) => Promise<void>>;
  pause(ref: string): Promise<void>;
  unpause(ref: string): Promise<void>;
  top(ref: string, psArgs: string): Promise<{ Titles: string[]; Processes: string[][] }>;
  resize(ref: string, h: number, w: number): void;
  prune(filters: Filters): Promise<{ ContainersDeleted: string[]; SpaceReclaimed: number }>;
}
