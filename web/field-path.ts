/**
 * The form field an API error's path points at: "body.card: classes" -> classes (an InputError's "where"),
 * "body.constraints.budgetSeconds" -> budgetHours (the form asks hours), "body.objective" -> objective.
 */
export function fieldOf(path: string | undefined, fields: readonly string[]): string | undefined {
  const parts = (path ?? "").split(/[.:\s]+/).map((p) => (p === "budgetSeconds" ? "budgetHours" : p));
  return parts.reverse().find((p) => fields.includes(p));
}
