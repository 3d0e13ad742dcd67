// The log drivers wharf offers, their options, and dockerd's validation messages.
// Validation runs at container create (400) and on the daemon's default config.
import { InvalidArgumentError } from "../lib/errors.js";
import { parseGoDuration } from "../lib/filters.js";
import { fromHumanSize, ramInBytes } from "../lib/units.js";

export const LOG_DRIVERS = ["json-file", "local", "syslog", "journald", "fluentd", "gelf", "none"] as const;
export type LogDriverName = (typeof LOG_DRIVERS)[number];

/** Options every driver takes (dockerd's builtInLogOpts and the dual-logging cache). */
const BUILTIN = new Set(["mode", "max-buffer-size", "cache-disabled", "cache-max-size", "cache-max-file", "cache-compress"]);
const ATTRS = ["labels", "labels-regex", "env", "env-regex", "tag"];

const bad = (msg: string): never => {
  throw new InvalidArgumentError(msg);
};

function parseBool(v: string, what: string): boolean {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(v)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(v)) return false;
  return bad(`${what}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function parseInt10(v: string, what: string): number {
  if (!/^[+-]?\d+$/.test(v)) bad(`${what}: strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Rotation settings of a file the monitor writes. */
export interface FileRotation {
  /** Bytes before rotating; -1: never. */
  maxSize: number;
  maxFile: number;
  compress: boolean;
}

function jsonFileRotation(o: Record<string, string>): FileRotation {
  let maxSize = -1;
  if (o["max-size"] !== undefined) {
    const n = fromHumanSize(o["max-size"]);
    if (n === undefined) bad(`invalid size: '${o["max-size"]}'`);
    if (n! <= 0) bad("max-size must be a positive number");
    maxSize = n!;
  }
  let maxFile = 1;
  if (o["max-file"] !== undefined) {
    maxFile = parseInt10(o["max-file"], "max-file");
    if (maxFile < 1) bad("max-file cannot be less than 1");
  }
  const compress = o.compress !== undefined && parseBool(o.compress, "compress");
  if (compress && (maxFile === 1 || maxSize === -1)) bad("compress cannot be true when max-file is less than 2 or max-size is not set");
  return { maxSize, maxFile, compress };
}

/** The `local` driver's rotation (also the dual-logging cache's, with the cache- prefix). */
export function localRotation(o: Record<string, string>, prefix = ""): FileRotation {
  const r: FileRotation = { maxSize: 20 * 1024 * 1024, maxFile: 5, compress: true };
  const size = o[`${prefix}max-size`];
  if (size !== undefined) {
    const n = fromHumanSize(size);
    if (n === undefined) bad(`invalid value for max-size: ${size}: invalid size: '${size}'`);
    r.maxSize = n!;
  }
  if (o[`${prefix}max-file`] !== undefined) r.maxFile = parseInt10(o[`${prefix}max-file`], `invalid value for max-file: ${o[`${prefix}max-file`]}`);
  if (o[`${prefix}compress`] !== undefined) r.compress = parseBool(o[`${prefix}compress`], "invalid boolean value for compress");
  if (r.maxSize < 0) bad("max-size must not be negative");
  if (r.maxFile < 0) bad("max-file must not be negative");
  if (r.compress && r.maxFile <= 1) bad("compression cannot be enabled when max file count is 1");
  if (r.maxSize === 0) r.maxSize = -1;
  return r;
}

function checkKeys(o: Record<string, string>, allowed: string[], message: (k: string) => string): void {
  for (const k of Object.keys(o)) if (!BUILTIN.has(k) && !ATTRS.includes(k) && !allowed.includes(k)) bad(message(k));
}

function validateRegexes(o: Record<string, string>): void {
  for (const k of ["labels-regex", "env-regex"]) {
    if (!o[k]) continue;
    try {
      new RegExp(o[k]);
    } catch (err) {
      bad(`error parsing regexp: ${(err as Error).message}`);
    }
  }
}

export function parseSyslogAddress(address: string | undefined): { proto: string; address: string } | undefined {
  if (!address) return undefined;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return bad(`parse ${JSON.stringify(address)}: invalid URI for request`);
  }
  const proto = url.protocol.replace(/:$/, "");
  if (proto === "unix" || proto === "unixgram") return { proto, address: url.pathname };
  if (!["udp", "tcp", "tcp+tls"].includes(proto)) bad(`unsupported scheme: '${proto}'`);
  return { proto, address: url.port ? url.host : `${url.host}:514` };
}

export const SYSLOG_FACILITIES = [
  "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
  "", "", "", "", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
];

