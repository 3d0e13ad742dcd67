// The dashboard's listener (issue 16): off unless an address is given.
import { InvalidArgumentError } from "../../lib/errors.js";
import type { ConfigKey } from "./key.js";
import { str } from "./kinds.js";

/** `HOST:PORT` (IPv6 in brackets); port 0 lets the kernel pick one (the daemon logs which). */
export function parseUiAddr(addr: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(addr.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new InvalidArgumentError(`invalid ui-addr "${addr}": expected HOST:PORT, e.g. 127.0.0.1:9900`);
  return { host: m[1].replace(/^\[|\]$/g, ""), port };
}

export const uiKeys: ConfigKey[] = [
  { name: "ui-addr", flags: ["--ui-addr"], kind: str, field: "uiAddr", validate: (a: string) => void (a === "" || parseUiAddr(a)) },
];
