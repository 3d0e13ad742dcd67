/**
 * Docker-format seccomp profiles (defaultAction, archMap, syscalls with
 * includes/excludes conditions) turned into the OCI `linux.seccomp` section
 * for one container: only the rules whose conditions hold for this machine's
 * architecture, the host kernel and the container's capabilities are kept.
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "../../lib/errors.js";
import { specDataPath } from "./spec-data.js";
import type { OciSeccomp, OciSeccompArg, OciSyscall } from "./types.js";

interface ProfileFilter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

interface ProfileSyscall {
  name?: string;
  names?: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[] | null;
  comment?: string;
  includes?: ProfileFilter;
  excludes?: ProfileFilter;
}

/** Docker's profile format (a superset of OCI's: it may carry `architectures` directly instead of `archMap`). */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures?: string[] }[] | null;
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: ProfileSyscall[] | null;
}

/** The platform a profile is evaluated for. */
export interface SeccompTarget {
  /** Go-style arch name as used in profile includes/excludes ("amd64", "arm64"). */
  arch: string;
  /** libseccomp name of the native arch ("SCMP_ARCH_X86_64"). */
  seccompArch: string;
  /** Host kernel release ("6.1.0-18-amd64"). */
  kernelVersion: string;
  /** The container's (bounding) capabilities. */
  caps: readonly string[];
}

/** Node's process.arch → [Go arch, libseccomp arch]. */
const ARCHES: Record<string, [string, string]> = {
  x64: ["amd64", "SCMP_ARCH_X86_64"],
  ia32: ["386", "SCMP_ARCH_X86"],
  arm64: ["arm64", "SCMP_ARCH_AARCH64"],
  arm: ["arm", "SCMP_ARCH_ARM"],
  ppc64: ["ppc64le", "SCMP_ARCH_PPC64LE"],
  s390x: ["s390x", "SCMP_ARCH_S390X"],
  riscv64: ["riscv64", "SCMP_ARCH_RISCV64"],
  loong64: ["loong64", "SCMP_ARCH_LOONGARCH64"],
};

/** The running machine's arch names. */
export function nativeArch(nodeArch: string = process.arch): { arch: string; seccompArch: string } {
  const a = ARCHES[nodeArch];
  if (!a) throw new Error(`seccomp: unsupported architecture ${nodeArch}`);
  return { arch: a[0], seccompArch: a[1] };
}

let defaultProfile: SeccompProfile | undefined;

/** Docker's default profile, read and parsed once per process. */
export function loadDefaultProfile(): SeccompProfile {
  defaultProfile ??= JSON.parse(readFileSync(specDataPath("seccomp-default.json"), "utf8")) as SeccompProfile;
  return defaultProfile;
}

/** Parses a profile given inline (`--security-opt seccomp=<json>`). */
export function parseProfile(json: string): SeccompProfile {
  let p: unknown;
  try {
    p = JSON.parse(json);
  } catch (err) {
    throw new InvalidArgumentError(`Decoding seccomp profile failed: ${(err as Error).message}`, { cause: err });
  }
  if (typeof p !== "object" || p === null || typeof (p as SeccompProfile).defaultAction !== "string") {
    throw new InvalidArgumentError("Decoding seccomp profile failed: defaultAction is required");
  }
  return p as SeccompProfile;
}

/** Numeric [major, minor, patch] of a kernel release, ignoring suffixes. */
export function kernelTuple(release: string): [number, number, number] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(release.trim());
  if (!m) return [0, 0, 0];
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function kernelAtLeast(host: string, min: string): boolean {
  const h = kernelTuple(host);
  const w = kernelTuple(min);
  for (let i = 0; i < 3; i++) if (h[i]! !== w[i]!) return h[i]! > w[i]!;
  return true;
}

/** Whether a rule's includes/excludes conditions hold for the target. */
function ruleApplies(rule: ProfileSyscall, t: SeccompTarget): boolean {
  const inc = rule.includes ?? {};
  const exc = rule.excludes ?? {};
  if (exc.arches?.includes(t.arch)) return false;
  if (exc.caps?.some((c) => t.caps.includes(c))) return false;
  if (exc.minKernel && kernelAtLeast(t.kernelVersion, exc.minKernel)) return false;
  if (inc.arches && inc.arches.length > 0 && !inc.arches.includes(t.arch)) return false;
  if (inc.caps && !inc.caps.every((c) => t.caps.includes(c))) return false;
  if (inc.minKernel && !kernelAtLeast(t.kernelVersion, inc.minKernel)) return false;
  return true;
}

/**
 * Converts a Docker-format profile to OCI form for the target.
 * @throws InvalidArgumentError for contradictory profiles.
 */
export function convertProfile(profile: SeccompProfile, t: SeccompTarget): OciSeccomp {
  const archMap = profile.archMap ?? [];
  if (archMap.length > 0 && profile.architectures && profile.architectures.length > 0) {
    throw new InvalidArgumentError("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  const out: OciSeccomp = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  if (archMap.length > 0) {
    const native = archMap.find((a) => a.architecture === t.seccompArch);
    if (native) out.architectures = [native.architecture, ...(native.subArchitectures ?? [])];
  } else if (profile.architectures && profile.architectures.length > 0) {
    out.architectures = [...profile.architectures];
  }
  if (profile.flags && profile.flags.length > 0) out.flags = [...profile.flags];
  if (profile.listenerPath) out.listenerPath = profile.listenerPath;
  if (profile.listenerMetadata) out.listenerMetadata = profile.listenerMetadata;

  const syscalls: OciSyscall[] = [];
  for (const rule of profile.syscalls ?? []) {
    if (rule.name && rule.names && rule.names.length > 0) {
      throw new InvalidArgumentError("use either 'name' or 'names' in a seccomp profile syscall rule, not both");
    }
    if (!ruleApplies(rule, t)) continue;
    const names = rule.names && rule.names.length > 0 ? rule.names : rule.name ? [rule.name] : [];
    if (names.length === 0) continue;
    const sc: OciSyscall = { names: [...names], action: rule.action };
    if (rule.errnoRet !== undefined) sc.errnoRet = rule.errnoRet;
    if (rule.args && rule.args.length > 0) {
      sc.args = rule.args.map((a) => {
        const arg: OciSeccompArg = { index: a.index, value: a.value, op: a.op };
        if (a.valueTwo) arg.valueTwo = a.valueTwo;
        return arg;
      });
    }
    syscalls.push(sc);
  }
  out.syscalls = syscalls;
  return out;
}
