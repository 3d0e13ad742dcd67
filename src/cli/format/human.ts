/**
 * docker/go-units wording for durations and sizes, as printed by docker's
 * CREATED / STATUS / SIZE columns. Sizes use Go's %g rounding (ties to even).
 */
import { formatFloat } from "../../lib/template/fmt-float.js";

/** go-units HumanDuration ("Less than a second", "About a minute", "3 weeks", ...). */
export { humanDuration } from "../../lib/human-duration.js";
import { humanDuration } from "../../lib/human-duration.js";

const DECIMAL_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

function scale(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]!];
}

/** go-units HumanSizeWithPrecision(size, precision): "0B", "1.23kB", "4.26MB". */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [n, unit] = scale(bytes, 1000, DECIMAL_UNITS);
  return formatFloat(n, "g", precision) + unit;
}

/** docker's CLI size columns: HumanSizeWithPrecision(size, 3). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 3);
}

/** go-units BytesSize: binary units with %.4g ("1KiB", "1.5MiB"). */
export function bytesSize(bytes: number): string {
  const [n, unit] = scale(bytes, 1024, BINARY_UNITS);
  return formatFloat(n, "g", 4) + unit;
}

/** "3 minutes ago" for a timestamp (Date, ms since epoch, or ISO string). */
export function timeAgo(date: Date | number | string, now: number = Date.now()): string {
  const t = date instanceof Date ? date.getTime() : typeof date === "number" ? date : Date.parse(date);
  return `${humanDuration(now - t)} ago`;
}
