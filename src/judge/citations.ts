/** Evidence citations in a text: "[ds:APL]", "[hp:lr]" (a value like "[0.9, 0.99]" is not one). */
export const CITATION = /\[([A-Za-z][\w-]*:[^\]\s,]+)\]/g;

export function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(CITATION)].map((m) => m[1]))];
}
