import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { allocateIp, formatCidr, intToIp, ipToInt, macForIp, parseCidr, pickFreeSubnet } from "./ipam.js";

describe("ipam", () => {
  it("parses and formats CIDRs, refusing host bits when strict", () => {
    assert.equal(formatCidr(parseCidr("172.18.3.4/16")), "172.18.0.0/16");
    assert.throws(() => parseCidr("172.18.3.4/16", true), /it should be 172\.18\.0\.0\/16/);
    assert.throws(() => parseCidr("300.1.1.1/8"), /invalid/);
  });
  it("picks the first pool subnet no used prefix overlaps", () => {
    assert.equal(formatCidr(pickFreeSubnet([parseCidr("172.17.0.0/16"), parseCidr("172.18.5.0/24")])), "172.19.0.0/16");
  });
  it("allocates skipping network, broadcast and used addresses, round-robin after a cursor", () => {
    const s = parseCidr("10.0.0.0/30");
    assert.equal(intToIp(allocateIp(s, new Set([ipToInt("10.0.0.1")]))!), "10.0.0.2");
    assert.equal(allocateIp(s, new Set([ipToInt("10.0.0.1"), ipToInt("10.0.0.2")])), undefined);
    const big = parseCidr("10.1.0.0/24");
    assert.equal(intToIp(allocateIp(big, new Set([ipToInt("10.1.0.1")]), undefined, ipToInt("10.1.0.5"))!), "10.1.0.6");
    assert.equal(intToIp(allocateIp(big, new Set(), parseCidr("10.1.0.128/25"))!), "10.1.0.128");
  });
  it("derives Docker's MAC from the address", () => {
    assert.equal(macForIp(ipToInt("172.17.0.2")), "02:42:ac:11:00:02");
  });
});
