import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_CAPABILITIES } from "./capabilities.js";
import { convertProfile, kernelTuple, loadDefaultProfile, parseProfile, type SeccompTarget } from "./seccomp.js";
import type { OciSeccomp } from "./types.js";

const amd64: SeccompTarget = { arch: "amd64", seccompArch: "SCMP_ARCH_X86_64", kernelVersion: "6.1.0-18-amd64", caps: DEFAULT_CAPABILITIES };

/** Every rule allowing a syscall unconditionally (no argument filter). */
function plainAllowed(s: OciSeccomp, name: string): boolean {
  return (s.syscalls ?? []).some((r) => r.action === "SCMP_ACT_ALLOW" && !r.args && r.names.includes(name));
}

describe("seccomp conversion", () => {
  it("loads the default profile once", () => {
    assert.equal(loadDefaultProfile(), loadDefaultProfile());
  });

  it("keeps the default action and the native arch with its sub-arches", () => {
    const s = convertProfile(loadDefaultProfile(), amd64);
    assert.equal(s.defaultAction, "SCMP_ACT_ERRNO");
    assert.equal(s.defaultErrnoRet, 1);
    assert.deepEqual(s.architectures, ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
    assert.ok(plainAllowed(s, "read") && plainAllowed(s, "arch_prctl"));
    // Other architectures' rules are dropped.
    assert.ok(!plainAllowed(s, "s390_runtime_instr") && !plainAllowed(s, "arm_fadvise64_64"));
  });

  it("allows mount/umount2 only with CAP_SYS_ADMIN", () => {
    const plain = convertProfile(loadDefaultProfile(), amd64);
    assert.ok(!plainAllowed(plain, "mount") && !plainAllowed(plain, "umount2") && !plainAllowed(plain, "unshare"));
    // Without SYS_ADMIN, clone is filtered by flags and clone3 gets ENOSYS so libc falls back to clone.
    assert.ok(plain.syscalls!.some((r) => r.names.includes("clone") && r.args?.[0]?.op === "SCMP_CMP_MASKED_EQ"));
    assert.ok(plain.syscalls!.some((r) => r.names.includes("clone3") && r.action === "SCMP_ACT_ERRNO" && r.errnoRet === 38));

    const admin = convertProfile(loadDefaultProfile(), { ...amd64, caps: [...DEFAULT_CAPABILITIES, "CAP_SYS_ADMIN"] });
    assert.ok(plainAllowed(admin, "mount") && plainAllowed(admin, "umount2") && plainAllowed(admin, "clone3"));
    assert.ok(!admin.syscalls!.some((r) => r.names.includes("clone3") && r.action === "SCMP_ACT_ERRNO"));
  });

  it("honours minKernel against the host kernel", () => {
    assert.ok(plainAllowed(convertProfile(loadDefaultProfile(), amd64), "ptrace"));
    assert.ok(!plainAllowed(convertProfile(loadDefaultProfile(), { ...amd64, kernelVersion: "4.4.0" }), "ptrace"));
    assert.deepEqual(kernelTuple("6.18.44-fc-v657"), [6, 18, 44]);
    assert.deepEqual(kernelTuple("4.8"), [4, 8, 0]);
  });

  it("converts custom profiles, with architectures instead of archMap", () => {
    const p = parseProfile(
      JSON.stringify({
        defaultAction: "SCMP_ACT_ALLOW",
        architectures: ["SCMP_ARCH_X86_64"],
        syscalls: [
          { names: ["chmod"], action: "SCMP_ACT_ERRNO", errnoRet: 1 },
          { name: "fchmod", action: "SCMP_ACT_ERRNO" },
          { names: ["ptrace"], action: "SCMP_ACT_ERRNO", excludes: { caps: ["CAP_SYS_PTRACE"] } },
        ],
      }),
    );
    const s = convertProfile(p, amd64);
    assert.deepEqual(s, {
      defaultAction: "SCMP_ACT_ALLOW",
      architectures: ["SCMP_ARCH_X86_64"],
      syscalls: [
        { names: ["chmod"], action: "SCMP_ACT_ERRNO", errnoRet: 1 },
        { names: ["fchmod"], action: "SCMP_ACT_ERRNO" },
        { names: ["ptrace"], action: "SCMP_ACT_ERRNO" },
      ],
    });
    const traced = convertProfile(p, { ...amd64, caps: ["CAP_SYS_PTRACE"] });
    assert.equal(traced.syscalls!.length, 2);
  });

  it("rejects malformed profiles", () => {
    assert.throws(() => parseProfile("{not json"), /Decoding seccomp profile failed/);
    assert.throws(() => parseProfile("{}"), /defaultAction is required/);
    const both = parseProfile(JSON.stringify({ defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"], archMap: [{ architecture: "SCMP_ARCH_X86_64" }] }));
    assert.throws(() => convertProfile(both, amd64), /both 'architectures' and 'archMap'/);
  });
});
