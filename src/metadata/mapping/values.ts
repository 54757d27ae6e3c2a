/**
 * Values as the mapping rewrites them: aliases per hyperparameter (`values`), categoricals derived from flag
 * columns (`derive`), and the reference's spelling of a value written another way (`hyperparameters: {like}`).
 */
import { parseCell } from "../io.ts";
import type { HpValue, Hyperparameter, SearchSpace } from "../schema.ts";
import type { Mapping } from "./schema.ts";

/** Typed equality: numbers by value, everything else exactly. */
export function sameValue(a: HpValue, b: HpValue): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)));
}

/** A mapping key written as text ('' for empty, '0.5', 'true') as the typed value it stands for. */
export const keyValue = (key: string): HpValue => parseCell(key);

export type Aliases = Map<string, { match: HpValue; to: HpValue }[]>;

export function compileAliases(values: Mapping["values"]): Aliases {
  return new Map(Object.entries(values ?? {}).map(([hp, table]) => [hp, Object.entries(table).map(([from, to]) => ({ match: keyValue(from), to }))]));
}

export function applyAliases(hp: Record<string, HpValue>, aliases: Aliases): void {
  for (const [name, list] of aliases) {
    const v = hp[name] ?? null;
    const hit = list.find((a) => sameValue(a.match, v));
    if (hit) hp[name] = hit.to;
  }
}

/** A flag counts as set unless it is empty, false, 0 or a word for nothing. */
export function isOn(v: HpValue): boolean {
  if (v === null || v === false || v === 0) return false;
  return !(typeof v === "string" && /^(|none|false|no|off|0)$/i.test(v.trim()));
}

export interface Derived {
  name: string;
  /** In order: the first set column gives its value. */
  sources: { column: string; value: string }[];
  otherwise: HpValue;
}

export function compileDerive(derive: Mapping["derive"]): Derived[] {
  return Object.entries(derive ?? {}).map(([name, d]) => ({
    name,
    sources: Array.isArray(d.from) ? d.from.map((c) => ({ column: c, value: c })) : Object.entries(d.from).map(([value, column]) => ({ value, column })),
    otherwise: d.else ?? null,
  }));
}

export function deriveValue(d: Derived, get: (column: string) => HpValue): HpValue {
  return d.sources.find((s) => isOn(get(s.column)))?.value ?? d.otherwise;
}

/**
 * A value in the text form two spellings share: Python/JSON lists and tuples compared as lists of numbers
 * ("[0,0.99]" = "[0.0, 0.99]" = "(0, 0.99)"), other text case-insensitively.
 */
export function canonical(v: HpValue): string {
  if (typeof v !== "string") return JSON.stringify(v);
  const t = v.trim();
  if (/^[[(].*[\])]$/.test(t)) {
    const json = t.replace(/^\(/, "[").replace(/\)$/, "]").replace(/\bNone\b/g, "null").replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false").replace(/'/g, '"');
    try {
      return JSON.stringify(JSON.parse(json));
    } catch {
      /* not a literal list */
    }
  }
  return t.toLowerCase();
}

/** Rewrites values to a reference's spelling where they mean the same value, counting each rewrite. */
export class Speller {
  private readonly counts = new Map<string, { hyperparameter: string; from: string; to: HpValue; count: number }>();
  private readonly categories = new Map<string, Map<string, string>>();

  constructor(private readonly space: SearchSpace) {
    for (const [name, p] of Object.entries(space.hyperparameters)) {
      if (p.type === "categorical") this.categories.set(name, new Map(p.values.map((v) => [canonical(v), v])));
    }
  }

  spell(name: string, v: HpValue): HpValue {
    const p = this.space.hyperparameters[name];
    if (!p || v === null) return v;
    const to = respell(p, v, this.categories.get(name));
    if (to === undefined) return v;
    const key = `${name}\u0000${String(v)}`;
    const c = this.counts.get(key) ?? { hyperparameter: name, from: String(v), to, count: 0 };
    c.count++;
    this.counts.set(key, c);
    return to;
  }

  /** What was rewritten, per hyperparameter and original value. */
  rewrites() {
    return [...this.counts.values()];
  }
}

function respell(p: Hyperparameter, v: Exclude<HpValue, null>, categories: Map<string, string> | undefined): HpValue | undefined {
  if (p.type === "categorical") {
    if (p.values.includes(String(v))) return undefined;
    return categories?.get(canonical(typeof v === "string" ? v : String(v)));
  }
  if (p.type === "bool") return typeof v === "number" && (v === 0 || v === 1) ? v === 1 : undefined;
  // A 0/1 number (amp, linear_probing in Quick-Tune's table) written as a boolean.
  if (typeof v === "boolean" && p.low === 0 && p.high === 1) return v ? 1 : 0;
  return undefined;
}
