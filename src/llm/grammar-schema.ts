/**
 * zod -> the JSON Schema subset that node-llama-cpp compiles to a GBNF grammar and that OpenAI-style strict
 * structured output accepts. Keywords the grammar cannot enforce (numeric bounds, patterns) are dropped here
 * and enforced by zod after generation.
 */
import { z } from "zod";

export type GrammarSchema = { [key: string]: unknown };

export function toGrammarSchema(schema: z.ZodType): GrammarSchema {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as GrammarSchema;
  return normalise(json, "$");
}

const STRING_FORMATS = new Set(["date-time", "time", "date"]);

function normalise(s: GrammarSchema, where: string): GrammarSchema {
  const out: GrammarSchema = {};
  if (s.description !== undefined) out.description = s.description;
  // `type` stays next to const/enum for strict servers; node-llama-cpp reads the const/enum first.
  if (s.type !== undefined && (s.const !== undefined || Array.isArray(s.enum))) out.type = s.type;
  if (s.const !== undefined) return { ...out, const: s.const };
  if (Array.isArray(s.enum)) return { ...out, enum: s.enum };
  const alternatives = (s.anyOf ?? s.oneOf) as GrammarSchema[] | undefined;
  if (alternatives) return { ...out, oneOf: alternatives.map((a, i) => normalise(a, `${where}|${i}`)) };
  if (typeof s.$ref === "string") throw new Error(`${where}: recursive schemas are not supported by the grammar`);
  switch (s.type) {
    case "object": {
      const props = (s.properties ?? {}) as Record<string, GrammarSchema>;
      const required = new Set((s.required ?? []) as string[]);
      const optional = Object.keys(props).filter((k) => !required.has(k));
      // node-llama-cpp's grammar makes every listed property required; a silent mismatch would fail zod later.
      if (optional.length) throw new Error(`${where}: optional properties (${optional.join(", ")}); use .nullable()`);
      const properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, normalise(v, `${where}.${k}`)]));
      const record = s.additionalProperties;
      const additional = record && typeof record === "object" ? normalise(record as GrammarSchema, `${where}.*`) : false;
      return { ...out, type: "object", properties, required: Object.keys(props), additionalProperties: additional };
    }
    case "array": {
      const arr: GrammarSchema = { ...out, type: "array" };
      if (s.items) arr.items = normalise(s.items as GrammarSchema, `${where}[]`);
      if (s.minItems !== undefined) arr.minItems = s.minItems;
      if (s.maxItems !== undefined) arr.maxItems = s.maxItems;
      return arr;
    }
    case "string": {
      const str: GrammarSchema = { ...out, type: "string" };
      if (typeof s.format === "string" && STRING_FORMATS.has(s.format)) str.format = s.format;
      else {
        if (s.minLength !== undefined) str.minLength = s.minLength;
        if (s.maxLength !== undefined) str.maxLength = s.maxLength;
      }
      return str;
    }
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return { ...out, type: s.type };
    default:
      throw new Error(`${where}: schema ${JSON.stringify(s).slice(0, 80)} has no grammar equivalent`);
  }
}
