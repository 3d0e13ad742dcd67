import type { DaemonConfig } from "./config.js";
import { resolveTls, loadServerTls, type ServerTlsOptions } from "./api-tls.js";
import { apiInfoWarnings, checkExposure, normalizeDaemonHost, type ExposureWarning } from "./api-exposure.js";

export interface ApiListeners {
  /** Normalised `unix://…` and `tcp://HOST:PORT` addresses. */
  hosts: string[];
  /** TLS for the tcp listeners, checked and loaded. */
  tls?: ServerTlsOptions;
  /** dockerd's warnings, logged at every start. */
  startWarnings: ExposureWarning[];
  /** What `docker info` lists under WARNING. */
  infoWarnings: string[];
}

/**
 * Everything about how the API is exposed, decided before the daemon takes
 * its data-root: throws (the daemon exits) on unusable TLS files or an
 * unauthenticated non-loopback tcp address.
 */
export async function prepareApiListeners(cfg: DaemonConfig, defaultSocket: string, env: NodeJS.ProcessEnv = process.env): Promise<ApiListeners> {
  const tls = resolveTls(cfg.tls, env);
  // dockerd: with TLS on and no -H, listen on tcp://localhost:2376 instead of the socket.
  const given = cfg.hosts.filter((h) => h.trim() !== "");
  const raw = given.length > 0 ? given : [tls.mode === "plain" ? `unix://${defaultSocket}` : "tcp://localhost:2376"];
  const hosts = raw.map((h) => normalizeDaemonHost(h, defaultSocket));
  const tcp = hosts.some((h) => h.startsWith("tcp://"));
  const serverTls = tcp ? loadServerTls(tls) : undefined;
  const startWarnings = await checkExposure(hosts, tls);
  return { hosts, tls: serverTls, startWarnings, infoWarnings: apiInfoWarnings(hosts, tls) };
}
