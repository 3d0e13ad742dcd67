import type { Readable } from "node:stream";
import type { BuildOptions, BuildOutput } from "../../../daemon/build/types.js";
import type { BuildPruneReport } from "../../../daemon/build/prune.js";

/** What the build routes need (implemented by the daemon's BuildService). */
export interface BuildBackend {
  build(tar: Readable, opts: BuildOptions, out: BuildOutput, started: () => void): Promise<string>;
  prune(): Promise<BuildPruneReport>;
}
