/**
 * Small text helpers matching the Go functions docker's formatters use:
 * strconv.Quote, stringid.TruncateID, formatter.Ellipsis, time.Time.String.
 */

export { goQuote } from "../../../lib/go-quote.js";

/** Strip an algorithm prefix and keep 12 characters (docker's short ID). */
export function truncateId(id: string): string {
  const colon = id.indexOf(":");
  const hex = colon >= 0 ? id.slice(colon + 1) : id;
  return hex.length > 12 ? hex.slice(0, 12) : hex;
}

/** Cut to `max` characters, the last being "…" (ASCII-width approximation of docker's Ellipsis). */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return "";
  const chars = Array.from(s);
  if (max === 1) return chars[0] ?? "";
  if (chars.length <= max) return s;
  return chars.slice(0, max - 1).join("") + "…";
}

/** Go's time.Time.String() for a whole-second unix time in the local zone: "2006-01-02 15:04:05 -0700 MST". */
export function goTimeString(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  const offMin = -d.getTimezoneOffset();
  const sign = offMin >= 0 ? "+" : "-";
  const off = `${sign}${p(Math.floor(Math.abs(offMin) / 60))}${p(Math.abs(offMin) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${off} ${zoneName(d, offMin)}`;
}

function zoneName(d: Date, offMin: number): string {
  if (offMin === 0 && (process.env.TZ ?? "UTC").match(/^(UTC|Etc\/UTC|UTC0|)$/)) return "UTC";
  const part = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d).find((x) => x.type === "timeZoneName");
  return part?.value ?? "UTC";
}

/** go-units HumanSizeWithPrecision (one implementation: Go's %g rounding, ties to even). */
export { humanSizeWithPrecision } from "../../format/human.js";
