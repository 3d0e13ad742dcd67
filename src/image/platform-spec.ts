import { InvalidArgumentError } from "../lib/errors.js";

/**
 * containerd's platform specifier rules (what dockerd uses for `--platform`):
 * "os", "arch", "os/arch" or "os/arch/variant", each component
 * [A-Za-z0-9_-]+, normalised (lower case, x86_64 → amd64, aarch64 → arm64,
 * macos → darwin). A single component must be a known OS or architecture.
 * Only the parse: whether wharf can run the OS is the caller's check.
 */
export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

const COMPONENT = /^[A-Za-z0-9_-]+$/;
const KNOWN_OS = new Set(["aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"]);
const KNOWN_ARCH = new Set(["386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"]);

function normalizeOS(os: string): string {
  const l = os.toLowerCase();
  return l === "macos" ? "darwin" : l;
}

function normalizeArch(arch: string, variant = ""): { architecture: string; variant?: string } {
  let a = arch.toLowerCase();
  let v = variant.toLowerCase();
  if (a === "i386") a = "386";
  else if (a === "x86_64" || a === "x86-64") a = "amd64";
  else if (a === "aarch64") a = "arm64";
  else if (a === "armhf") (a = "arm"), (v = "v7");
  else if (a === "armel") (a = "arm"), (v = "v6");
  if (a === "amd64" && v === "v1") v = "";
  if (a === "arm64" && v === "v8") v = "";
  if (a === "arm" && (v === "" || v === "7")) v = v === "" ? "v7" : "v7";
  return v ? { architecture: a, variant: v } : { architecture: a };
}

export function parsePlatformSpec(specifier: string, host: { os: string; architecture: string }): PlatformSpec {
  const parts = specifier.split("/");
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      throw new InvalidArgumentError(`"${part}" is an invalid component of "${specifier}": platform specifier component must match "${COMPONENT.source}": invalid argument`);
    }
  }
  if (parts.length === 1) {
    const os = normalizeOS(parts[0]);
    if (KNOWN_OS.has(os)) return { os, architecture: host.architecture };
    const arch = normalizeArch(parts[0]);
    if (KNOWN_ARCH.has(arch.architecture)) return { os: host.os, ...arch };
    throw new InvalidArgumentError(`"${specifier}": unknown operating system or architecture: invalid argument`);
  }
  if (parts.length === 2) return { os: normalizeOS(parts[0]), ...normalizeArch(parts[1]) };
  if (parts.length === 3) return { os: normalizeOS(parts[0]), ...normalizeArch(parts[1], parts[2]) };
  throw new InvalidArgumentError(`"${specifier}": cannot parse platform specifier: invalid argument`);
}
