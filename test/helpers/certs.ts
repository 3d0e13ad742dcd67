import { promises as fs } from "node:fs";
import path from "node:path";
import { run } from "./daemon.js";

/**
 * Certificates made by openssl for one test file: a CA, a server certificate
 * for 127.0.0.1 and localhost, a client certificate, a client certificate
 * from another CA, an expired client and an expired server certificate.
 */
export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  otherCa: string;
  otherClientCert: string;
  otherClientKey: string;
  expiredClientCert: string;
  expiredClientKey: string;
  expiredServerCert: string;
  expiredServerKey: string;
  /** A directory laid out like ~/.docker for DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem (the good client). */
  clientDir: string;
}

async function openssl(args: string[]): Promise<void> {
  const r = await run("openssl", args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}-key.pem`);
  await openssl(["req", "-x509", ...EC, "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  return { cert, key };
}

async function issue(dir: string, ca: { cert: string; key: string }, name: string, subject: string, ext: string, days: number): Promise<{ cert: string; key: string }> {
  const key = path.join(dir, `${name}-key.pem`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.pem`);
  const extFile = path.join(dir, `${name}.ext`);
  await fs.writeFile(extFile, ext);
  await openssl(["req", ...EC, "-keyout", key, "-out", csr, "-subj", subject]);
  // -days -1 gives notAfter a day before notBefore: an expired certificate.
  await openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", cert, "-days", String(days), "-extfile", extFile]);
  return { cert, key };
}

export async function makeTestCerts(dir: string): Promise<TestCerts> {
  await fs.mkdir(dir, { recursive: true });
  const ca = await makeCa(dir, "ca");
  const other = await makeCa(dir, "other-ca");
  const serverExt = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n";
  const clientExt = "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n";
  const server = await issue(dir, ca, "server", "/CN=localhost", serverExt, 2);
  const client = await issue(dir, ca, "client", "/O=wharf tests/CN=good-client", clientExt, 2);
  const otherClient = await issue(dir, other, "other-client", "/CN=other-ca-client", clientExt, 2);
  const expiredClient = await issue(dir, ca, "expired-client", "/CN=expired-client", clientExt, -1);
  const expiredServer = await issue(dir, ca, "expired-server", "/CN=localhost", serverExt, -1);
  const clientDir = path.join(dir, "client-dir");
  await fs.mkdir(clientDir, { recursive: true });
  await fs.copyFile(ca.cert, path.join(clientDir, "ca.pem"));
  await fs.copyFile(client.cert, path.join(clientDir, "cert.pem"));
  await fs.copyFile(client.key, path.join(clientDir, "key.pem"));
  return {
    dir,
    ca: ca.cert,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    otherCa: other.cert,
    otherClientCert: otherClient.cert,
    otherClientKey: otherClient.key,
    expiredClientCert: expiredClient.cert,
    expiredClientKey: expiredClient.key,
    expiredServerCert: expiredServer.cert,
    expiredServerKey: expiredServer.key,
    clientDir,
  };
}
