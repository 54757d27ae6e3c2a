/** zod on every body, query and route parameter; the first issue becomes a 400 naming its path. */
import type { Request } from "express";
import type { z } from "zod";
import { fromZod } from "./errors.ts";

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parse(schema, req.body, "body");
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parse(schema, req.query, "query");
}

export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parse(schema, req.params, "params");
}

/** Any value (a header, an optional body) against a schema; `where` prefixes the path of the 400. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  // With the value, the 400 quotes what was sent (errors.ts).
  if (!r.success) throw fromZod(r.error, where, schema, value);
  return r.data;
}
