import type { Duplex } from "node:stream";

/** What the exec routes need (consumer-declared). */
export interface ExecBackend {
  create(containerRef: string, config: unknown): Promise<{ Id: string }>;
  /** Validates before the route hijacks the connection. */
  check(execId: string): void;
  start(execId: string, opts: { detach: boolean; tty?: boolean; consoleSize?: [number, number]; socket?: Duplex }): Promise<void>;
  resize(execId: string, h: number, w: number): void;
  inspect(execId: string): unknown;
}
