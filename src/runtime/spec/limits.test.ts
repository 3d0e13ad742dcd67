import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRlimits, validateSysctls } from "./limits.js";
import { parseSecurityOpts } from "./security-opts.js";
import { TEST_HOST } from "./testing.js";

describe("rlimits", () => {
  it("clamps RLIMIT_NOFILE to the host's hard limit", () => {
    assert.deepEqual(buildRlimits([{ Name: "nofile", Soft: 1048576, Hard: 1048576 }], TEST_HOST), [
      { type: "RLIMIT_NOFILE", soft: 20000, hard: 20000 },
    ]);
    assert.deepEqual(buildRlimits([{ Name: "nofile", Soft: 1024, Hard: 65536 }], TEST_HOST), [
      { type: "RLIMIT_NOFILE", soft: 1024, hard: 20000 },
    ]);
    assert.deepEqual(buildRlimits([{ Name: "nofile", Soft: -1, Hard: -1 }], TEST_HOST), [
      { type: "RLIMIT_NOFILE", soft: 20000, hard: 20000 },
    ]);
  });

  it("clamps other limits when the host's are known, leaves unlimited ones out", () => {
    const host = { ...TEST_HOST, rlimitHard: { RLIMIT_NPROC: 4000, RLIMIT_CORE: null } };
    assert.deepEqual(
      buildRlimits(
        [
          { Name: "nproc", Soft: 9000, Hard: 9000 },
          { Name: "core", Soft: -1, Hard: -1 },
          { Name: "memlock", Soft: 64, Hard: 128 },
        ],
        host,
      ),
      [
        { type: "RLIMIT_NPROC", soft: 4000, hard: 4000 },
        { type: "RLIMIT_MEMLOCK", soft: 64, hard: 128 },
      ],
    );
  });

  it("rejects unknown names and soft > hard", () => {
    assert.throws(() => buildRlimits([{ Name: "bogus", Soft: 1, Hard: 1 }], TEST_HOST), /invalid ulimit type: bogus/);
    assert.throws(() => buildRlimits([{ Name: "nproc", Soft: 10, Hard: 5 }], TEST_HOST), /soft limit must be less than or equal to hard limit/);
  });
});

describe("sysctls", () => {
  const own = { hostNetwork: false, hostIpc: false, hostUts: false };
  it("accepts namespaced sysctls", () => {
    validateSysctls({ "net.ipv4.ip_forward": "1", "kernel.shmmax": "1", "fs.mqueue.msg_max": "10" }, own);
  });
  it("rejects host-wide ones and ones in shared host namespaces", () => {
    assert.throws(() => validateSysctls({ "kernel.panic": "1" }, own), /not in a separate kernel namespace/);
    assert.throws(() => validateSysctls({ "vm.swappiness": "1" }, own), /not in a separate kernel namespace/);
    assert.throws(() => validateSysctls({ "net.core.somaxconn": "1" }, { ...own, hostNetwork: true }), /host network namespace/);
    assert.throws(() => validateSysctls({ "kernel.msgmax": "1" }, { ...own, hostIpc: true }), /host IPC namespace/);
  });
});

describe("security options", () => {
  it("parses Docker's spellings", () => {
    assert.equal(parseSecurityOpts(["no-new-privileges"]).noNewPrivileges, true);
    assert.equal(parseSecurityOpts(["no-new-privileges:true"]).noNewPrivileges, true);
    assert.equal(parseSecurityOpts(["no-new-privileges=false"]).noNewPrivileges, false);
    assert.equal(parseSecurityOpts(["seccomp=unconfined"]).seccomp, "unconfined");
    assert.equal(parseSecurityOpts(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']).seccomp, '{"defaultAction":"SCMP_ACT_ALLOW"}');
    assert.equal(parseSecurityOpts(["label=disable", "apparmor=unconfined"]).apparmor, "unconfined");
    assert.equal(parseSecurityOpts([]).seccomp, "default");
  });
  it("rejects malformed ones", () => {
    assert.throws(() => parseSecurityOpts(["bogus"]), /invalid --security-opt 1: "bogus"/);
    assert.throws(() => parseSecurityOpts(["bogus=1"]), /invalid --security-opt 2: "bogus=1"/);
    assert.throws(() => parseSecurityOpts(["no-new-privileges=maybe"]), /invalid --security-opt 2/);
  });
});
