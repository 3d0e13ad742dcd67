export function bytes(n: number | undefined | null): string {
  if (n === undefined || n === null || n < 0 || !Number.isFinite(n)) return "–";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(2) : v < 100 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** "3 minutes ago" from seconds (or an ISO date). */
export function ago(t: number | string | undefined): string {
  if (t === undefined || t === "" || t === "0001-01-01T00:00:00Z") return "–";
  const ms = typeof t === "number" ? t * 1000 : Date.parse(t);
  if (!Number.isFinite(ms)) return "–";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function date(t: number | string | undefined): string {
  if (t === undefined) return "–";
  const d = typeof t === "number" ? new Date(t * 1000) : new Date(t);
  return Number.isFinite(d.getTime()) && d.getFullYear() > 1 ? d.toLocaleString() : "–";
}

export function pct(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? "–" : `${n.toFixed(n < 10 ? 1 : 0)} %`;
}

export function containerName(names: string[] | undefined): string {
  return (names?.[0] ?? "").replace(/^\//, "");
}
