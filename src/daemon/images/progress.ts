/** One line of docker's JSON progress stream (pull, push, load). */
export type ProgressMessage = Record<string, unknown>;
export type ProgressFn = (msg: ProgressMessage) => void;

/** "abcdef012345" from "sha256:abcdef0123456789…": the layer id docker shows. */
export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}

/** A status line for one layer with empty progressDetail (Pulling fs layer, Pull complete, Pushed…). */
export function layerStatus(id: string, status: string): ProgressMessage {
  return { status, progressDetail: {}, id };
}

/** A byte-progress line; `progress` is the bar docker's jsonmessage would draw. */
export function layerProgress(id: string, status: string, current: number, total: number): ProgressMessage {
  return { status, progressDetail: { current, total }, progress: progressBar(current, total), id };
}

export function progressBar(current: number, total: number): string {
  const width = 50;
  const filled = total > 0 ? Math.min(width, Math.floor((current / total) * width)) : 0;
  const bar = filled === 0 ? " ".repeat(width) : "=".repeat(filled - 1) + ">" + " ".repeat(width - filled);
  return `[${bar}] ${humanBytes(current)}/${humanBytes(total)}`;
}

function humanBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 3 : v < 100 ? 2 : 1).replace(/\.?0+$/, "")}${units[i]}`;
}

/** Calls `fn` at most every `ms` milliseconds (and always for the final value). */
export function throttle(ms: number, fn: (current: number) => void): (current: number, final?: boolean) => void {
  let last = 0;
  return (current, final = false) => {
    const now = Date.now();
    if (!final && now - last < ms) return;
    last = now;
    fn(current);
  };
}
