import type { EngineClient } from "../../client/engine-client.js";
import type { Project } from "../model.js";

/**
 * What every compose operation gets: the client (the only way to the
 * engine), the loaded project and where to report. Operations never
 * format tables; the CLI renders what they return or report.
 */
export type ResourceKind = "Container" | "Network" | "Volume" | "Image" | "Service";

export interface ComposeReporter {
  /** One step of one resource (" Container demo-web-1  Started" in the CLI). */
  progress(kind: ResourceKind, name: string, status: string): void;
  warn(message: string): void;
  /** Build and pull output meant for the user as is. */
  text(chunk: string): void;
}

export interface ComposeContext {
  client: EngineClient;
  project: Project;
  report: ComposeReporter;
  /** X-Registry-Auth for an image reference (from the user's docker config); absent → anonymous. */
  registryAuth?(image: string): string | undefined;
}

/** A reporter that drops everything (tests, quiet commands). */
export const SILENT: ComposeReporter = { progress: () => undefined, warn: () => undefined, text: () => undefined };
