/** How numbers appear in answers, evidence and tables: compact, exponent only for very small or large values. */
import type { HpValue } from "../metadata/schema.ts";

/** `significant` digits (default 4); below 1e-3 or from 1e5 in exponent form (1.00e-4 at the default). */
export function fmt(v: HpValue, significant = 4): string {
  if (typeof v !== "number") return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(significant - 2);
  return String(Number(v.toPrecision(significant)));
}

/** A good value as people read it: its category, one number when the interval is a single value, else low..high. */
export function formatValueRange(g: { low?: number; high?: number; category?: string }, separator = "..", significant = 4): string {
  if (g.category !== undefined) return g.category;
  return g.low === g.high ? fmt(g.low!, significant) : `${fmt(g.low!, significant)}${separator}${fmt(g.high!, significant)}`;
}

/** "1 result", "3 results": a count with its noun in the right number (`many` for irregular plurals). */
export const counted = (n: number, noun: string, many = `${noun}s`): string => `${n.toLocaleString("en-US")} ${n === 1 ? noun : many}`;

/** A duration for people: "45 s", "12 min", "2.5 h"; "unknown" without one. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return "unknown";
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** `v` rounded to `digits` decimals as a number; NaN and infinities stay as they are. */
export const roundTo = (v: number, digits: number): number => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);

/** How a number is written: so many decimals, or a function of it (e.g. `(x) => fmt(x, 2)`). */
export type Digits = number | ((x: number) => string);

/** `x` with its sign always written: "+0.123", "-0.045". */
export function signed(x: number, digits: Digits = 3): string {
  const text = typeof digits === "number" ? x.toFixed(digits) : digits(x);
  return x >= 0 ? `+${text}` : text;
}

/**
 * A SHAP driver as answers state it and the judge reads it back: "lr = 0.001 (+0.022)" (`sep` between name and
 * value); `mark` appends " (*)" to a driver with a training-length caveat, for lists that explain it once (TRAINING_LENGTH_MARK).
 */
export function formatDriver(d: { name: string; value: string; contribution: number; caveat?: string }, opts: { digits?: Digits; sep?: string; mark?: boolean } = {}): string {
  return `${d.name}${opts.sep ?? " = "}${d.value} (${signed(d.contribution, opts.digits)})${opts.mark ? caveatMark(d) : ""}`;
}

/** How many drivers a suggestion shows (CLI study text, web study page). */
export const shownDrivers = <T>(drivers: T[]): T[] => drivers.slice(0, 3);

/** True when a shown driver of any suggestion carries the mark, so the list explains it once (TRAINING_LENGTH_MARK). */
export const anyMarkedDriver = (suggestions: { drivers: { caveat?: string }[] }[]): boolean =>
  suggestions.some((s) => shownDrivers(s.drivers).some((d) => d.caveat));

/** " (*)" for a driver with a training-length caveat, else nothing. */
export const caveatMark = (d: { caveat?: string }): string => (d.caveat ? " (*)" : "");

/** What a driver marked (*) means (src/explain/training-length.ts; `hporec explain` gives the figures). */
export const TRAINING_LENGTH_MARK = "(*) in the past runs this driver's effect is mostly how long runs trained, not the value itself (hporec explain lists why)";
