import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTemplate } from "./go-template.js";

// Expected outputs follow Go text/template + docker/cli templates.go behaviour.
const execCases: [string, unknown, string][] = [
  ["{{.A}} {{.B.C}}", { A: 1, B: { C: "x" } }, "1 x"],
  ["{{.Missing}}|{{.Missing.X}}|{{.Null}}|{{print .Null}}", { Null: null }, "<no value>|<no value>|<no value>|<nil>"],
  ["{{.}}", null, "<no value>"],
  ["{{range $i, $e := .L}}{{$i}}={{$e}},{{end}}", { L: ["a", "b"] }, "0=a,1=b,"],
  ["{{range $k, $v := .M}}{{$k}}:{{$v}} {{end}}", { M: { b: 2, a: 1 } }, "a:1 b:2 "],
  ["{{range .L}}x{{else}}empty{{end}}", { L: [] }, "empty"],
  ["{{range .L}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}", { L: [1, 2, 3] }, "1"],
  ["{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}", { L: [1, 2, 3] }, "13"],
  ["{{range 3}}{{.}}{{end}}", {}, "012"],
  ["{{.M}} {{.L}} {{.E}}", { M: { b: "y", a: [1, null] }, L: ["a", 1, true], E: {} }, "map[a:[1 <nil>] b:y] [a 1 true] map[]"],
  ["{{if eq .S \"x\"}}x{{else if .T}}t{{else}}no{{end}}", { S: "y", T: true }, "t"],
  ["{{with .X}}{{.}}{{else}}none{{end}}|{{with .Y}}{{.}}{{end}}", { X: "", Y: "y" }, "none|y"],
  ["{{with $v := .Y}}{{$v}}{{$}}{{end}}", { Y: 0 }, ""],
  ["{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", {}, "2"],
  ["{{$x := .A}}{{$x.B}}", { A: { B: "deep" } }, "deep"],
  ["a  {{- 1 -}}  b {{- /* comment */ -}} c", {}, "a1bc"],
  ["{{/* only a comment */}}x", {}, "x"],
  ["{{- 3}} {{-3}}", {}, "3 -3"],
  ["{{\"a\\tb\\u00e9\"}} {{`raw\\n`}} {{'a'}} {{0x10}} {{1_000}}", {}, "a\tbé raw\\n 97 16 1000"],
  ["{{1.5}} {{1e6}} {{0.00001}} {{100}} {{-2}}", {}, "1.5 1000000 1e-05 100 -2"],
  ["{{print 1 2 \"a\" \"b\" 3 nil}}|{{println 1 \"a\"}}", {}, "1 2ab3 <nil>|1 a\n"],
  ["{{printf \"%5.2f|%-6s|%d|%q|%x|%v|%05d|%+d\" 3.14159 \"ab\" 42 \"hi\" 255 .L 42 3}}", { L: [1, "a", null] },
    " 3.14|ab    |42|\"hi\"|ff|[1 a <nil>]|00042|+3"],
  ["{{printf \"%s %d\" 1 \"x\"}}|{{printf \"%d\"}}|{{printf \"a\" 1}}", {}, "%!s(int=1) %!d(string=x)|%!d(MISSING)|a%!(EXTRA int=1)"],
  ["{{and 1 0}} {{or 0 \"x\"}} {{not 0}} {{and 1 2}} {{or 0 \"\"}}", {}, "0 x true 2 "],
  ["{{len .S}} {{len .L}} {{len .M}}", { S: "héllo", L: [1, 2], M: { a: 1 } }, "6 2 1"],
  ["{{index .L 1}} {{index .M \"a\"}} {{index .M \"zz\"}} {{index .N 0 1}}", { L: [1, 2], M: { a: "z" }, N: [[5, 6]] }, "2 z <no value> 6"],
  ["{{slice .S 1 3}} {{slice .L 1}}", { S: "abcd", L: [1, 2, 3] }, "bc [2 3]"],
  ["{{eq 1 1}} {{eq \"a\" \"b\" \"a\"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1 2}} {{eq .Missing \"x\"}}", {}, "true true true true true true false false"],
  ["{{html \"<a href='x'>&\"}} {{js \"it's <b>\"}} {{urlquery \"a b&c/é\"}}", {}, "&lt;a href=&#39;x&#39;&gt;&amp; it\\'s \\u003Cb\\u003E a+b%26c%2F%C3%A9"],
  ["{{.S | printf \"%s!\"}} {{\"x\" | printf \"%s-%s\" \"y\"}}", { S: "s" }, "s! y-x"],
  ["{{(index .L 0).N}}", { L: [{ N: "n" }] }, "n"],
  ["{{json .}}", { a: "<&>", b: [1, 2.5, null], c: {}, d: "é\u2028\n" }, "{\"a\":\"<&>\",\"b\":[1,2.5,null],\"c\":{},\"d\":\"é\\u2028\\n\"}"],
  ["{{json .S}} {{json .Missing}} {{json .L}}", { S: "x", L: [] }, "\"x\" null []"],
  ["{{split .S \":\"}} {{join .L \", \"}} {{title \"hello wORLD-x\"}} {{lower \"AbC\"}} {{upper \"abc\"}}", { S: "a:b", L: ["x", "y"] },
    "[a b] x, y Hello WORLD-X abc ABC"],
  ["[{{pad .S 1 2}}][{{pad \"\" 1 2}}] {{truncate .S 2}} {{truncate .S 10}}", { S: "abc" }, "[ abc  ][] ab abc"],
  ["{{.Label \"com.x\"}} {{\"y\" | .Label}}", { Label: (n: string) => "L:" + n }, "L:com.x L:y"],
  ["{{.Names}}", new (class Ctx { Names() { return "web"; } })(), "web"],
  ["{{define \"T\"}}<{{.}}>{{end}}{{template \"T\" .A}}", { A: 1 }, "<1>"],
];

