/**
 * The JSON values of a file people hand over: JSONL (one value per non-empty line), or one JSON document, such as
 * a pretty-printed answer or an array of cards (its elements are the entries). An entry's `line` is its line in
 * JSONL, its 1-based position in a document.
 */
export type JsonEntry = { line: number; value: unknown } | { line: number; error: string };

export function readJsonEntries(text: string): JsonEntry[] {
  const whole = oneDocument(text);
  if (whole !== undefined) return (Array.isArray(whole) ? whole : [whole]).map((value, i) => ({ line: i + 1, value }));
  return text.split(/\r?\n/).flatMap((raw, i): JsonEntry[] => {
    if (!raw.trim()) return [];
    try {
      return [{ line: i + 1, value: JSON.parse(raw) }];
    } catch (e) {
      return [{ line: i + 1, error: (e as Error).message }];
    }
  });
}

/** A JSON object (not null, not an array): what a card or an answer must be. */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The text as one JSON object or array, when it is one (JSONL of two lines or more is not). */
function oneDocument(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
