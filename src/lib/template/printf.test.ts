import { test } from "node:test";
import assert from "node:assert/strict";
import { formatFloat } from "./fmt-float.js";
import { sprintf } from "./printf.js";
import { goJsonMarshal } from "./go-json.js";

test("formatFloat matches Go strconv (ties round to even)", () => {
  const cases: [number, "e" | "f" | "g", number, string][] = [
    [1.125, "g", 3, "1.12"], [1.135, "g", 3, "1.14"], [0.125, "f", 2, "0.12"], [2.5, "f", 0, "2"],
    [3.5, "f", 0, "4"], [4.26, "g", 3, "4.26"], [1.5, "g", 3, "1.5"], [999, "g", 3, "999"],
    [1000, "g", 3, "1e+03"], [0, "g", 3, "0"], [1e6, "g", -1, "1e+06"], [123456, "g", -1, "123456"],
    [0.0001, "g", -1, "0.0001"], [0.00001, "g", -1, "1e-05"], [1234.5678, "e", 2, "1.23e+03"],
    [3.14159, "f", 2, "3.14"], [0.1, "f", -1, "0.1"], [-2.5, "g", -1, "-2.5"], [9.9999, "g", 3, "10"],
  ];
  for (const [x, f, p, want] of cases) assert.equal(formatFloat(x, f, p), want, `${x} %${f} ${p}`);
});

test("sprintf verbs, flags and error forms", () => {
  const cases: [string, unknown[], string][] = [
    ["%5.2f|%-6s|%6s|%d|%q|%x|%X|%o|%b|%c|%U", [3.14159, "ab", "cd", 42, "hi\n", 255, 255, 8, 5, 65, 0x41], " 3.14|ab    |    cd|42|\"hi\\n\"|ff|FF|10|101|A|U+0041"],
    ["%05d|%+d|% d|%-4d|%x|%.3s|%t|%v|%%", [42, 3, 7, 1, "hi", "abcdef", true, null], "00042|+3| 7|1   |6869|abc|true|<nil>|%"],
    ["%s|%d|%z", [1, "x", 1], "%!s(int=1)|%!d(string=x)|%!z(int=1)"],
    ["%d %d", [1], "1 %!d(MISSING)"],
    ["a", [1, "b"], "a%!(EXTRA int=1, string=b)"],
    ["%v %s", [{ b: 1, a: "x" }, ["a", "b"]], "map[a:x b:1] [a b]"],
    ["%6.2f%%", [12.345], " 12.35%"],
    ["%e", [123456.789], "1.234568e+05"],
    ["%g %g", [0.5, 100000000], "0.5 1e+08"],
  ];
  for (const [f, args, want] of cases) assert.equal(sprintf(f, args), want, f);
});

test("json encoding follows Go's encoding/json", () => {
  assert.equal(goJsonMarshal({ s: "<a>&\u0001\b\f\u2029" }, { escapeHTML: true }), '{"s":"\\u003ca\\u003e\\u0026\\u0001\\b\\f\\u2029"}');
  assert.equal(goJsonMarshal({ s: "<a>" }, { escapeHTML: false }), '{"s":"<a>"}');
  assert.equal(goJsonMarshal([1e21, 1e-7, 0.5, 100], { escapeHTML: false }), "[1e+21,1e-7,0.5,100]");
  assert.equal(goJsonMarshal(new Map([["b", 1], ["a", 2]]), { escapeHTML: false }), '{"a":2,"b":1}');
  assert.equal(goJsonMarshal(new Date("2024-01-02T03:04:05.500Z"), { escapeHTML: false }), '"2024-01-02T03:04:05.5Z"');
  assert.equal(goJsonMarshal({ a: [], b: {}, c: [1] }, { escapeHTML: false, indent: "  " }), '{\n  "a": [],\n  "b": {},\n  "c": [\n    1\n  ]\n}');
});
