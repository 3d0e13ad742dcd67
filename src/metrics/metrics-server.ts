// `--metrics-addr`: GET /metrics in the Prometheus text format, on its own listener (as dockerd).
import http from "node:http";
import net from "node:net";
import type { Registry } from "prom-client";

export interface MetricsListener {
  /** "host:port" actually bound (port 0 picks one). */
  address: string;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

export async function serveMetrics(addr: string, registry: Registry): Promise<MetricsListener> {
  const i = addr.lastIndexOf(":");
  if (i < 0) throw new Error(`invalid metrics-addr ${addr}: expected host:port`);
  const host = addr.slice(0, i).replace(/^\[|\]$/g, "") || "0.0.0.0";
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid metrics-addr ${addr}: bad port`);
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "Content-Type": registry.contentType }).end(text),
      (err) => res.writeHead(500, { "Content-Type": "text/plain" }).end(`${(err as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as net.AddressInfo;
  return {
    address: `${bound.family === "IPv6" ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
