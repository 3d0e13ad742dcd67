import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeLogLine } from "./json-record.js";

const line = (log: string, stream = "stdout") => Buffer.from(JSON.stringify({ log, stream, time: "2024-01-02T03:04:05.123456789Z" }));

test("decodes plain, newline-terminated, escaped and unicode values like JSON.parse", () => {
  for (const s of ["hello", "hello\n", 'a "quoted" \\ back\tslash\n', "ünïcødé ✓\n", "\u001b[31mred\u001b[0m\n", '","stream":"x', ""]) {
    const e = decodeLogLine(line(s))!;
    assert.equal(e.log.toString("utf8"), s);
    assert.equal(e.stream, "stdout");
    assert.equal(e.time, "2024-01-02T03:04:05.123456789Z");
  }
  assert.equal(decodeLogLine(line("x\n", "stderr"))!.stream, "stderr");
});

test("falls back to JSON.parse for other key orders and rejects torn lines", () => {
  const e = decodeLogLine(Buffer.from('{"stream":"stderr","log":"oops\\n","time":"t"}'))!;
  assert.equal(e.log.toString(), "oops\n");
  assert.equal(e.stream, "stderr");
  assert.equal(decodeLogLine(Buffer.from('{"log":"half')), undefined);
});
