/**
 * The configurations a game starts from or explains: the default baseline (defined here, in one place) and
 * user-given configurations (--baseline / --config JSON), checked against the pack's search space.
 */
import type { HpValue, Hyperparameter } from "../../metadata/schema.ts";
import type { Configuration } from "../../learner/features.ts";
import type { Pack } from "../../learner/pack.ts";
import { applyConditions } from "../../recommend/candidates.ts";
import { InputError } from "../../util/errors.ts";

/**
 * The baseline a library user would start from: the space's `default` where it has one; else, over the runs the
 * pack records (each past dataset's best runs), the most common value (categoricals, booleans, the model) or
 * the lower median (numbers, so it is a value runs really used); else the middle of the range. Defaults of
 * libraries are chosen to work well, and so are these: tunability then measures gains over a sound start.
 */
export function defaultConfiguration(pack: Pack): Configuration {
  const runs = pack.datasets.flatMap((d) => d.topRuns);
  const space = pack.space.searchSpace;
  const hps: Record<string, HpValue> = {};
  for (const [name, hp] of Object.entries(space.hyperparameters)) {
    const seen = runs.map((r) => r.hyperparameters[name]).filter((v): v is Exclude<HpValue, null> => v !== null && v !== undefined);
    const numeric = hp.type === "float" || hp.type === "int";
    hps[name] = hp.default ?? (seen.length ? (numeric ? lowerMedian(seen.map(Number)) : mostCommon(seen)) : undefined) ?? middle(hp);
  }
  const model = mostCommon(runs.map((r) => r.model).filter((m) => pack.space.models.includes(m))) ?? pack.space.models[0];
  return { model, hyperparameters: applyConditions(space, model, hps) };
}

/**
 * Reads a configuration given as JSON: {"model": ..., "hyperparameters": {...}} or flat {"model": ..., "lr": ...}.
 * Hyperparameters it leaves out take `fill`'s values; unknown names and values outside the space are errors.
 */
export function parseConfiguration(raw: unknown, pack: Pack, fill: Configuration, where: string): Configuration {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InputError("a configuration must be a JSON object", where, 'write {"model": "...", "hyperparameters": {"lr": 0.001, ...}}');
  const obj = raw as Record<string, unknown>;
  const nested = typeof obj.hyperparameters === "object" && obj.hyperparameters !== null && !Array.isArray(obj.hyperparameters);
  const given = (nested ? obj.hyperparameters : Object.fromEntries(Object.entries(obj).filter(([k]) => k !== "model"))) as Record<string, unknown>;
  const space = pack.space.searchSpace.hyperparameters;
  const known = Object.keys(space);
  const unknown = Object.keys(given).filter((k) => !(k in space));
  if (unknown.length) throw new InputError(`unknown hyperparameter${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => JSON.stringify(u)).join(", ")}`, where, `one of: ${known.join(", ")}`);
  const model = obj.model ?? fill.model;
  if (typeof model !== "string" || !pack.space.models.includes(model)) throw new InputError(`unknown model ${JSON.stringify(model)}`, `${where}: model`, `one of: ${pack.space.models.join(", ")}`);
  const hps: Record<string, HpValue> = { ...fill.hyperparameters };
  for (const [name, v] of Object.entries(given)) hps[name] = checkValue(name, v, space[name], `${where}: ${name}`);
  return { model, hyperparameters: applyConditions(pack.space.searchSpace, model, hps) };
}

function checkValue(name: string, v: unknown, hp: Hyperparameter, where: string): HpValue {
  if (v === null) return null; // inactive / unset: the trees take their missing-value branch
  if (hp.type === "categorical") {
    if (hp.values.includes(String(v)) && typeof v !== "object") return String(v);
    throw new InputError(`${JSON.stringify(v)} is not a value of ${name}`, where, `one of: ${hp.values.join(", ")}`);
  }
  if (hp.type === "bool") {
    if (typeof v === "boolean") return v;
    throw new InputError(`${name} needs true or false, got ${JSON.stringify(v)}`, where);
  }
  const ok = typeof v === "number" && Number.isFinite(v) && ((v >= hp.low && v <= hp.high) || hp.values?.includes(v)) && (hp.type === "float" || Number.isInteger(v));
  if (!ok) throw new InputError(`${name} needs ${hp.type === "int" ? "an integer" : "a number"} in [${hp.low}, ${hp.high}], got ${JSON.stringify(v)}`, where, hp.values ? `values runs used: ${hp.values.join(", ")}` : undefined);
  return v as number;
}

function mostCommon<T>(values: T[]): T | undefined {
  const counts = new Map<string, { v: T; n: number }>();
  for (const v of values) {
    const c = counts.get(String(v)) ?? { v, n: 0 };
    c.n++;
    counts.set(String(v), c);
  }
  // Ties go to the first seen, so the choice does not depend on Map internals.
  let best: { v: T; n: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best?.v;
}

function lowerMedian(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function middle(hp: Hyperparameter): HpValue {
  if (hp.type === "categorical") return hp.values[0];
  if (hp.type === "bool") return false;
  if (hp.values?.length) return lowerMedian(hp.values);
  const mid = hp.log && hp.low > 0 ? Math.sqrt(hp.low * hp.high) : (hp.low + hp.high) / 2;
  return hp.type === "int" ? Math.round(mid) : mid;
}
