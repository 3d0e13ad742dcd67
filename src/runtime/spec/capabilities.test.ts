import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidArgumentError } from "../../lib/errors.js";
import { CAPABILITY_NAMES, DEFAULT_CAPABILITIES, resolveCapabilities } from "./capabilities.js";

const none = { capAdd: [], capDrop: [], privileged: false };

describe("resolveCapabilities", () => {
  it("gives Docker's 14 default capabilities", () => {
    const caps = resolveCapabilities(none);
    assert.deepEqual(caps, [...DEFAULT_CAPABILITIES]);
    assert.equal(caps.length, 14);
    assert.ok(caps.includes("CAP_NET_RAW") && !caps.includes("CAP_SYS_ADMIN"));
  });

  it("adds and drops with or without the CAP_ prefix, any case", () => {
    const caps = resolveCapabilities({ ...none, capAdd: ["net_admin", "CAP_SYS_PTRACE"], capDrop: ["CHOWN", "cap_net_raw"] });
    assert.ok(caps.includes("CAP_NET_ADMIN") && caps.includes("CAP_SYS_PTRACE"));
    assert.ok(!caps.includes("CAP_CHOWN") && !caps.includes("CAP_NET_RAW"));
    assert.equal(caps.length, 14);
  });

  it("handles ALL on either side", () => {
    assert.deepEqual(resolveCapabilities({ ...none, capDrop: ["ALL"], capAdd: ["KILL"] }), ["CAP_KILL"]);
    assert.deepEqual(resolveCapabilities({ ...none, capDrop: ["all"] }), []);
    const all = resolveCapabilities({ ...none, capAdd: ["ALL"], capDrop: ["SYS_ADMIN"] });
    assert.equal(all.length, CAPABILITY_NAMES.length - 1);
    assert.ok(!all.includes("CAP_SYS_ADMIN"));
  });

  it("limits ALL and --privileged to what the daemon holds", () => {
    const available = CAPABILITY_NAMES.filter((c) => c !== "CAP_SYS_RESOURCE");
    assert.deepEqual(resolveCapabilities({ ...none, privileged: true, available }), available);
    assert.ok(!resolveCapabilities({ ...none, capAdd: ["ALL"], available }).includes("CAP_SYS_RESOURCE"));
    assert.throws(() => resolveCapabilities({ ...none, capAdd: ["SYS_RESOURCE"], available }), /not available in the current environment: "CAP_SYS_RESOURCE"/);
  });

  it("rejects unknown names", () => {
    assert.throws(
      () => resolveCapabilities({ ...none, capAdd: ["FOO"] }),
      (e: unknown) => e instanceof InvalidArgumentError && e.message === 'unknown capability: "CAP_FOO"',
    );
    assert.throws(() => resolveCapabilities({ ...none, capDrop: ["CAP_BAR"] }), /unknown capability: "CAP_BAR"/);
  });
});
