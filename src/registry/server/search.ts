import { sendJson, type Exchange } from "./exchange.js";

/** One hit in the v1 index search answer (the shape Docker Hub's index and dockerd use). */
export interface V1SearchResult {
  name: string;
  description: string;
  star_count: number;
  is_official: boolean;
  is_automated: boolean;
}

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/**
 * `GET /v1/_ping`: dockerd pings the v1 root before a search (https first,
 * then http for insecure registries). "Standalone" tells it to send the
 * caller's credentials with the search.
 */
export function v1Ping(x: Exchange): void {
  sendJson(x, 200, {}, { "X-Docker-Registry-Standalone": "true" });
}

/**
 * `GET /v1/search?q=&n=&page=`: the legacy index search that `docker search
 * HOST:PORT/TERM` queries, answered from this registry's catalog. A
 * repository matches when its name contains the term (case-insensitive);
 * an empty term matches everything. The catalog has no descriptions or
 * stars, so those are empty and zero.
 */
export async function v1Search(x: Exchange): Promise<void> {
  const q = (x.url.searchParams.get("q") ?? "").trim().toLowerCase();
  const n = clamp(Number(x.url.searchParams.get("n") || DEFAULT_PAGE_SIZE), 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const page = clamp(Number(x.url.searchParams.get("page") || 1), 1, Number.MAX_SAFE_INTEGER, 1);
  const matches = (await x.storage.repositories()).filter((r) => r.includes(q));
  const results: V1SearchResult[] = matches
    .slice((page - 1) * n, page * n)
    .map((name) => ({ name, description: "", star_count: 0, is_official: false, is_automated: false }));
  sendJson(x, 200, {
    query: x.url.searchParams.get("q") ?? "",
    num_results: matches.length,
    num_pages: Math.max(1, Math.ceil(matches.length / n)),
    page,
    page_size: n,
    results,
  });
}

function clamp(v: number, min: number, max: number, dflt: number): number {
  if (!Number.isFinite(v)) return dflt;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}