export function parseSyslogFacility(f: string | undefined): number {
  if (!f) return 3; // daemon
  const i = SYSLOG_FACILITIES.indexOf(f);
  if (f && i >= 0) return i;
  if (/^\d+$/.test(f) && Number(f) <= 23) return Number(f);
  return bad("invalid syslog facility");
}

function validateSyslog(o: Record<string, string>): void {
  checkKeys(o, ["syslog-address", "syslog-facility", "syslog-tls-ca-cert", "syslog-tls-cert", "syslog-tls-key", "syslog-tls-skip-verify", "syslog-format"],
    (k) => `unknown log opt '${k}' for syslog log driver`);
  parseSyslogAddress(o["syslog-address"]);
  parseSyslogFacility(o["syslog-facility"]);
  if (o["syslog-format"] && !["rfc3164", "rfc5424", "rfc5424micro"].includes(o["syslog-format"])) bad("Invalid syslog format");
}

export function parseFluentdAddress(a: string | undefined): { proto: "tcp" | "unix"; host: string; port: number; path: string } {
  if (!a) return { proto: "tcp", host: "127.0.0.1", port: 24224, path: "" };
  const fail = (why: string) => bad(`invalid fluentd-address (${a}): ${why}`);
  if (!a.includes("://")) a = `tcp://${a}`;
  let url: URL;
  try {
    url = new URL(a);
  } catch {
    return fail("invalid address");
  }
  const proto = url.protocol.replace(/:$/, "");
  if (proto === "unix") return { proto: "unix", host: "", port: 0, path: url.pathname };
  if (proto !== "tcp" && proto !== "tls") fail(`unsupported scheme: '${proto}'`);
  if (url.pathname && url.pathname !== "/") fail(`should not contain a path element`);
  return { proto: "tcp", host: url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", port: url.port ? Number(url.port) : 24224, path: "" };
}

function validateFluentd(o: Record<string, string>): void {
  checkKeys(o, ["fluentd-address", "fluentd-async", "fluentd-async-reconnect-interval", "fluentd-buffer-limit", "fluentd-max-retries",
    "fluentd-request-ack", "fluentd-retry-wait", "fluentd-sub-second-precision", "fluentd-write-timeout", "fluentd-read-timeout"],
  (k) => `unknown log opt '${k}' for fluentd log driver`);
  parseFluentdAddress(o["fluentd-address"]);
  if (o["fluentd-buffer-limit"] && ramInBytes(o["fluentd-buffer-limit"]) === undefined) bad(`invalid size: '${o["fluentd-buffer-limit"]}'`);
  for (const k of ["fluentd-retry-wait", "fluentd-async-reconnect-interval", "fluentd-write-timeout", "fluentd-read-timeout"]) {
    if (o[k] && parseGoDuration(o[k]) === undefined) bad(`invalid value for ${k}: time: invalid duration ${JSON.stringify(o[k])}`);
  }
  if (o["fluentd-max-retries"] && !/^\d+$/.test(o["fluentd-max-retries"])) bad(`strconv.ParseUint: parsing ${JSON.stringify(o["fluentd-max-retries"])}: invalid syntax`);
  for (const k of ["fluentd-async", "fluentd-request-ack", "fluentd-sub-second-precision"]) if (o[k]) parseBool(o[k], k);
}

export function parseGelfAddress(a: string | undefined): { proto: "udp" | "tcp"; host: string; port: number } {
  if (!a) return bad("gelf-address is a required parameter");
  let url: URL;
  try {
    url = new URL(a);
  } catch {
    return bad("gelf: please provide gelf-address as proto://host:port");
  }
  const proto = url.protocol.replace(/:$/, "");
  if (proto !== "udp" && proto !== "tcp") bad("gelf: endpoint needs to be TCP or UDP");
  if (!url.port) bad("gelf: please provide gelf-address as proto://host:port");
  return { proto: proto as "udp" | "tcp", host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port) };
}

function validateGelf(o: Record<string, string>): void {
  const addr = parseGelfAddress(o["gelf-address"]);
  for (const [k, v] of Object.entries(o)) {
    if (BUILTIN.has(k) || ATTRS.includes(k) || k === "gelf-address") continue;
    if (k === "gelf-compression-level" || k === "gelf-compression-type") {
      if (addr.proto !== "udp") bad("compression is only supported on UDP");
      const ok = k === "gelf-compression-type" ? ["gzip", "zlib", "none"].includes(v) : /^-?\d+$/.test(v) && Number(v) >= -1 && Number(v) <= 9;
      if (!ok) bad(`unknown value ${JSON.stringify(v)} for log opt ${JSON.stringify(k)} for gelf log driver`);
    } else if (k === "gelf-tcp-max-reconnect" || k === "gelf-tcp-reconnect-delay") {
      if (addr.proto !== "tcp") bad(`${JSON.stringify(k)} is only valid for TCP`);
      if (!/^\d+$/.test(v)) bad(`${JSON.stringify(k)} must be a positive integer`);
    } else bad(`unknown log opt ${JSON.stringify(k)} for gelf log driver`);
  }
}

