import type { SpecInput } from "../../runtime/spec/index.js";
import type { ContainerRecord } from "./types.js";
import type { EtcContent } from "./etc-files.js";

/**
 * A subsystem that takes part in every container's lifecycle (networking,
 * volumes, resources, health checks). The container service calls each hook
 * in registration order; a hook that throws fails the operation (create and
 * prepare) or is logged (the rest). Hooks must be idempotent: after a daemon
 * crash `exited`/`removed` may run for a container whose resources are
 * already gone.
 */
export interface ContainerExtension {
  readonly name: string;
  /** At create, after the record is built and before it is stored: validate and normalise (throw InvalidArgumentError), add warnings. */
  create?(c: ContainerRecord, warnings: string[]): Promise<void>;
  /**
   * Before the runtime creates the container: contribute to the OCI spec input (network, mounts,
   * resources...) and to the content of /etc/hostname, /etc/hosts and /etc/resolv.conf, which
   * are written once after every extension has prepared.
   */
  prepare?(c: ContainerRecord, input: SpecInput, etc: EtcContent): Promise<void>;
  /** The process runs (pid in c.state.pid). */
  started?(c: ContainerRecord): Promise<void>;
  /**
   * The process ended; the container still shows as running. For what the exit record must
   * carry before anyone can see it (State.OOMKilled). Keep it short: the exit waits for it.
   */
  exiting?(c: ContainerRecord, exit: { exitCode: number }): Promise<void>;
  /** The process exited (before any auto-remove or restart). */
  exited?(c: ContainerRecord): Promise<void>;
  /** The container is being removed; `volumes` is `docker rm -v`. */
  removed?(c: ContainerRecord, opts: { volumes: boolean }): Promise<void>;
  /** A daemon restart found the container running: re-arm whatever lives in the daemon (health probes, proxies). */
  restored?(c: ContainerRecord): Promise<void>;
  /** Add to GET /containers/{id}/json (NetworkSettings, Mounts, State.Health, ...). */
  inspect?(c: ContainerRecord, out: Record<string, unknown>): void;
  /** Add to a GET /containers/json entry (Ports, Mounts, NetworkSettings, Status suffix...). */
  summary?(c: ContainerRecord, out: Record<string, unknown>): void;
}
