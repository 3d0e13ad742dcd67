import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { WHARF, waitFor } from "../../helpers/daemon.js";

/** A registry process on 127.0.0.1 for one test file; `stop` kills it and removes its storage. */
export interface TestRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  root: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** An htpasswd file with one bcrypt user (what `htpasswd -Bbn` writes). */
export async function writeHtpasswd(dir: string, user: string, password: string): Promise<string> {
  const file = path.join(dir, "htpasswd");
  await fs.writeFile(file, `${user}:${bcrypt.hashSync(password, 5).replace(/^\$2b\$/, "$2y$")}\n`);
  return file;
}

async function stopProc(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 5_000);
  await gone;
  clearTimeout(t);
}

async function ready(host: string, p: ChildProcess, log: () => string): Promise<void> {
  await waitFor(`registry on ${host} (${log()})`, async () => {
    if (p.exitCode !== null) throw new Error(`registry exited: ${log()}`);
    const res = await fetch(`http://${host}/v2/`).catch(() => undefined);
    return res !== undefined && (res.status === 200 || res.status === 401);
  });
}

/** `wharf registry serve` on a free loopback port (asks the kernel via --addr 127.0.0.1:0). */
export async function startWharfRegistry(opts: { htpasswd?: string; root?: string; args?: string[] } = {}): Promise<TestRegistry> {
  const root = opts.root ?? (await fs.mkdtemp(path.join(os.tmpdir(), "wharf-reg-")));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const args = [WHARF, "registry", "serve", "--addr", host, "--root", root, ...(opts.htpasswd ? ["--htpasswd", opts.htpasswd] : []), ...(opts.args ?? [])];
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  await ready(host, proc, () => out);
  return {
    host, root, proc,
    async stop() {
      await stopProc(proc);
      if (!opts.root) await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** Debian's docker-registry (CNCF distribution) with a temp config on a free loopback port. */
export async function startDistributionRegistry(opts: { htpasswd?: string } = {}): Promise<TestRegistry> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-distreg-"));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const auth = opts.htpasswd ? `auth:\n  htpasswd:\n    realm: test\n    path: ${opts.htpasswd}\n` : "";
  const config = `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${root}/data\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${auth}`;
  await fs.writeFile(path.join(root, "config.yml"), config);
  const proc = spawn("/usr/bin/docker-registry", ["serve", path.join(root, "config.yml")], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  await ready(host, proc, () => out.slice(-2000));
  return {
    host, root, proc,
    async stop() {
      await stopProc(proc);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Upload a one-layer image straight through the distribution API (no
 * daemon involved), so the layer is new to every daemon. Returns the
 * layer's blob digest and size.
 */
export async function uploadRawImage(host: string, repo: string, tag: string, fileContent: string): Promise<{ layer: { digest: string; size: number } }> {
  const { create } = await import("tar");
  const { gzipSync } = await import("node:zlib");
  const { createHash } = await import("node:crypto");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-raw-"));
  try {
    await fs.writeFile(path.join(dir, "payload.txt"), fileContent);
    await create({ cwd: dir, file: path.join(dir, "layer.tar"), portable: true }, ["payload.txt"]);
    const tar = await fs.readFile(path.join(dir, "layer.tar"));
    const gz = gzipSync(tar);
    const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
    const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", config: { Cmd: ["cat", "/payload.txt"] }, rootfs: { type: "layers", diff_ids: [sha(tar)] } }));
    for (const blob of [gz, config]) {
      const res = await fetch(`http://${host}/v2/${repo}/blobs/uploads/?digest=${sha(blob)}`, { method: "POST", body: blob, headers: { "Content-Type": "application/octet-stream" } });
      if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    }
    const layer = { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", digest: sha(gz), size: gz.length };
    const manifest = { schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: sha(config), size: config.length }, layers: [layer] };
    const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, { method: "PUT", body: JSON.stringify(manifest), headers: { "Content-Type": manifest.mediaType } });
    if (res.status !== 201) throw new Error(`manifest put failed: ${res.status} ${await res.text()}`);
    return { layer };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
