import type { Readable, Writable } from "node:stream";

/** What the archive routes need (consumer-declared). */
export interface ArchiveBackend {
  stat(ref: string, path: string): Promise<string>;
  get(ref: string, path: string, start: (statHeader: string) => Writable): Promise<void>;
  put(ref: string, path: string, body: Readable, opts: { noOverwriteDirNonDir: boolean; copyUIDGID: boolean }): Promise<void>;
  export(ref: string, start: () => Writable): Promise<void>;
  changes(ref: string): Promise<unknown>;
}
