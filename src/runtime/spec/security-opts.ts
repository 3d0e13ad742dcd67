/**
 * Parses Docker's HostConfig.SecurityOpt entries ("no-new-privileges",
 * "seccomp=unconfined", "seccomp=<profile json>", "label=...", "apparmor=...").
 */
import { InvalidArgumentError } from "../../lib/errors.js";

export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** "default", "unconfined", or a profile's JSON text. */
  seccomp: string;
  writableCgroups: boolean;
  /** Accepted and recorded; wharf applies no LSM profiles. */
  apparmor?: string;
  labels: string[];
}

/** Go's strconv.ParseBool spellings, which Docker accepts. */
function parseBool(v: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return undefined;
}

/**
 * @throws InvalidArgumentError with Docker's wording for malformed or unknown options.
 */
export function parseSecurityOpts(opts: readonly string[] = []): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, seccomp: "default", writableCgroups: false, labels: [] };
  for (const opt of opts) {
    if (opt === "no-new-privileges") {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === "disable") {
      out.labels.push("disable");
      continue;
    }
    // "key=value"; the older "key:value" form is still accepted.
    let sep = opt.indexOf("=");
    if (sep < 0) sep = opt.indexOf(":");
    if (sep < 0) throw new InvalidArgumentError(`invalid --security-opt 1: ${JSON.stringify(opt)}`);
    const key = opt.slice(0, sep);
    const value = opt.slice(sep + 1);
    switch (key) {
      case "label":
        out.labels.push(value);
        break;
      case "apparmor":
        out.apparmor = value;
        break;
      case "seccomp":
        out.seccomp = value === "" ? "default" : value;
        break;
      case "no-new-privileges":
      case "writable-cgroups": {
        const b = parseBool(value);
        if (b === undefined) throw new InvalidArgumentError(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
        if (key === "no-new-privileges") out.noNewPrivileges = b;
        else out.writableCgroups = b;
        break;
      }
      default:
        throw new InvalidArgumentError(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
    }
  }
  return out;
}
