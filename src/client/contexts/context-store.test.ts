import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ContextStore, encodeMeta, naturalLess, validateContextName } from "./context-store.js";
import { exportContext, importContext } from "./context-archive.js";

test("meta.json is encoded as the docker CLI writes it (Go key order, HTML escaping, omitempty Host)", () => {
  assert.equal(
    encodeMeta({ Name: "a", Metadata: { Z: 1, Description: "x & <y>" }, Endpoints: { docker: { Host: "tcp://h:1", SkipTLSVerify: false } } }),
    '{"Name":"a","Metadata":{"Description":"x \\u0026 \\u003cy\\u003e","Z":1},"Endpoints":{"docker":{"Host":"tcp://h:1","SkipTLSVerify":false}}}',
  );
  assert.equal(encodeMeta({ Name: "b", Metadata: {}, Endpoints: { docker: { SkipTLSVerify: true } } }), '{"Name":"b","Metadata":{},"Endpoints":{"docker":{"SkipTLSVerify":true}}}');
});

test("names are validated with docker's pattern and sorted naturally", () => {
  assert.throws(() => validateContextName("default"), /reserved/);
  assert.throws(() => validateContextName("a"), /is invalid, names are validated against regexp/);
  validateContextName("my-ctx.1+2_x");
  assert.deepEqual(["b10", "b9", "a", "B"].sort(naturalLess), ["B", "a", "b9", "b10"]);
});

test("store, export and import round-trip; a docker export without the tar trailer still imports", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wharf-ctx-"));
  try {
    const s = new ContextStore(dir);
    s.write({ Name: "one", Metadata: { Description: "d" }, Endpoints: { docker: { Host: "tcp://h:2376", SkipTLSVerify: false } } });
    s.resetTls("one", { docker: { "ca.pem": Buffer.from("CA"), "key.pem": Buffer.from("KEY") } });
    assert.deepEqual(s.listTls("one"), { docker: ["ca.pem", "key.pem"] });
    assert.equal(s.list()[0]!.Name, "one");
    const tar = exportContext(s.get("one"), s.readTls("one"));
    assert.equal(tar.length % 512, 0);
    for (const archive of [tar, tar.subarray(0, tar.length - 1024 - 509)]) {
      const back = importContext("two", archive);
      assert.equal(back.meta.Name, "two");
      assert.equal(back.meta.Metadata.Description, "d");
      assert.equal(back.tls.docker!["key.pem"]!.toString(), "KEY");
    }
    s.remove("one");
    assert.equal(s.exists("one"), false);
    assert.throws(() => s.get("one"), /context "one": context not found: open .*meta\.json: no such file or directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
