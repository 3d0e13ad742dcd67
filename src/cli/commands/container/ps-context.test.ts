import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { materialize } from "../../../client/testing/fake-engine.js";
import type { ContainerSummary } from "../../../client/types.js";
import { renderList } from "../shared/render-list.js";
import { CONTAINER_HEADERS, containerRow, displayablePorts } from "./ps-context.js";
import { psTemplate } from "./ps.js";

// Goldens were produced by the real docker CLI 28.2 reading the same fixtures
// from a fake engine (src/client/testing/serve-fixtures.ts).
const fixtures = new URL("../../../../../test/fixtures/cli/", import.meta.url);
const NOW = 1_800_000_000;
const containers = materialize(JSON.parse(readFileSync(new URL("containers.json", fixtures), "utf8")), NOW) as unknown as ContainerSummary[];
const golden = (name: string) => readFileSync(new URL(`${name}.golden`, fixtures), "utf8");

function ps(format: string, opts: { quiet?: boolean; size?: boolean; trunc?: boolean } = {}): string {
  const rows = containers.map((c) => containerRow(c, { trunc: opts.trunc ?? true, now: NOW * 1000 }));
  return renderList(psTemplate(format, opts.quiet ?? false, opts.size ?? false), rows, CONTAINER_HEADERS);
}

test("ps default table matches docker", () => assert.equal(ps(""), golden("ps-default")));
test("ps -s adds SIZE with virtual size", () => assert.equal(ps("", { size: true }), golden("ps-size")));
test("ps --no-trunc", () => assert.equal(ps("", { trunc: false }), golden("ps-no-trunc")));
test("ps -q", () => assert.equal(ps("", { quiet: true }), golden("ps-quiet")));
test("ps custom table with Label, Mounts, LocalVolumes", () => {
  assert.equal(ps('table {{.Names}}\t{{.Ports}}\t{{.Labels}}\t{{.Label "com.example.a"}}\t{{.Mounts}}\t{{.LocalVolumes}}\t{{.State}}'), golden("ps-custom"));
  assert.equal(ps('table {{.ID}}\t{{.Label "com.example.some-key_x"}}'), golden("ps-label-header"));
});

test("ps json has docker's key set, sorted, without Label", () => {
  const line = ps("json").split("\n")[0];
  const keys = Object.keys(JSON.parse(line) as object);
  assert.deepEqual(keys, ["Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts", "Names", "Networks", "Platform", "Ports", "RunningFor", "Size", "State", "Status"]);
});

test("displayablePorts groups ranges per ip/proto and lists remaps last", () => {
  assert.equal(displayablePorts([]), "");
  assert.equal(
    displayablePorts([
      { PrivatePort: 81, PublicPort: 8081, IP: "0.0.0.0", Type: "tcp" },
      { PrivatePort: 53, Type: "udp" },
      { PrivatePort: 54, Type: "udp" },
      { PrivatePort: 56, Type: "udp" },
    ]),
    "53-54/udp, 56/udp, 0.0.0.0:8081->81/tcp",
  );
});
