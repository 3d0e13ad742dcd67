import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { InvalidArgumentError } from "../lib/errors.js";

/**
 * The daemon's TLS settings as the user gave them (flags over daemon.json);
 * `undefined` means "not said", which matters: dockerd tells an explicit
 * `--tls=false` / `--tlsverify=false` apart from silence.
 */
export interface TlsSettings {
  enabled?: boolean;
  verify?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/** How tcp listeners serve: plain HTTP, TLS, or TLS requiring client certificates signed by the CA. */
export type TlsMode = "plain" | "tls" | "mutual";

export interface ResolvedTls {
  mode: TlsMode;
  /** The user turned authentication off on purpose (`--tls=false` or `--tlsverify=false`). */
  explicitOptOut: boolean;
  ca: string;
  cert: string;
  key: string;
}

/** Server TLS options for node's https/tls servers. */
export type ServerTlsOptions = tls.TlsOptions & { requestCert: boolean; rejectUnauthorized: boolean };

// dockerd's server suites (go-connections' DefaultServerAcceptedCiphers: ECDHE with
// AES-GCM, then ECDHE AES-CBC-SHA) for TLS 1.2; TLS 1.3 keeps its standard three.
const CIPHERS = [
  "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-RSA-AES128-SHA",
].join(":");

/** Where dockerd looks for ca.pem, cert.pem and key.pem when no flag names them. */
export function defaultCertDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CERT_PATH || env.DOCKER_CONFIG || path.join(homedir(), ".docker");
}

/**
 * dockerd's rules: saying `--tlsverify` at all (true or false) turns TLS on;
 * TLS on without a word about verification verifies clients.
 */
export function resolveTls(s: TlsSettings, env: NodeJS.ProcessEnv = process.env): ResolvedTls {
  const enabled = s.verify !== undefined ? true : s.enabled === true;
  const verify = enabled && (s.verify ?? true);
  const dir = defaultCertDir(env);
  return {
    mode: !enabled ? "plain" : verify ? "mutual" : "tls",
    explicitOptOut: s.enabled === false || s.verify === false,
    ca: s.ca || path.join(dir, "ca.pem"),
    cert: s.cert || path.join(dir, "cert.pem"),
    key: s.key || path.join(dir, "key.pem"),
  };
}

/**
 * Read and check the certificate files before anything listens: a missing or
 * unreadable file, a key that is not the certificate's, an expired or not yet
 * valid certificate each stop the daemon with a message naming the file.
 */
export function loadServerTls(r: ResolvedTls, now = new Date()): ServerTlsOptions | undefined {
  if (r.mode === "plain") return undefined;
  const fail = (msg: string) => new InvalidArgumentError(`invalid TLS configuration: ${msg}`);
  const read = (file: string, what: string, flag: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw fail(`could not read ${what} "${file}" (${flag}): ${reason(err)}`);
    }
  };
  const certPem = read(r.cert, "the server certificate", "--tlscert");
  const keyPem = read(r.key, "the server key", "--tlskey");
  const cert = parseCert(certPem, r.cert, fail);
  checkValidity(cert, r.cert, "server certificate", now, fail);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw fail(`could not use the server key "${r.key}" (--tlskey): ${reason(err)}; make sure it is a PEM private key and not encrypted`);
  }
  if (!cert.checkPrivateKey(key)) throw fail(`the server key "${r.key}" does not match the certificate "${r.cert}"`);

  const opts: ServerTlsOptions = {
    cert: certPem,
    key: keyPem,
    minVersion: "TLSv1.2",
    ciphers: CIPHERS,
    honorCipherOrder: true,
    requestCert: r.mode === "mutual",
    rejectUnauthorized: r.mode === "mutual",
  };
  if (r.mode === "mutual") {
    const caPem = read(r.ca, "CA certificate", "--tlscacert");
    const cas = splitPem(caPem);
    if (cas.length === 0) throw fail(`no certificate found in the CA file "${r.ca}" (--tlscacert)`);
    for (const c of cas) checkValidity(parseCert(Buffer.from(c), r.ca, fail), r.ca, "CA certificate", now, fail);
    opts.ca = cas; // only this CA: the system's roots never authenticate an API client
  }
  try {
    tls.createSecureContext(opts);
  } catch (err) {
    throw fail(`could not use the certificate "${r.cert}" and key "${r.key}": ${reason(err)}`);
  }
  return opts;
}

function parseCert(pem: Buffer, file: string, fail: (m: string) => Error): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw fail(`"${file}" is not a PEM certificate: ${reason(err)}`);
  }
}

function checkValidity(cert: X509Certificate, file: string, what: string, now: Date, fail: (m: string) => Error): void {
  if (new Date(cert.validTo) < now) throw fail(`the ${what} "${file}" expired on ${new Date(cert.validTo).toISOString()}; renew it`);
  if (new Date(cert.validFrom) > now) throw fail(`the ${what} "${file}" is not valid before ${new Date(cert.validFrom).toISOString()}`);
}

function splitPem(pem: Buffer): string[] {
  return pem.toString("utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "no such file or directory";
  if (e.code === "EACCES") return "permission denied";
  if (e.code === "EISDIR") return "is a directory";
  return e.message ?? String(err);
}
