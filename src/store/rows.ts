/** Stored JSON read back through a schema: the value, or undefined after telling `onBad` why (to quarantine it). */
import type { z } from "zod";

/** Moves a record that does not read aside, with the reason (the `quarantine` table), and removes it where it was. */
export type Quarantine = (source: string, id: string, reason: string, data: string, remove: () => void) => void;

/** A JSON column read back through its schema; undefined (and quarantined) when it does not parse or validate. */
export function parseRow<S extends z.ZodType>(schema: S, data: string, onBad: (reason: string) => void): z.output<S> | undefined {
  try {
    return validate(schema, JSON.parse(data), onBad);
  } catch (e) {
    onBad(`not JSON: ${(e as Error).message}`);
    return undefined;
  }
}

export function validate<S extends z.ZodType>(schema: S, raw: unknown, onBad: (reason: string) => void): z.output<S> | undefined {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  onBad(r.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(row)"}: ${i.message}`).join("; "));
  return undefined;
}