test("executes templates like Go text/template", () => {
  for (const [src, data, want] of execCases) {
    assert.equal(parseTemplate(src).execute(data), want, src);
  }
});

const parseErrors: [string, string][] = [
  ["{{ .Name }", 'template: :1: unexpected "}" in operand'],
  ["{{.Foo}", "template: :1: bad character U+007D '}'"],
  ["{{.Foo", "template: :1: unclosed action"],
  ["{{end}}", "template: :1: unexpected {{end}}"],
  ["{{if .A}}", "template: :1: unexpected EOF"],
  ["{{nope}}", 'template: :1: function "nope" not defined'],
  ["{{$x}}", 'template: :1: undefined variable "$x"'],
  ["{{.A | 1}}", "template: :1: non executable command in pipeline stage 2"],
  ["{{\"x}}", "template: :1: unterminated quoted string"],
  ["{{(.A}}", "template: :1: unclosed left paren"],
  ["{{.A)}}", "template: :1: unexpected right paren"],
  ["{{/* x */ }}", "template: :1: comment ends before closing delimiter"],
  ["{{break}}", "template: :1: {{break}} outside {{range}}"],
  ["a\n{{else}}", "template: :2: unexpected {{else}}"],
  ["{{}}", "template: :1: missing value for command"],
];

test("reports parse errors with Go's wording", () => {
  for (const [src, want] of parseErrors) {
    assert.throws(() => parseTemplate(src), (e: Error) => e.message === want, src);
  }
});

const execErrors: [string, unknown, string][] = [
  ["{{.A.B}}", { A: null }, 'template: :1:4: executing "" at <.A.B>: nil pointer evaluating interface {}.B'],
  ["{{index .L 5}}", { L: [] }, 'template: :1:2: executing "" at <index .L 5>: error calling index: index out of range: 5'],
  ["{{.A \"x\"}}", { A: 1 }, 'template: :1:2: executing "" at <.A>: A is not a method but has arguments'],
  ["{{.Label}}", { Label: (n: string) => n }, 'template: :1:2: executing "" at <.Label>: wrong number of args for Label: want 1 got 0'],
  ["{{eq 1 \"a\"}}", {}, 'template: :1:2: executing "" at <eq 1 "a">: error calling eq: incompatible types for comparison'],
  ["{{.S.X}}", { S: "s" }, 'template: :1:4: executing "" at <.S.X>: can\'t evaluate field X in type string'],
  ["x\n {{range .S}}{{end}}", { S: true }, 'template: :2:9: executing "" at <.S>: range can\'t iterate over true'],
  ["{{nil}}", {}, 'template: :1:2: executing "" at <nil>: nil is not a command'],
  ["{{len 3}}", {}, 'template: :1:2: executing "" at <len 3>: error calling len: len of type int'],
];

test("reports execution errors with Go's wording", () => {
  for (const [src, data, want] of execErrors) {
    assert.throws(() => parseTemplate(src).execute(data), (e: Error) => {
      assert.equal(e.message, want);
      return true;
    }, src);
  }
});

test("struct-like data rejects unknown fields; missingkey=error rejects unknown map keys", () => {
  class ContainerContext { static goTypeName = "*formatter.ContainerContext"; ID = "abc"; }
  assert.throws(() => parseTemplate("{{.Nope}}").execute(new ContainerContext()),
    /can't evaluate field Nope in type \*formatter\.ContainerContext/);
  assert.throws(() => parseTemplate("{{.Nope}}").withMissingKey("error").execute({}),
    /map has no entry for key "Nope"/);
});

test("partial output is kept on execution errors and extra funcs are callable", () => {
  try {
    parseTemplate("ok {{.A.B}}").execute({ A: null });
    assert.fail("expected error");
  } catch (e) {
    assert.equal((e as { partial: string }).partial, "ok ");
  }
  assert.equal(parseTemplate("{{twice .}}", { twice: (s) => `${s}${s}` }).execute("ab"), "abab");
});
