import { test } from "node:test";
import assert from "node:assert/strict";
import { daemonMountMatcher } from "./host-cleanup.js";

test("only the daemon's own mounts under the data-root are swept, never the administrator's", () => {
  const own = daemonMountMatcher("/var/lib/wharf", (name) => name === "withopts");
  for (const m of [
    "/var/lib/wharf/storage/overlay/0123abcd/merged",
    "/var/lib/wharf/build/ab12/src-1",
    "/var/lib/wharf/tmp/load-x/mnt",
    "/var/lib/wharf/volumes/withopts/_data",
  ]) assert.equal(own(m), true, m);
  for (const m of [
    "/var/lib/wharf", // the data-root on its own disk
    "/var/lib/wharf/volumes", // volumes kept on another disk
    "/var/lib/wharf/volumes/plain/_data",
    "/var/lib/wharf/storage",
    "/var/lib/wharf/storage/overlay",
    "/var/lib/wharf/storage/overlay/0123abcd/merged/proc",
    "/var/lib/wharf-other/build/x",
    "/mnt/elsewhere",
  ]) assert.equal(own(m), false, m);
});
