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
