import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { formatZodError, objectFields } from "../../../src/util/zod-format.ts";

test("objectFields: an object's field names at a path, through optional, nullable, default wrappers, arrays and refinements", () => {
  const inner = z.object({ a: z.number(), b: z.string().optional() }).strict();
  const schema = z
    .object({
      one: inner.optional(),
      many: z.array(inner.nullable()).default([]),
      plain: z.number(),
    })
    .refine(() => true);
  assert.deepEqual(objectFields(schema), ["one", "many", "plain"]);
  assert.deepEqual(objectFields(schema, ["one"]), ["a", "b"]);
  assert.deepEqual(objectFields(schema, ["many", 2]), ["a", "b"]);
  assert.equal(objectFields(schema, ["plain"]), undefined);
  assert.equal(objectFields(schema, ["nowhere", "deeper"]), undefined);
});

test("formatZodError: with the value that was parsed, each line quotes what was given there; a missing field is said to be missing", () => {
  const schema = z.object({ value: z.number(), failed: z.enum(["oom", "other"]).optional(), seconds: z.number() });
  const sent = { value: "71.2%", failed: "OOM" };
  const r = schema.safeParse(sent);
  assert.ok(!r.success);
  assert.equal(formatZodError(r.error, undefined, sent), ['value: Invalid input: expected number, received string; got "71.2%"', 'failed: Invalid option: expected one of "oom"|"other"; got "OOM"', "seconds: missing: expected number"].join("\n"));
  assert.match(formatZodError(r.error), /^value: Invalid input: expected number, received string$/m, "without it, zod's messages as they are");
});
