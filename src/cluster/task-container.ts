import type { TaskRecord } from "./objects.js";

/** What the agent needs from the engine to run tasks as containers on this node. */
export interface TaskRuntime {
  /** Create and start a container; returns its ID. Throws NotFoundError when the image is missing. */
  run(name: string, body: Record<string, unknown>): Promise<string>;
  stop(id: string, timeoutSec: number): Promise<void>;
  remove(id: string): Promise<void>;
  /** undefined when the container does not exist. */
  state(id: string): { running: boolean; exitCode: number; pid: number; error: string; health?: string } | undefined;
  /** Containers that run a swarm task: container ID → task ID. */
  taskContainers(): Map<string, string>;
  /** Called on container events (die, health) so the agent reacts at once. */
  onChange(fn: () => void): () => void;
  /** Write secret/config files for a task; returns the host directory to bind. */
  writeTaskFiles?(taskId: string, files: { name: string; data: Buffer; mode: number; uid: number; gid: number }[]): Promise<string>;
  removeTaskFiles?(taskId: string): Promise<void>;
}

export const TASK_LABEL = "com.docker.swarm.task.id";

export function containerName(t: TaskRecord): string {
  return `${t.serviceName}.${t.Slot ?? t.NodeID}.${t.ID}`;
}

const ms = (ns?: number) => (ns ? Math.round(ns) : undefined);

/**
 * A task's container in the Engine API's create shape: the ContainerSpec
 * fields, resources, mounts, the swarm labels Docker sets, and no restart
 * policy (restarts are the orchestrator's).
 */
export function containerBody(t: TaskRecord, extra: { networks?: Record<string, unknown>; binds?: string[] } = {}): Record<string, unknown> {
  const cs = t.Spec.ContainerSpec!;
  const res = t.Spec.Resources ?? {};
  const hc = cs.Healthcheck;
  const labels = {
    ...(cs.Labels ?? {}),
    "com.docker.swarm.node.id": t.NodeID ?? "",
    "com.docker.swarm.service.id": t.ServiceID,
    "com.docker.swarm.service.name": t.serviceName,
    "com.docker.swarm.task": "",
    [TASK_LABEL]: t.ID,
    "com.docker.swarm.task.name": `${t.serviceName}.${t.Slot ?? t.NodeID}.${t.ID}`,
  };
  return {
    Image: cs.Image,
    ...(cs.Command?.length ? { Entrypoint: cs.Command } : {}),
    ...(cs.Args?.length ? { Cmd: cs.Args } : {}),
    Env: cs.Env ?? [],
    ...(cs.Dir ? { WorkingDir: cs.Dir } : {}),
    ...(cs.User ? { User: cs.User } : {}),
    ...(cs.Hostname ? { Hostname: cs.Hostname } : {}),
    Tty: !!cs.TTY,
    OpenStdin: !!cs.OpenStdin,
    Labels: labels,
    ...(cs.StopSignal ? { StopSignal: cs.StopSignal } : {}),
    ...(cs.StopGracePeriod ? { StopTimeout: Math.ceil(cs.StopGracePeriod / 1e9) } : {}),
    ...(hc ? { Healthcheck: { Test: hc.Test, Interval: ms(hc.Interval), Timeout: ms(hc.Timeout), Retries: hc.Retries, StartPeriod: ms(hc.StartPeriod) } } : {}),
    HostConfig: {
      RestartPolicy: { Name: "no" },
      ...(res.Limits?.NanoCPUs ? { NanoCpus: res.Limits.NanoCPUs } : {}),
      ...(res.Limits?.MemoryBytes ? { Memory: res.Limits.MemoryBytes } : {}),
      ...(res.Limits?.Pids ? { PidsLimit: res.Limits.Pids } : {}),
      ...(res.Reservations?.MemoryBytes ? { MemoryReservation: res.Reservations.MemoryBytes } : {}),
      ...(cs.Mounts?.length ? { Mounts: cs.Mounts } : {}),
      ...(extra.binds?.length ? { Binds: extra.binds } : {}),
      ...(cs.ReadOnly ? { ReadonlyRootfs: true } : {}),
      ...(cs.Init ? { Init: true } : {}),
      ...(cs.Hosts?.length ? { ExtraHosts: cs.Hosts.map(hostEntry) } : {}),
      ...(cs.DNSConfig?.Nameservers?.length ? { Dns: cs.DNSConfig.Nameservers } : {}),
      ...(cs.DNSConfig?.Search?.length ? { DnsSearch: cs.DNSConfig.Search } : {}),
      ...(cs.DNSConfig?.Options?.length ? { DnsOptions: cs.DNSConfig.Options } : {}),
      ...(cs.Sysctls ? { Sysctls: cs.Sysctls } : {}),
      ...(cs.CapabilityAdd?.length ? { CapAdd: cs.CapabilityAdd } : {}),
      ...(cs.CapabilityDrop?.length ? { CapDrop: cs.CapabilityDrop } : {}),
      ...(cs.Ulimits?.length ? { Ulimits: cs.Ulimits } : {}),
      ...(t.Spec.LogDriver ? { LogConfig: { Type: t.Spec.LogDriver.Name, Config: t.Spec.LogDriver.Options ?? {} } } : {}),
      ...(extra.networks ? { NetworkMode: Object.keys(extra.networks)[0] } : {}),
    },
    ...(extra.networks ? { NetworkingConfig: { EndpointsConfig: extra.networks } } : {}),
  };
}

/** Service `--host name:ip` entries are "ip name" in the spec (swarmkit's order); containers want "name:ip". */
function hostEntry(h: string): string {
  const parts = h.trim().split(/\s+/);
  return parts.length >= 2 ? `${parts[1]}:${parts[0]}` : h;
}
