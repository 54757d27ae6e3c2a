import assert from "node:assert/strict";
import { test } from "node:test";
import { readJsonEntries } from "../../../src/util/json-entries.ts";

test("JSONL: one value per non-empty line, a line that is not JSON is an entry with its error", () => {
  const entries = readJsonEntries('{"a":1}\n\n[2]\n{oops\n3\n');
  assert.deepEqual(entries.map((e) => [e.line, "value" in e ? e.value : "error"]), [[1, { a: 1 }], [3, [2]], [4, "error"], [5, 3]]);
});

test("one JSON document, pretty-printed over many lines: an object is one entry, an array's elements are the entries", () => {
  assert.deepEqual(readJsonEntries(JSON.stringify({ a: 1, b: [1, 2] }, null, 2)), [{ line: 1, value: { a: 1, b: [1, 2] } }]);
  assert.deepEqual(readJsonEntries(JSON.stringify([{ a: 1 }, 2], null, 2)), [{ line: 1, value: { a: 1 } }, { line: 2, value: 2 }]);
  assert.deepEqual(readJsonEntries('  {"a": 1}\n'), [{ line: 1, value: { a: 1 } }], "a JSONL file of one line is the same either way");
  assert.deepEqual(readJsonEntries(""), []);
});
