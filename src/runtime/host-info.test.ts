import assert from "node:assert/strict";
import { readFile, statfs } from "node:fs/promises";
import { release } from "node:os";
import { describe, it } from "node:test";
import { capsFromMask, detectHostInfo, parseProcLimits } from "./host-info.js";

describe("host info", () => {
  it("detects this host and caches the answer", async () => {
    const info = await detectHostInfo();
    assert.equal(await detectHostInfo(), info);
    const v2 = (await statfs("/sys/fs/cgroup")).type === 0x63677270;
    assert.equal(info.cgroupVersion, v2 ? 2 : 1);
    if (v2) assert.equal(info.cgroupHybrid, false);
    const limits = await readFile("/proc/self/limits", "utf8");
    const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(limits)![1]!;
    if (hard !== "unlimited") assert.equal(info.nofileHardLimit, Number(hard));
    assert.ok(info.ncpu >= 1);
    assert.ok(info.memTotal > 0);
    assert.equal(info.kernelVersion, release());
    assert.ok(info.boundingCaps!.includes("CAP_CHOWN"));
  });

  it("parses /proc/self/limits", () => {
    const text = [
      "Limit                     Soft Limit           Hard Limit           Units     ",
      "Max core file size        0                    unlimited            bytes     ",
      "Max open files            1024                 20000                files     ",
      "Max processes             62811                62811                processes ",
    ].join("\n");
    assert.deepEqual(parseProcLimits(text), { RLIMIT_CORE: null, RLIMIT_NOFILE: 20000, RLIMIT_NPROC: 62811 });
  });

  it("decodes capability masks", () => {
    assert.deepEqual(capsFromMask("3"), ["CAP_CHOWN", "CAP_DAC_OVERRIDE"]);
    assert.ok(!capsFromMask("000001fffeffffff").includes("CAP_SYS_RESOURCE"));
    assert.ok(capsFromMask("000001fffeffffff").includes("CAP_CHECKPOINT_RESTORE"));
  });
});
