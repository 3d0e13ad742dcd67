import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { materialize } from "../../../client/testing/fake-engine.js";
import type { ImageSummary } from "../../../client/types.js";
import { renderList } from "../shared/render-list.js";
import { IMAGE_HEADERS, imageRows, imagesTemplate } from "./image-context.js";

// Goldens: real docker CLI 28.2 output for the same fixture data.
const fixtures = new URL("../../../../../test/fixtures/cli/", import.meta.url);
const NOW = 1_800_000_000;
const images = materialize(JSON.parse(readFileSync(new URL("images.json", fixtures), "utf8")), NOW) as unknown as ImageSummary[];
const golden = (name: string) => readFileSync(new URL(`${name}.golden`, fixtures), "utf8");

function ls(format: string, opts: { quiet?: boolean; digests?: boolean; trunc?: boolean } = {}): string {
  const rows = imageRows(images, { trunc: opts.trunc ?? true, digests: opts.digests ?? false, now: NOW * 1000 });
  return renderList(imagesTemplate(format, opts.quiet ?? false, opts.digests ?? false), rows, IMAGE_HEADERS);
}

test("images default table matches docker", () => assert.equal(ls(""), golden("images-default")));
test("images --digests", () => assert.equal(ls("", { digests: true }), golden("images-digests")));
test("images --no-trunc", () => assert.equal(ls("", { trunc: false }), golden("images-no-trunc")));
test("images -q", () => assert.equal(ls("", { quiet: true }), golden("images-quiet")));
test("images custom template with size fields", () => {
  assert.equal(ls("{{.Repository}}:{{.Tag}} {{.Containers}} {{.SharedSize}} {{.UniqueSize}} {{.VirtualSize}}"), golden("images-custom"));
});
test("images json key set", () => {
  const keys = Object.keys(JSON.parse(ls("json").split("\n")[0]) as object);
  assert.deepEqual(keys, ["Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository", "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize"]);
});
