import type { DaemonConfig } from "./config.js";
import { resolveTls, loadServerTls, type ServerTlsOptions } from "./api-tls.js";
import { apiInfoWarnings, checkExposure, isLoopback, normalizeDaemonHost, type ExposureWarning } from "./api-exposure.js";
import { parseUiAddr } from "./config/ui-keys.js";
import { InvalidArgumentError } from "../lib/errors.js";

/** Where and how the dashboard listens (`--ui-addr`). */
export interface UiListener {
  host: string;
  port: number;
  loopback: boolean;
  /** The daemon's TLS, when configured: the dashboard then serves HTTPS with the same certificate. */
  tls?: ServerTlsOptions;
}

export interface ApiListeners {
  /** Normalised `unix://…` and `tcp://HOST:PORT` addresses. */
  hosts: string[];
  /** TLS for the tcp listeners, checked and loaded. */
  tls?: ServerTlsOptions;
  /** dockerd's warnings, logged at every start. */
  startWarnings: ExposureWarning[];
  /** What `docker info` lists under WARNING. */
  infoWarnings: string[];
  ui?: UiListener;
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
  let ui: UiListener | undefined;
  if (cfg.uiAddr) {
    const { host, port } = parseUiAddr(cfg.uiAddr);
    const loopback = await isLoopback(host);
    const uiTls = tls.mode === "plain" ? undefined : (serverTls ?? loadServerTls(tls));
    if (!loopback && !uiTls) {
      throw new InvalidArgumentError(
        `refusing to serve the dashboard on ${cfg.uiAddr} without TLS: the session token would cross the network in clear text. ` +
          `Use a loopback address (127.0.0.1:PORT, reached from elsewhere through an ssh tunnel) or configure the daemon's TLS (--tlsverify --tlscacert --tlscert --tlskey)`,
      );
    }
    ui = { host, port, loopback, tls: uiTls };
  }
  return { hosts, tls: serverTls, startWarnings, infoWarnings: apiInfoWarnings(hosts, tls), ui };
}
