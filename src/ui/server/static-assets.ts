import { promises as fs } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Headers on every page and asset: scripts only from this origin (a label
 * that smuggles markup can never run), never framed (clickjacking), no
 * Referer leaving the dashboard.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

interface Asset {
  file: string;
  type: string;
  gzipped?: Buffer;
}

/**
 * The built front end (`vite build`'s output), served read-only. Only files
 * found when the dashboard starts are served: a request names a key of that
 * table, never a path on disk.
 */
export class StaticAssets {
  private constructor(
    private readonly assets: Map<string, Asset>,
    readonly dir: string,
  ) {}

  static async load(dir: string): Promise<StaticAssets> {
    const assets = new Map<string, Asset>();
    const walk = async (d: string): Promise<void> => {
      for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) await walk(full);
        else if (e.isFile()) assets.set("/" + path.relative(dir, full).split(path.sep).join("/"), { file: full, type: TYPES[path.extname(e.name)] ?? "application/octet-stream" });
      }
    };
    await walk(dir);
    return new StaticAssets(assets, dir);
  }

  get built(): boolean {
    return this.assets.has("/index.html");
  }

  has(urlPath: string): boolean {
    return this.assets.has(urlPath === "/" ? "/index.html" : urlPath);
  }

  async serve(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    const key = urlPath === "/" ? "/index.html" : urlPath;
    const asset = this.assets.get(key);
    if (!asset) {
      res.writeHead(404, { "Content-Type": "application/json", ...SECURITY_HEADERS }).end(JSON.stringify({ message: `no such page: ${urlPath}` }));
      return;
    }
    // Vite puts a content hash in every name under /assets/: those never change.
    const cache = key.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    const headers: Record<string, string | number> = { "Content-Type": asset.type, "Cache-Control": cache, ...SECURITY_HEADERS };
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? "")) && /text|javascript|json|svg/.test(asset.type);
    let body: Buffer;
    if (gzip) {
      body = asset.gzipped ??= gzipSync(await fs.readFile(asset.file));
      headers["Content-Encoding"] = "gzip";
      headers["Vary"] = "Accept-Encoding";
    } else body = await fs.readFile(asset.file);
    headers["Content-Length"] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  }
}
