import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalContentStore } from "./local-store.js";
import { contentStoreSuite } from "./testsuite.js";

contentStoreSuite("local", (root) => new LocalContentStore(root));

test("local store uses the OCI image layout on disk", async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-oci-"));
  try {
    const store = new LocalContentStore(root);
    const info = await store.put("{}");
    const hex = info.digest.slice("sha256:".length);
    assert.equal(await fs.readFile(path.join(root, "blobs", "sha256", hex), "utf8"), "{}");
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(root, "oci-layout"), "utf8")), { imageLayoutVersion: "1.0.0" });
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
