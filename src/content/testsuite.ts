import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError, NotFoundError } from "../lib/errors.js";
import type { ContentStore } from "./content-store.js";
import { sha256Digest } from "./digest.js";

/** The conformance suite every ContentStore implementation runs, against real files. */
export function contentStoreSuite(name: string, factory: (root: string) => ContentStore): void {
  describe(`content store conformance: ${name}`, () => {
    let root: string;
    let store: ContentStore;
    before(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-content-"));
      store = factory(root);
    });
    after(() => fs.rm(root, { recursive: true, force: true }));

    it("puts and reads a blob by digest", async () => {
      const info = await store.put("hello");
      assert.equal(info.digest, sha256Digest("hello"));
      assert.equal(info.size, 5);
      assert.ok(await store.has(info.digest));
      assert.equal((await store.read(info.digest)).toString(), "hello");
      assert.equal(await store.put("hello").then((i) => i.digest), info.digest, "put is idempotent");
    });

    it("ingests a stream in chunks and verifies the expected digest", async () => {
      const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
      const whole = Buffer.concat(chunks);
      const info = await store.ingest(Readable.from(chunks), sha256Digest(whole));
      assert.equal(info.size, whole.length);
      assert.ok((await store.read(info.digest)).equals(whole));
    });

    it("stores nothing when the digest does not match or the stream fails", async () => {
      const wrong = sha256Digest("something else");
      await assert.rejects(store.ingest(Readable.from([Buffer.from("data")]), wrong), InvalidArgumentError);
      assert.equal(await store.has(sha256Digest("data")), false);
      assert.equal(await store.has(wrong), false);
      const failing = new Readable({
        read() {
          this.push(Buffer.from("partial"));
          this.destroy(new Error("connection reset"));
        },
      });
      await assert.rejects(store.ingest(failing), /connection reset/);
      assert.equal(await store.has(sha256Digest("partial")), false);
      const ingestDir = path.join(root, "ingest");
      assert.deepEqual(await fs.readdir(ingestDir).catch(() => []), []);
    });

    it("deletes blobs and reports missing ones as NotFound", async () => {
      const info = await store.put("to delete");
      await store.delete(info.digest);
      assert.equal(await store.has(info.digest), false);
      await assert.rejects(store.read(info.digest), NotFoundError);
      await store.delete(info.digest);
      await assert.rejects(store.read("sha256:nothex"), InvalidArgumentError);
    });
  });
}
