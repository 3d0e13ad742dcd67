import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFirstValue } from "./go-json-syntax.js";

const err = (text: string) => {
  const r = checkFirstValue(text);
  return r.ok ? undefined : r.error;
};

test("Go's decoder messages for syntax errors", () => {
  assert.equal(err("{invalid json"), "invalid character 'i' looking for beginning of object key string");
  assert.equal(err("[1,]"), "invalid character ']' looking for beginning of value");
  assert.equal(err('{"a":1 "b":2}'), "invalid character '\"' after object key:value pair");
  assert.equal(err('{"a" 1}'), "invalid character '1' after object key");
  assert.equal(err("[1 2]"), "invalid character '2' after array element");
  assert.equal(err("nul"), "unexpected EOF");
  assert.equal(err("nulx"), "invalid character 'x' in literal null (expecting 'l')");
  assert.equal(err("-x"), "invalid character 'x' in numeric literal");
  assert.equal(err("1.x"), "invalid character 'x' after decimal point in numeric literal");
  assert.equal(err("1ex"), "invalid character 'x' in exponent of numeric literal");
  assert.equal(err('"a\\x"'), "invalid character 'x' in string escape code");
  assert.equal(err('"\\u12x4"'), "invalid character 'x' in \\u hexadecimal character escape");
  assert.equal(err('"a\nb"'), "invalid character '\\n' in string literal");
  assert.equal(err("'a'"), "invalid character '\\'' looking for beginning of value");
  assert.equal(err(" \n "), "EOF");
});

test("the first value, then Decoder.More", () => {
  assert.deepEqual(checkFirstValue('{"a":[1,{"b":null}]}  '), { ok: true, end: 20, more: false });
  assert.equal((checkFirstValue("{} x") as { more: boolean }).more, true);
  assert.equal((checkFirstValue("{}}") as { more: boolean }).more, false);
  assert.equal((checkFirstValue("12a") as { more: boolean }).more, true);
  const deep = "[".repeat(100000) + "]".repeat(100000);
  assert.equal(checkFirstValue(deep).ok, true);
});
