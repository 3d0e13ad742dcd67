import assert from "node:assert/strict";
import { test } from "node:test";
import type { HostInfo } from "../../runtime/host-info.js";
import { toOciResources } from "./resource-spec.js";
import { parseCpuList, validateResources } from "./validate.js";

const host = { ncpu: 2 } as HostInfo;
const support = { blkioWeight: false, swap: true };

test("dockerd's messages for bad limits", () => {
  const v = (r: object) => validateResources(r, host, support, []);
  assert.throws(() => v({ NanoCpus: 40.25e9 }), /Range of CPUs is from 0\.01 to 2\.00, as there are only 2 CPUs available/);
  assert.throws(() => v({ Memory: 1024 }), /Minimum memory limit allowed is 6MB/);
  assert.throws(() => v({ Memory: 64 << 20, MemorySwap: 32 << 20 }), /Minimum memoryswap limit should be larger than memory limit/);
  assert.throws(() => v({ MemorySwap: 64 << 20 }), /You should always set the Memory limit when using Memoryswap limit/);
  assert.throws(() => v({ NanoCpus: 1e9, CpuQuota: 50000 }), /Nano CPUs and CPU Quota cannot both be set/);
  assert.throws(() => v({ CpuPeriod: 10 }), /CPU cfs period can not be less than 1ms/);
  assert.throws(() => v({ CpusetCpus: "0-5" }), /Requested CPUs are not available - requested 0-5, available: 0-1/);
  assert.throws(() => v({ BlkioWeight: 5 }), /Range of blkio weight is from 10 to 1000/);
});

test("normalisation: swap defaults to twice the memory; unsupported blkio weight is dropped with dockerd's warning", () => {
  const r: Record<string, number> = { Memory: 32 << 20, BlkioWeight: 500 };
  const warnings: string[] = [];
  validateResources(r, host, support, warnings);
  assert.equal(r.MemorySwap, 64 << 20);
  assert.equal(r.BlkioWeight, 0);
  assert.deepEqual(warnings, ["Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."]);
});

test("HostConfig → OCI linux.resources", () => {
  assert.deepEqual(toOciResources({ Memory: 100, MemorySwap: 200, CpuShares: 512, NanoCpus: 1.5e9, CpusetCpus: "0", PidsLimit: 20, OomKillDisable: true }, { blkioWeight: true }), {
    memory: { limit: 100, swap: 200, disableOOMKiller: true },
    cpu: { shares: 512, period: 100000, quota: 150000, cpus: "0" },
    pids: { limit: 20 },
  });
  assert.deepEqual(toOciResources({}, { blkioWeight: true }), {});
  assert.deepEqual(parseCpuList("0-2,4"), [0, 1, 2, 4]);
  assert.equal(parseCpuList("a"), undefined);
});
