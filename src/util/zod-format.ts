import type { ZodError } from "zod";

/** Formats a zod error as "path: message" lines, so a user sees which field and what was expected. */
export function formatZodError(e: ZodError, where?: string): string {
  return e.issues
    .map((i) => {
      const p = i.path.length ? i.path.join(".") : "(root)";
      return `${where ? `${where}: ` : ""}${p}: ${i.message}`;
    })
    .join("\n");
}

/** What a zod schema exposes to walk it: an object's shape; a wrapper's or an array's inner schema (`unwrap`). */
interface SchemaNode {
  shape?: Record<string, unknown>;
  unwrap?: () => unknown;
}

/**
 * The field names of the object schema at `path` inside `schema` (through optional, nullable and default wrappers
 * and arrays), for telling a user which fields an object takes; undefined where there is no object.
 */
export function objectFields(schema: unknown, path: readonly PropertyKey[] = []): string[] | undefined {
  let node = schema as SchemaNode | undefined;
  const unwrap = () => {
    while (node && !node.shape && typeof node.unwrap === "function") node = node.unwrap() as SchemaNode;
  };
  for (const key of path) {
    unwrap();
    // An index needs no step: unwrapping an array already reached its element.
    if (typeof key !== "number") node = node?.shape?.[String(key)] as SchemaNode | undefined;
  }
  unwrap();
  return node?.shape ? Object.keys(node.shape) : undefined;
}
