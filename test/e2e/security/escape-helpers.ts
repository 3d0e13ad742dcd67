import assert from "node:assert/strict";
import http from "node:http";
import { buildTar, type TarSpec } from "../../../src/snapshot/test-tar.js";
import type { Canary } from "../../helpers/canary.js";

export { buildTar, type TarSpec };

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An Engine API request with a binary body and a binary answer (tars). */
export function apiRaw(socketPath: string, method: string, urlPath: string, body?: Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: urlPath, headers: { ...(body ? { "Content-Type": "application/x-tar", "Content-Length": body.length } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

/** The message of an error answer, for assertions; "" when the body is not Docker's {"message"}. */
export function messageOf(r: RawResponse): string {
  try {
    return String(JSON.parse(r.body.toString("utf8")).message ?? "");
  } catch {
    return "";
  }
}

/**
 * Symlinks a hostile container plants, all leading to the canary's host
 * path: absolute, relative with more ".." than the depth, and a chain
 * mixing both. The canary path does not exist inside the container, which is
 * the case that escaped before.
 */
export const LINKS = ["/abs", "/deep/a/b/rel", "/chain1"] as const;

export function plantLinksScript(c: Canary): string {
  return [
    `ln -s ${c.dir} /abs`,
    "mkdir -p /deep/a/b",
    `ln -s ../../../../../../../../..${c.dir} /deep/a/b/rel`,
    "ln -s /deep/a/b/rel /chain2",
    "ln -s chain2 /chain1",
  ].join(" && ");
}

/**
 * A bounded loop inside the container that keeps swapping `dir` between a
 * real directory and a symlink to the canary (the check-then-use race).
 */
export function swapLoopScript(c: Canary, dir: string, rounds = 20000): string {
  return `mkdir -p ${dir}; i=0; while [ $i -lt ${rounds} ]; do rm -rf ${dir}/d; ln -s ${c.dir} ${dir}/d; rm -f ${dir}/d; mkdir ${dir}/d; i=$((i+1)); done`;
}

/** A tar with `n` small files under `prefix` (many entries widen a race window). */
export function manyFiles(prefix: string, n: number, body = "w\n"): Buffer {
  const entries: TarSpec[] = [];
  for (let i = 0; i < n; i++) entries.push({ path: `${prefix}f${i}`, body });
  return buildTar(entries);
}

/** A bounded answer: success, or Docker's {"message"} (or a JSON stream ending in errorDetail), never a JS error's words. */
export function outcomeOf(r: RawResponse, what: string): "ok" | "error" {
  const body = r.body.toString("utf8");
  assert.doesNotMatch(body, /TypeError|RangeError|ReferenceError|SyntaxError|Cannot read propert|is not a function|\n\s+at /, `${what}: a JavaScript error leaked: ${body.slice(0, 300)}`);
  if (r.status >= 400) {
    assert.ok(r.status < 600, what);
    assert.ok(String(JSON.parse(body).message ?? "") !== "", `${what}: ${r.status} without a message`);
    return "error";
  }
  const lines = body.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l) as { errorDetail?: { message?: string } });
  const failed = lines.find((l) => l.errorDetail);
  if (failed) assert.ok(failed.errorDetail!.message, `${what}: errorDetail without a message`);
  return failed ? "error" : "ok";
}
