/** API versions: what we advertise, and comparisons used by routers for version gating. */
export const API_VERSION = "1.50";
export const MIN_API_VERSION = "1.24";

export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function versionLessThan(v: string, than: string): boolean {
  return compareVersions(v, than) < 0;
}
