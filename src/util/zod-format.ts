import type { ZodError } from "zod";

/**
 * Formats a zod error as "path: message" lines, so a user sees which field and what was expected; with the value
 * that was parsed (`sent`), each line also quotes what was given there; `pathName` says a path as the user wrote it.
 */
export function formatZodError(e: ZodError, where?: string, sent?: unknown, pathName: (path: string) => string = (p) => p): string {
  return e.issues
    .map((i) => {
      const p = i.path.length ? pathName(i.path.join(".")) : "(root)";
      return `${where ? `${where}: ` : ""}${p}: ${sent === undefined ? i.message : issueText(i, valueAt(sent, i.path))}`;
    })
    .join("\n");
}

/** The value at `path` inside `value` (undefined where there is none). */
export const valueAt = (v: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((x, k) => (x !== null && typeof x === "object" ? (x as Record<PropertyKey, unknown>)[k] : undefined), v);

/**
 * zod's message with the value that was sent at the issue's path, so a user sees what they gave beside what was
 * expected; a field left out is said to be missing rather than "received undefined".
 */
export function issueText(issue: ZodError["issues"][number], sent: unknown): string {
  // By the message, not the value: a ZodError thrown elsewhere comes without the value it parsed.
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `missing: expected ${issue.expected}`;
  if (sent === undefined || issue.code === "unrecognized_keys") return issue.message;
  const text = JSON.stringify(sent) ?? String(sent);
  return `${issue.message}; got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
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
