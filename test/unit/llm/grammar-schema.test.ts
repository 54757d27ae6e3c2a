import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { LlmJudgeAnswer, recommendChoiceSchema } from "../../../src/llm/answer-schemas.ts";
import { toGrammarSchema } from "../../../src/llm/grammar-schema.ts";

test("zod -> grammar schema: enums, bounded strings, nullable as oneOf, numeric bounds left to zod", () => {
  const s = toGrammarSchema(z.object({ a: z.enum(["x", "y"]), b: z.string().max(40), c: z.int().min(1).nullable(), d: z.array(z.literal([1, 2])).max(3) }));
  assert.deepEqual(s, {
    type: "object",
    properties: {
      a: { type: "string", enum: ["x", "y"] },
      b: { type: "string", maxLength: 40 },
      c: { oneOf: [{ type: "integer" }, { type: "null" }] },
      d: { type: "array", items: { type: "number", enum: [1, 2] }, maxItems: 3 },
    },
    required: ["a", "b", "c", "d"],
    additionalProperties: false,
  });
});

test("optional properties are refused: the grammar would make them required", () => {
  assert.throws(() => toGrammarSchema(z.object({ a: z.string().optional() })), /\$: optional properties \(a\); use \.nullable\(\)/);
});

test("the task schemas compile", () => {
  assert.doesNotThrow(() => toGrammarSchema(LlmJudgeAnswer));
  const none = toGrammarSchema(recommendChoiceSchema(["a", "b"], []));
  assert.deepEqual((none.properties as Record<string, unknown>).evidence, { type: "array", items: { type: "string" }, maxItems: 0 });
  assert.throws(() => recommendChoiceSchema([], ["E1"]), /no candidate ids/);
});
