import { test } from "node:test";
import assert from "node:assert/strict";
import { finalFormat, inspectJson, renderFormatted, renderInspect } from "./render.js";

const headers = {
  ID: "CONTAINER ID", Image: "IMAGE", Command: "COMMAND", RunningFor: "CREATED",
  Status: "STATUS", Ports: "PORTS", Names: "NAMES", Size: "SIZE",
};
const PS = "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}";
const row = {
  ID: "4f2a1b3c5d6e", Image: "busybox", Command: '"sleep 1000"', RunningFor: "3 seconds ago",
  Status: "Up 2 seconds", Ports: "", Names: "web", Label: (name: string) => (name === "a" ? "1" : ""),
};

test("finalFormat: table prefix, json, trimming and \\t \\n escapes", () => {
  assert.equal(finalFormat("table {{.ID}}\\t{{.Names}}"), "{{.ID}}\t{{.Names}}");
  assert.equal(finalFormat("json"), "{{json .}}");
  assert.equal(finalFormat("  {{.ID}}\\n "), "{{.ID}}\n");
});

test("table output with no rows is the aligned header (docker ps)", () => {
  assert.equal(renderFormatted(PS, [], { headers }), "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n");
});

test("table output aligns header and rows", () => {
  assert.equal(
    renderFormatted(PS, [row], { headers }),
    "CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS         PORTS     NAMES\n" +
    "4f2a1b3c5d6e   busybox   \"sleep 1000\"   3 seconds ago   Up 2 seconds             web\n",
  );
});

test("header functions keep header text; unknown header keys print <no value>", () => {
  assert.equal(renderFormatted("table {{lower .Names}}\\t{{truncate .ID 3}}\\t{{.Other}}", [], { headers }), "NAMES     CONTAINER ID   <no value>\n");
});

test("custom formats print one line per row; methods take arguments", () => {
  assert.equal(renderFormatted("{{.ID}}: {{.Label \"a\"}}", [row, row], { headers }), "4f2a1b3c5d6e: 1\n4f2a1b3c5d6e: 1\n");
});

test("json format sorts keys and skips methods with arguments, like docker's marshalMap", () => {
  const ctx = { Names: "a", ID: "x", Label: (n: string) => n, Size: () => "0B" };
  assert.equal(renderFormatted("json", [ctx], { headers }), '{"ID":"x","Names":"a","Size":"0B"}\n');
});

test("template errors are wrapped like docker's", () => {
  assert.throws(() => renderFormatted("{{ .ID }", [row], { headers }), { message: 'template parsing error: template: :1: unexpected "}" in operand' });
  assert.throws(() => renderFormatted("{{.ID.X}}", [row], { headers }),
    { message: 'template parsing error: template: :1:5: executing "" at <.ID.X>: can\'t evaluate field X in type string' });
});

test("inspect -f runs per item with missingkey=error", () => {
  const items = [{ Id: "a", State: { Running: true, Pid: 42 } }, { Id: "b", State: { Running: false, Pid: 0 } }];
  assert.deepEqual(renderInspect("{{.Id}} {{.State.Running}} {{.State.Pid}}", items), { output: "a true 42\nb false 0\n", errors: [] });
  const r = renderInspect("{{.Nope}}", items);
  assert.equal(r.output, "\n");
  assert.deepEqual(r.errors, Array(2).fill('template parsing error: template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"'));
});

test("inspect without a format is 4-space indented JSON with HTML escaping", () => {
  assert.equal(inspectJson([]), "[]\n");
  assert.equal(
    inspectJson([{ Id: "x", Args: [], Labels: { "a<b": "c&d" }, Ports: null }]),
    '[\n    {\n        "Id": "x",\n        "Args": [],\n        "Labels": {\n            "a\\u003cb": "c\\u0026d"\n        },\n        "Ports": null\n    }\n]\n',
  );
  assert.equal(renderInspect("json", [{ A: 1 }]).output, '[{"A":1}]\n');
});
