import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { renderRuleset } from "./nat-rules.js";

describe("nft ruleset", () => {
  const base = {
    table: "wharf_t",
    networks: [
      { bridge: "br0", subnet: "172.30.0.0/16", internal: false, icc: true, masquerade: true },
      { bridge: "br1", subnet: "172.31.0.0/16", internal: true, icc: false, masquerade: true },
    ],
    ports: [{ proto: "tcp" as const, hostIp: "127.0.0.1", hostPort: 8080, containerIp: "172.30.0.2", containerPort: 80, bridge: "br0" }],
  };
  it("replaces the table atomically, masquerades, isolates bridges", () => {
    const s = renderRuleset({ ...base, userlandProxy: true });
    assert.match(s, /^table ip wharf_t\ndelete table ip wharf_t\ntable ip wharf_t \{/);
    assert.match(s, /ip saddr 172\.30\.0\.0\/16 oifname != "br0" masquerade/);
    assert.doesNotMatch(s, /ip saddr 172\.31\.0\.0\/16 .* masquerade/);
    assert.match(s, /iifname "br0" oifname "br1" drop/);
    assert.match(s, /iifname "br1" oifname "br1" drop/);
    // With the proxy, loopback and hairpin clients are left to it.
    assert.match(s, /ip daddr 127\.0\.0\.1 iifname != "br0" ip daddr != 127\.0\.0\.0\/8 tcp dport 8080 dnat to 172\.30\.0\.2:80/);
  });
  it("without the proxy DNATs loopback too and masquerades it and hairpin traffic", () => {
    const s = renderRuleset({ ...base, userlandProxy: false });
    assert.match(s, /ip daddr 127\.0\.0\.1 tcp dport 8080 dnat to 172\.30\.0\.2:80/);
    assert.match(s, /oifname "br0" ip saddr 127\.0\.0\.0\/8 masquerade/);
    assert.match(s, /ip saddr 172\.30\.0\.2 ip daddr 172\.30\.0\.2 tcp dport 80 masquerade/);
  });
});
