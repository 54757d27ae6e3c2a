import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { objectFields } from "../../../src/util/zod-format.ts";

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
