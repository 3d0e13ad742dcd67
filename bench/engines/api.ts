// A raw Engine API request over a unix socket (feature probes, fast lifecycles).
import http from "node:http";

export interface ApiAnswer {
  status: number;
  body: string;
}

export function apiRequest(socketPath: string, method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { socketPath, method, path, timeout: timeoutMs, headers: payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}
