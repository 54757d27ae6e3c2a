import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCsv } from "../../../src/metadata/io.ts";
import { InputError } from "../../../src/util/errors.ts";

test("parseCsv: quotes, escaped quotes, newlines in quotes, CRLF, BOM, blank lines, start line numbers", () => {
  const text = '\ufeffa,b,c\r\n1,"x,y",3\r\n\r\n"multi\nline","q""uote",\n4,5,6';
  assert.deepEqual(parseCsv(text, "t.csv"), [
    { cells: ["a", "b", "c"], line: 1 },
    { cells: ["1", "x,y", "3"], line: 2 },
    { cells: ["multi\nline", 'q"uote', ""], line: 4 },
    { cells: ["4", "5", "6"], line: 6 },
  ]);
  assert.deepEqual(parseCsv("a\tb\n1\t2\n", "t.tsv", "\t"), [{ cells: ["a", "b"], line: 1 }, { cells: ["1", "2"], line: 2 }]);
});

test("parseCsv: an unterminated quote names the line where the field starts", () => {
  assert.throws(() => parseCsv('a,b\n1,2\n3,"open\n4,5\n', "t.csv"), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.where, "t.csv:3");
    assert.match(e.message, /unterminated quoted field/);
    return true;
  });
});
