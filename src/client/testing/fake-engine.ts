import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeFrame } from "../stdcopy.js";

/**
 * A tiny Engine API peer on a unix socket, for tests of the client and CLI
 * that need fixed data (golden tables) or a scripted container run. It
 * answers like dockerd does on the wire: /_ping headers, versioned paths,
 * JSON `{"message"}` errors, 101 hijack for attach, stdcopy frames.
 */
export interface FakeContainer {
  id: string;
  /** Frames the attach stream sends after start: [stream, text]. */
  output: Array<[1 | 2, string]>;
  exitCode: number;
  /** Echo stdin back on stdout (like `cat`) instead of fixed output. */
  echoStdin?: boolean;
}

export interface FakeEngine {
  socketPath: string;
  host: string;
  requests: string[];
  close(): Promise<void>;
}

export interface FakeEngineOptions {
  apiVersion?: string;
  containers?: unknown[];
  images?: unknown[];
  run?: FakeContainer;
  /** Listen here instead of a fresh temp dir. */
  socketPath?: string;
}

export async function startFakeEngine(opts: FakeEngineOptions = {}): Promise<FakeEngine> {
  const dir = mkdtempSync(join(tmpdir(), "wharf-fake-engine-"));
  const socketPath = opts.socketPath ?? join(dir, "engine.sock");
  const requests: string[] = [];
  const run = opts.run;
  let exited: (code: number) => void = () => undefined;
  const exitedP = new Promise<number>((r) => (exited = r));
  let attachSocket: import("node:net").Socket | undefined;
  let started = false;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json", "Api-Version": opts.apiVersion ?? "1.50" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };
  const finishRun = () => {
    if (!run || !attachSocket || !started || run.echoStdin) return;
    for (const [stream, text] of run.output) attachSocket.write(encodeFrame(stream, Buffer.from(text)));
    attachSocket.end();
    exited(run.exitCode);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname.replace(/^\/v\d+\.\d+/, "");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    req.resume();
    if (path === "/_ping") {
      res.writeHead(200, { "Api-Version": opts.apiVersion ?? "1.50", OSType: "linux", "Builder-Version": "1" });
      return res.end("OK");
    }
    if (path === "/containers/json") return send(res, 200, opts.containers ?? []);
    if (path === "/images/json") return send(res, 200, opts.images ?? []);
    if (run && req.method === "POST" && path === "/containers/create") {
      if (url.searchParams.get("name") === "taken") return send(res, 409, { message: 'Conflict. The container name "/taken" is already in use' });
      return send(res, 201, { Id: run.id, Warnings: ["something to note"] });
    }
    if (run && path === `/containers/${run.id}/wait`) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.flushHeaders();
      exitedP.then((code) => res.end(JSON.stringify({ StatusCode: code })));
      return;
    }
    if (run && path === `/containers/${run.id}/start`) {
      started = true;
      send(res, 204, undefined);
      finishRun();
      return;
    }
    send(res, 404, { message: `page not found` });
  });
  server.on("upgrade", (req, socket) => {
    const path = new URL(req.url ?? "/", "http://x").pathname.replace(/^\/v\d+\.\d+/, "");
    requests.push(`UPGRADE ${req.method} ${path}`);
    if (!run || path !== `/containers/${run.id}/attach`) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{\"message\":\"No such thing\"}");
      return;
    }
    socket.write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
    attachSocket = socket as import("node:net").Socket;
    if (run.echoStdin) {
      socket.on("data", (c: Buffer) => socket.write(encodeFrame(1, c)));
      socket.on("end", () => {
        socket.end();
        exited(run.exitCode);
      });
    }
    finishRun();
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  return {
    socketPath,
    host: `unix://${socketPath}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fixture rows carry `CreatedAgo` seconds; turn them into API objects created relative to `nowSec`. */
export function materialize<T extends { CreatedAgo?: number }>(rows: T[], nowSec: number): Array<Omit<T, "CreatedAgo"> & { Created: number }> {
  return rows.map(({ CreatedAgo, ...rest }) => ({ ...rest, Created: nowSec - (CreatedAgo ?? 0) }));
}
