import { RegistryServer } from "./server/server.js";
import { RegistryStorage } from "./server/storage.js";
import { garbageCollect } from "./server/gc.js";

const USAGE = `Usage:  wharf registry serve --addr HOST:PORT --root DIR [--htpasswd FILE] [--token-auth] [--tls-cert FILE --tls-key FILE]
        wharf registry garbage-collect --root DIR [--delete-untagged] [--dry-run]

Run an OCI distribution (Docker registry v2) server over a directory, or
garbage-collect its storage (stop the server first).
`;

/** `wharf registry …`: runs without a daemon. Returns the exit code. */
export async function runRegistry(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = args;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith("--")) {
      err.write(`unexpected argument "${a}"\n\n${USAGE}`);
      return 125;
    }
    const eq = a.indexOf("=");
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (["--token-auth", "--delete-untagged", "--dry-run"].includes(a)) flags.set(a.slice(2), true);
    else flags.set(a.slice(2), rest[++i] ?? "");
  }
  const str = (k: string) => (typeof flags.get(k) === "string" ? (flags.get(k) as string) : undefined);
  if (sub === "serve") {
    const root = str("root");
    if (!root) {
      err.write(`--root is required\n\n${USAGE}`);
      return 125;
    }
    const server = new RegistryServer({
      addr: str("addr") ?? "127.0.0.1:5000", root, htpasswd: str("htpasswd"), tokenAuth: flags.get("token-auth") === true,
      tlsCert: str("tls-cert"), tlsKey: str("tls-key"),
    });
    const url = await server.listen();
    out.write(`wharf registry listening on ${url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
    return 0;
  }
  if (sub === "garbage-collect") {
    const root = str("root");
    if (!root) {
      err.write(`--root is required\n\n${USAGE}`);
      return 125;
    }
    const r = await garbageCollect(new RegistryStorage(root), { deleteUntagged: flags.get("delete-untagged") === true, dryRun: flags.get("dry-run") === true });
    for (const m of r.manifestsDeleted) out.write(`manifest eligible for deletion: ${m}\n`);
    for (const b of r.blobsDeleted) out.write(`blob eligible for deletion: ${b}\n`);
    out.write(`${r.blobsDeleted.length} blobs deleted, ${r.bytesFreed} bytes freed\n`);
    return 0;
  }
  (sub === undefined || sub === "--help" || sub === "help" ? out : err).write(USAGE);
  return sub === undefined || sub === "--help" || sub === "help" ? 0 : 125;
}
