/**
 * Uses the real docker CLI as the oracle: `docker context ls --format T`
 * runs docker's own template engine without a daemon. Templates here only
 * use literals (plus .Name, which is "default"), so wharf must print the
 * same bytes (and the same error text) for them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderFormatted } from "./render.js";

const hasDocker = spawnSync("docker", ["--version"]).status === 0;

const templates = [
  '{{printf "%.3g|%.2f|%g|%e" 1.125 0.125 0.00001 123456.789}}',
  '{{print 1 2 "a" "b" 3 nil}}',
  '{{printf "%5.2f|%-6s|%d|%q|%x|%05d|%+d|%U|%c" 3.14159 "ab" 42 "hi" 255 42 3 65 65}}',
  '{{printf "%s %d" 1 "x"}}|{{printf "%d"}}|{{printf "a" 1}}',
  '{{json "<&>\\u2028\\b"}} {{json 1.5}} {{json nil}} {{json .Name}}',
  "{{html \"<a href='x'>&\"}} {{js \"it's <b> =é\\u0001\"}} {{urlquery \"a b&c/é\"}}",
  '{{title "hello wORLD-x_y 9a"}} {{split "a:b::c" ":"}} {{len "héllo"}} {{slice "abcd" 1 3}}',
  '{{and 1 0}} {{or 0 "x"}} {{not 0}} {{and 1 2}} {{or 0 ""}}|{{eq 1 1}} {{lt 1 2}} {{ge "a" "b"}}',
  '{{range $i, $e := split "x,y" ","}}{{$i}}={{$e}};{{end}}{{range 3}}{{.}}{{end}}',
  'a  {{- 1 -}}  b {{- /* c */ -}} c {{"x" | printf "%s-%s" "y"}}',
  '{{printf "%6.2f%%|%x|%X|% x|%10.4v|%-8q|" 12.345 "hi" -255 "ab" 3.14159265 "z"}}',
  '{{printf "%v %.1f %.0f %.0f" 0.1 0.05 0.5 1.5}}',
  '{{printf "%T %T %T %t" 1 "s" 1.5 true}}',
  '{{pad "x" 1 2}}|{{truncate "abcdef" 3}}|{{upper "ßa"}}|{{lower "ÀB"}}',
  '{{if eq .Name "default"}}yes{{else if true}}no{{end}} {{with $x := .Name}}{{$x}}{{end}}',
  '{{ .Name }',
  "{{.A.B",
  "{{if 1}}",
  "{{1 | 2}}",
  '{{eq 1 "a"}}',
  '{{index "abc" 5}}',
  "{{.Name.X}}",
  "{{nope 1}}",
  "{{$x}}",
];

test("template output matches the docker CLI", { skip: !hasDocker && "docker CLI not on PATH" }, () => {
  const cfg = mkdtempSync(join(tmpdir(), "wharf-fmt-"));
  try {
    const row = { Name: "default" };
    for (const t of templates) {
      const r = spawnSync("docker", ["context", "ls", "--format", t], {
        encoding: "utf8",
        env: { ...process.env, DOCKER_CONFIG: cfg, DOCKER_HOST: "", DOCKER_CONTEXT: "" },
      });
      let mine: string;
      try {
        mine = renderFormatted(t, [row], { headers: {} });
      } catch (e) {
        mine = (e as Error).message;
      }
      const docker = r.status === 0 ? r.stdout : r.stderr.trim();
      assert.equal(mine, docker, t);
    }
  } finally {
    rmSync(cfg, { recursive: true, force: true });
  }
});
