// An engine under test: how to start it on private roots, drive it with a CLI,
// and find its daemon and per-container monitor processes for memory figures.
import type { Cmd } from "../lib/proc.js";

export type EngineName = "dockerd" | "podman" | "wharf";

export interface Engine {
  readonly name: EngineName;
  /** A docker-grammar CLI invocation against this engine (docker CLI for dockerd and wharf, podman for Podman). */
  cli(args: string[]): Cmd;
  start(): Promise<void>;
  /** Load build/busybox.tar as busybox:latest. */
  loadBusybox(tarPath: string): Promise<void>;
  /** Daemon processes (dockerd + containerd; wharf's node process; none for Podman). */
  daemonPids(): Promise<number[]>;
  /** Per-container monitors of this engine only (containerd-shim, conmon, wharf-shim). */
  monitorPids(): Promise<number[]>;
  /** Remove every container left behind (between scenarios). */
  removeAllContainers(): Promise<void>;
  stop(): Promise<void>;
  /** Extra `run` flags to publish a port on 127.0.0.1. */
  publishFlags(hostPort: number, containerPort: number): string[];
  /** A bridge's subnet prefix reserved for this engine (containers' IPs). */
  readonly label: string;
}

/** Rotate the engine order each round so no engine always runs first (A B C, B C A, …). */
export function rotated<T>(items: T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
