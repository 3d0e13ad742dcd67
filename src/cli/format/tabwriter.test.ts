import { test } from "node:test";
import assert from "node:assert/strict";
import { displayWidth, tabwrite } from "./tabwriter.js";

test("docker ps header with no rows (columns padded to minwidth 10)", () => {
  const header = "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n";
  assert.equal(tabwrite(header), "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n");
});

test("docker ps with rows: width = max(cell + 3, 10); last column unpadded", () => {
  const text =
    "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n" +
    "4f2a1b3c5d6e\tbusybox\t\"sleep 1000\"\t3 seconds ago\tUp 2 seconds\t\tweb\n" +
    "0123456789ab\tdebian:12\t\"sh\"\t2 hours ago\tExited (0) 1 hour ago\t127.0.0.1:8080->80/tcp\tdb_1\n";
  assert.equal(
    tabwrite(text),
    "CONTAINER ID   IMAGE       COMMAND        CREATED         STATUS                  PORTS                    NAMES\n" +
    "4f2a1b3c5d6e   busybox     \"sleep 1000\"   3 seconds ago   Up 2 seconds                                     web\n" +
    "0123456789ab   debian:12   \"sh\"           2 hours ago     Exited (0) 1 hour ago   127.0.0.1:8080->80/tcp   db_1\n",
  );
});

test("column blocks end at a line without that cell (Go's package example)", () => {
  const out = tabwrite("aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n", { minwidth: 0, padding: 1 });
  assert.equal(out, "aaaa bbb d\naa   b   dd\na    \naa   cccc eee\n");
});

test("a line without tabs resets all columns; trailing text without newline is kept", () => {
  assert.equal(tabwrite("a\tb\nplain\nlonger\tc\nx\ty"), "a         b\nplain\nlonger    c\nx         y");
  assert.equal(tabwrite(""), "");
  assert.equal(tabwrite("\n\n"), "\n\n");
});

test("cell widths count runes, wide characters as 2", () => {
  assert.equal(displayWidth("héllo"), 5);
  assert.equal(displayWidth("日本"), 4);
  assert.equal(tabwrite("日本\tx\nab\ty\n", { minwidth: 0, padding: 1 }), "日本 x\nab   y\n");
});

test("tab padding uses tabwidth like Go", () => {
  assert.equal(tabwrite("a\tb\nccccc\td\n", { minwidth: 0, padding: 1, tabwidth: 8, padchar: "\t" }), "a\tb\nccccc\td\n");
});
