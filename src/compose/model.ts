/**
 * The compose model after loading: the compose-spec's own shape (snake_case
 * keys, as `config` prints them) with every short syntax expanded to its
 * long form, paths made absolute and project-scoped names resolved. The
 * loader produces it; the planner (and swarm's `stack deploy`) consume it.
 * Nothing here knows about the Engine API.
 */

export type Dict = Record<string, unknown>;

export interface Project {
  name: string;
  /** Absolute project directory (relative paths in the files resolve against it). */
  workingDir: string;
  /** Absolute paths of the files that were merged, in order. */
  configFiles: string[];
  /** Absolute paths of the env files read (for the label compose sets). */
  envFiles: string[];
  /** The variables interpolation used (process env over .env). */
  environment: Record<string, string>;
  /** Active services (profiles applied), in file order. */
  services: Record<string, Service>;
  /** Services left out by profiles: `down` and `ps` still recognise their containers. */
  disabledServices: Record<string, Service>;
  networks: Record<string, Network>;
  volumes: Record<string, Volume>;
  secrets: Record<string, SecretOrConfig>;
  configs: Record<string, SecretOrConfig>;
  /** Top-level `x-*` extension fields, kept for `config`. */
  extensions: Dict;
}

export interface PortConfig {
  target: number;
  published?: string;
  host_ip?: string;
  protocol: "tcp" | "udp" | "sctp";
  mode?: string;
  name?: string;
  app_protocol?: string;
}

export interface VolumeMount {
  type: "bind" | "volume" | "tmpfs" | "npipe" | "cluster" | "image";
  /** Host path (bind, absolute), project volume key (volume), absent for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: "z" | "Z" };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number | string; mode?: number | string };
}

export interface DependsOn {
  condition: "service_started" | "service_healthy" | "service_completed_successfully";
  restart: boolean;
  required: boolean;
}

export interface ServiceNetwork {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  priority?: number;
  mac_address?: string;
  link_local_ips?: string[];
  driver_opts?: Record<string, string>;
}

export interface BuildConfig {
  /** Absolute context directory. */
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  target?: string;
  labels?: Record<string, string>;
  network?: string;
  extra_hosts?: Record<string, string>;
  no_cache?: boolean;
  pull?: boolean;
  shm_size?: number | string;
  [key: string]: unknown;
}

export interface Healthcheck {
  test?: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface FileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number | string;
}

/** A service; keys follow the spec. Keys the planner does not read stay in the index signature. */
export interface Service {
  name: string;
  image?: string;
  build?: BuildConfig;
  command?: string[] | string | null;
  entrypoint?: string[] | string | null;
  environment?: Record<string, string | null>;
  env_file?: Array<{ path: string; required: boolean; format?: string }>;
  ports?: PortConfig[];
  expose?: string[];
  volumes?: VolumeMount[];
  volumes_from?: string[];
  networks?: Record<string, ServiceNetwork | null>;
  network_mode?: string;
  depends_on?: Record<string, DependsOn>;
  healthcheck?: Healthcheck;
  restart?: string;
  deploy?: Dict;
  labels?: Record<string, string>;
  profiles?: string[];
  secrets?: FileReference[];
  configs?: FileReference[];
  extra_hosts?: Record<string, string | string[]>;
  container_name?: string;
  scale?: number;
  [key: string]: unknown;
}

export interface Network {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: Array<{ subnet?: string; gateway?: string; ip_range?: string; aux_addresses?: Record<string, string> }>; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv6?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface Volume {
  name: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface SecretOrConfig {
  name: string;
  /** Absolute path of a file-based secret/config. */
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  [key: string]: unknown;
}

/** The number of containers a service wants (`--scale` overrides it). */
export function replicasOf(s: Service): number {
  const deploy = s.deploy as { replicas?: number } | undefined;
  if (typeof deploy?.replicas === "number") return deploy.replicas;
  if (typeof s.scale === "number") return s.scale;
  return 1;
}
