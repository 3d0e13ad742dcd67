import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import { createHash, X509Certificate } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The cluster's PKI, made with the system openssl: one CA per swarm (created
 * by the first manager), one key and certificate per node. A node's
 * certificate serves its join endpoint and authenticates it to etcd (client
 * and peer mutual TLS); its CN is the node ID, its OU the role.
 */
export interface NodeCert {
  key: string;
  cert: string;
}

async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-pki-"));
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export async function createCa(clusterId: string): Promise<NodeCert> {
  return withTmp(async (d) => {
    await run("openssl", ["req", "-x509", ...EC, "-keyout", `${d}/ca.key`, "-out", `${d}/ca.crt`, "-days", "7300", "-subj", `/CN=swarm-ca/O=${clusterId}`]);
    return { key: await fs.readFile(`${d}/ca.key`, "utf8"), cert: await fs.readFile(`${d}/ca.crt`, "utf8") };
  });
}

/** A fresh key and a signing request for `nodeId` (the joining node keeps the key). */
export async function createCsr(nodeId: string): Promise<{ key: string; csr: string }> {
  return withTmp(async (d) => {
    await run("openssl", ["req", "-new", ...EC, "-keyout", `${d}/n.key`, "-out", `${d}/n.csr`, "-subj", `/CN=${nodeId}`]);
    return { key: await fs.readFile(`${d}/n.key`, "utf8"), csr: await fs.readFile(`${d}/n.csr`, "utf8") };
  });
}

/** Sign a node's CSR: the subject is set here (never taken from the request), SANs are its addresses. */
export async function signCsr(ca: NodeCert, csr: string, o: { nodeId: string; role: string; clusterId: string; ips: string[] }): Promise<string> {
  return withTmp(async (d) => {
    await fs.writeFile(`${d}/ca.key`, ca.key, { mode: 0o600 });
    await fs.writeFile(`${d}/ca.crt`, ca.cert);
    await fs.writeFile(`${d}/n.csr`, csr);
    const san = [...new Set([...o.ips, "127.0.0.1"])].map((ip) => `IP:${ip}`).join(",");
    await fs.writeFile(
      `${d}/ext.cnf`,
      `subjectAltName=${san},DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n`,
    );
    await run("openssl", [
      "x509", "-req", "-in", `${d}/n.csr`, "-CA", `${d}/ca.crt`, "-CAkey", `${d}/ca.key`, "-CAcreateserial",
      "-out", `${d}/n.crt`, "-days", "3650", "-extfile", `${d}/ext.cnf`,
      "-subj", `/CN=${o.nodeId}/OU=swarm-${o.role}/O=${o.clusterId}`,
    ]);
    return fs.readFile(`${d}/n.crt`, "utf8");
  });
}

/** sha256 of the certificate's DER: what a join token pins. */
export function certDigest(pem: string): Buffer {
  return createHash("sha256").update(new X509Certificate(pem).raw).digest();
}

export function certExpiry(pem: string): string {
  return new Date(new X509Certificate(pem).validTo).toISOString();
}