const VALIDATORS: Record<LogDriverName, (o: Record<string, string>) => void> = {
  "json-file": (o) => {
    checkKeys(o, ["max-file", "max-size", "compress"], (k) => `unknown log opt '${k}' for json-file log driver`);
    jsonFileRotation(o);
  },
  local: (o) => {
    checkKeys(o, ["max-file", "max-size", "compress"], (k) => `unknown log opt '${k}' for log driver local`);
    localRotation(o);
  },
  syslog: validateSyslog,
  journald: (o) => checkKeys(o, [], (k) => `unknown log opt '${k}' for journald log driver`),
  fluentd: validateFluentd,
  gelf: validateGelf,
  none: () => undefined,
};

export function isLogDriver(name: string): name is LogDriverName {
  return (LOG_DRIVERS as readonly string[]).includes(name);
}

/** dockerd's ValidateLogOpts: mode, buffer, cache options, then the driver's own. */
export function validateLogConfig(driver: string, opts: Record<string, string>): void {
  if (driver === "none") return;
  const mode = opts.mode ?? "";
  if (!["", "blocking", "non-blocking"].includes(mode)) bad(`logger: logging mode not supported: ${mode}`);
  if (opts["max-buffer-size"] !== undefined) {
    if (mode !== "non-blocking") bad("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
    if (ramInBytes(opts["max-buffer-size"]) === undefined) bad(`error parsing option max-buffer-size: invalid size: '${opts["max-buffer-size"]}'`);
  }
  if (opts["cache-disabled"] !== undefined && !["1", "0", "t", "f", "true", "false", "TRUE", "FALSE", "True", "False", "T", "F"].includes(opts["cache-disabled"])) {
    bad(`invalid value for option cache-disabled: ${opts["cache-disabled"]}`);
  }
  if (!isLogDriver(driver)) bad(`logger: no log driver named '${driver}' is registered`);
  validateRegexes(opts);
  VALIDATORS[driver as LogDriverName](opts);
  if (isRemote(driver) && cacheEnabled(opts)) localRotation(opts, "cache-");
}

export function isRemote(driver: string): boolean {
  return driver === "syslog" || driver === "journald" || driver === "fluentd" || driver === "gelf";
}

export function cacheEnabled(opts: Record<string, string>): boolean {
  const v = opts["cache-disabled"];
  return v === undefined || v === "" || !["1", "t", "T", "true", "TRUE", "True"].includes(v);
}

/** How a container's output is written by its monitor and where it goes from there. */
export interface LogPlan {
  driver: LogDriverName;
  /** The file the monitor writes: the log itself (json-file, local) or the remote driver's spool/cache. */
  file?: { format: "json" | "local"; name: string; rotation: FileRotation };
  /** `docker logs` can read `file`. */
  readable: boolean;
  /** A daemon-side forwarder delivers `file` to a remote receiver. */
  remote: boolean;
  blocking: boolean;
  /** Non-blocking: undelivered output kept before the oldest is dropped. */
  maxBufferSize: number;
}

/** The container's log plan from its (validated) LogConfig. */
export function planLogs(id: string, driver: LogDriverName, opts: Record<string, string>): LogPlan {
  const blocking = (opts.mode ?? "blocking") !== "non-blocking";
  const maxBufferSize = opts["max-buffer-size"] ? ramInBytes(opts["max-buffer-size"])! : 1_000_000;
  const base = { driver, blocking, maxBufferSize };
  switch (driver) {
    case "none":
      return { ...base, readable: false, remote: false };
    case "json-file":
      return { ...base, file: { format: "json", name: `${id}-json.log`, rotation: jsonFileRotation(opts) }, readable: true, remote: false };
    case "local":
      return { ...base, file: { format: "local", name: "local-logs/container.log", rotation: localRotation(opts) }, readable: true, remote: false };
    default: {
      // The spool is dockerd's dual-logging cache; with the cache disabled it stays, small and unreadable,
      // so that output written while the daemon is down is still delivered.
      const cached = cacheEnabled(opts);
      const rotation = cached ? localRotation(opts, "cache-") : { maxSize: Math.max(1 << 20, maxBufferSize), maxFile: 2, compress: false };
      return { ...base, file: { format: "local", name: "container-cached.log", rotation }, readable: cached, remote: true };
    }
  }
}
