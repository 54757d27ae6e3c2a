/**
 * What one batch line holds, for every reader of batch files (the CLI's and the web app's): CSV cells -> a raw
 * item (card fields, constraints, objective), and a raw item -> the API's recommendation input. No Node or zod
 * here, so the browser bundles it too.
 */

const NUMERIC_FIELDS = new Set(["samples", "classes", "imageSize", "channels", "depth", "budgetSeconds"]);
const CONSTRAINT_COLUMNS = ["budgetSeconds", "allowModels", "denyModels"];
/** CSV columns besides the card's: constraints (model lists separated by ";") and the objective. */
export const CSV_EXTRA = [...CONSTRAINT_COLUMNS, "objective"];

/** One CSV row -> a raw item: numbers where the field is numeric, constraints nested; an empty cell is left out. */
export function csvRowToRaw(header: string[], cells: string[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  header.forEach((h, j) => {
    const cell = cells[j];
    if (cell === "") return;
    raw[h] = NUMERIC_FIELDS.has(h) && cell.trim() !== "" && Number.isFinite(Number(cell)) ? Number(cell) : cell;
  });
  const constraints: Record<string, unknown> = {};
  for (const k of CONSTRAINT_COLUMNS) {
    if (raw[k] === undefined) continue;
    constraints[k] = k === "budgetSeconds" ? raw[k] : String(raw[k]).split(";").map((s) => s.trim()).filter(Boolean);
    delete raw[k];
  }
  if (Object.keys(constraints).length) raw.constraints = constraints;
  return raw;
}

/** A raw item -> {card, constraints?, objective?}: the line is the card, apart from its constraints and objective. */
export function rawToInput(raw: Record<string, unknown>): { card: Record<string, unknown>; constraints?: unknown; objective?: unknown } {
  const { constraints, objective, ...card } = raw;
  return { card, ...(constraints !== undefined && { constraints }), ...(objective !== undefined && { objective }) };
}
