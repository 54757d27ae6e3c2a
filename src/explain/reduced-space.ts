/**
 * A reduced search space for a follow-up HPO run: hyperparameters of negligible importance are fixed at their
 * best-contributing value, the rest are narrowed to their good ranges / good categories.
 */
import { z } from "zod";
import { HpValue, SearchSpace, type Hyperparameter } from "../metadata/schema.ts";
import type { GoodRange, ValueStat } from "./good-ranges.ts";
import type { Importance } from "./importance.ts";
import { fmt } from "../util/format.ts";

/**
 * A search space (the one format `--search-space` reads) whose models, fixed values and rationale are given.
 * Packs written before this format nested the space ({searchSpace: {hyperparameters}, models, fixed}): read too.
 */
export const ReducedSpace = z.preprocess(
  (v) => (v && typeof v === "object" && "searchSpace" in v ? (({ searchSpace, ...rest }: { searchSpace: object }) => ({ ...searchSpace, ...rest }))(v as { searchSpace: object }) : v),
  SearchSpace.extend({ models: z.array(z.string()), fixed: z.record(z.string(), HpValue), rationale: z.record(z.string(), z.string()) }),
);
export type ReducedSpace = z.infer<typeof ReducedSpace>;

export interface ReduceOptions {
  /** Hyperparameters whose share of the hyperparameters' total importance is below this are fixed. */
  minShare?: number;
  /** Keep at least this many models. */
  minModels?: number;
}

export function reduceSpace(
  space: SearchSpace,
  models: string[],
  importance: Importance[],
  ranges: GoodRange[],
  opts: ReduceOptions = {},
): ReducedSpace {
  const minShare = opts.minShare ?? 0.02;
  const hpImp = importance.filter((i) => i.kind === "hp");
  const total = hpImp.reduce((s, i) => s + i.meanAbsShap, 0) || 1;
  const share = new Map(hpImp.map((i) => [i.name, i.meanAbsShap / total]));
  const rangeOf = new Map(ranges.map((r) => [r.name, r]));

  const kept: Record<string, Hyperparameter> = {};
  const fixed: Record<string, HpValue> = {};
  const rationale: Record<string, string> = {};
  for (const [name, hp] of Object.entries(space.hyperparameters)) {
    const sh = share.get(name) ?? 0;
    const r = rangeOf.get(name);
    if (sh < minShare) {
      const v = bestValue(hp, r);
      if (v !== undefined) {
        fixed[name] = v;
        rationale[name] = `fixed at ${fmt(v)}: ${(sh * 100).toFixed(1)}% of hyperparameter importance`;
        continue;
      }
    }
    kept[name] = narrow(hp, r);
    rationale[name] = describeNarrowing(hp, kept[name], sh);
  }

  const modelRange = rangeOf.get("model");
  const goodModels = modelRange?.good.map((s) => s.category!).filter((m) => models.includes(m)) ?? [];
  const ranked = modelRange ? modelRange.stats.map((s) => s.category!).filter((m) => models.includes(m)) : models;
  const keepModels = goodModels.length >= (opts.minModels ?? 3) ? goodModels : ranked.slice(0, Math.max(opts.minModels ?? 3, goodModels.length));
  rationale.model = `${keepModels.length} of ${models.length} models have a positive mean contribution`;
  return { hyperparameters: kept, source: "inferred", models: keepModels, fixed, rationale };
}

/** The part of a configuration and its constraints a reduced space must honour. */
export interface Pick {
  model: string;
  hyperparameters: Record<string, HpValue>;
}

/**
 * The pack's reduced space made to fit one answer: the models it may use (the constraints' lists, always the
 * pick's model), the fixed values the pick's own (or the user's), every searched range and category widened to
 * contain the pick's value, and grids inside their ranges. So a follow-up search starts from the recommendation.
 */
export function reducedSpaceFor(base: ReducedSpace, space: SearchSpace, allowed: readonly string[], pick: Pick, userFixed: Record<string, HpValue> = {}): ReducedSpace {
  const models = [...new Set([pick.model, ...base.models.filter((m) => allowed.includes(m))])];
  const hyperparameters: Record<string, Hyperparameter> = {};
  const fixed: Record<string, HpValue> = {};
  const rationale: Record<string, string> = { ...base.rationale };
  if (models.length !== base.models.length || models.some((m, i) => m !== base.models[i])) rationale.model = `${models.length} models: the recommendation's and those of the pack's reduced space the constraints allow`;
  for (const [name, hp] of Object.entries(space.hyperparameters)) {
    const v = pick.hyperparameters[name];
    if (name in userFixed) {
      fixed[name] = userFixed[name];
      rationale[name] = `fixed at ${fmt(userFixed[name])} by the constraints`;
    } else if (name in base.fixed) {
      // Inactive for the pick (null): the pack's value stands for the models where it applies.
      fixed[name] = v ?? base.fixed[name];
      if (v !== null && v !== undefined && v !== base.fixed[name]) rationale[name] = `fixed at ${fmt(v)} (the recommendation's value)${reasonAfter(base.rationale[name])}`;
    } else {
      const before = base.hyperparameters[name] ?? hp;
      hyperparameters[name] = containing(before, v);
      // The pack's reason said how it narrowed the range; say that the pick's value widened it again.
      if (widened(before, hyperparameters[name]) && base.rationale[name])
        rationale[name] = `${base.rationale[name].split(":")[0]}, then widened to ${rangeText(hyperparameters[name])} to hold the recommendation's ${fmt(v!)}${reasonAfter(base.rationale[name])}`;
    }
  }
  return { hyperparameters, source: base.source, models, fixed, rationale };
}

const widened = (before: Hyperparameter, after: Hyperparameter): boolean =>
  after.type === "categorical" ? after.values.length > (before as typeof after).values.length : after.type !== "bool" && (after.low < (before as typeof after).low || after.high > (before as typeof after).high);

/** A range as the rationale writes it: "[1.00e-4, 0.1]", or the categories. */
function rangeText(hp: Hyperparameter): string {
  if (hp.type === "categorical") return hp.values.join(", ");
  if (hp.type === "bool") return "true, false";
  return `[${fmt(hp.low)}, ${fmt(hp.high)}]`;
}

/** "fixed at 0.1: 1.2% of importance" -> ": 1.2% of importance". */
const reasonAfter = (r: string | undefined) => (r?.includes(":") ? r.slice(r.indexOf(":")) : "");

/** The hyperparameter's range or categories widened to hold `v`, its grid kept inside its range. */
function containing(hp: Hyperparameter, v: HpValue | undefined): Hyperparameter {
  if (hp.type === "categorical") return typeof v === "string" && !hp.values.includes(v) ? { ...hp, values: [...hp.values, v] } : hp;
  if (hp.type === "bool") return hp;
  let { low, high, log } = hp;
  if (typeof v === "number") {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  // A log scale cannot reach 0 (weight_decay 0 beside 1e-5..0.1): the range that must hold it is linear.
  if (log && low <= 0) log = false;
  const values = hp.values?.filter((g) => g >= low && g <= high);
  return { ...hp, low, high, log, ...(hp.values ? { values } : {}) } as Hyperparameter;
}

function bestStat(r: GoodRange | undefined): ValueStat | undefined {
  if (!r?.stats.length) return undefined;
  return r.stats.reduce((a, b) => (b.meanShap > a.meanShap ? b : a));
}

function bestValue(hp: Hyperparameter, r: GoodRange | undefined): HpValue | undefined {
  if (hp.default !== undefined && !r) return hp.default;
  const s = bestStat(r);
  if (!s) return hp.default;
  if (s.category !== undefined) return hp.type === "bool" ? s.category === "true" : s.category;
  if (s.low === undefined || s.high === undefined) return hp.default;
  const mid = hp.type !== "bool" && "log" in hp && hp.log && s.low > 0 ? Math.sqrt(s.low * s.high) : (s.low + s.high) / 2;
  return hp.type === "int" ? Math.round(mid) : Number(mid.toPrecision(4));
}

function narrow(hp: Hyperparameter, r: GoodRange | undefined): Hyperparameter {
  if (!r?.good.length) return hp;
  if (hp.type === "float" || hp.type === "int") {
    const low = Math.max(hp.low, Math.min(...r.good.map((g) => g.low!)));
    const high = Math.min(hp.high, Math.max(...r.good.map((g) => g.high!)));
    if (!(low < high)) return hp;
    return { ...hp, low: hp.type === "int" ? Math.floor(low) : low, high: hp.type === "int" ? Math.ceil(high) : high };
  }
  if (hp.type === "categorical") {
    const values = hp.values.filter((v) => r.good.some((g) => g.category === v));
    return values.length ? { ...hp, values } : hp;
  }
  return hp;
}

function describeNarrowing(before: Hyperparameter, after: Hyperparameter, share: number): string {
  const pct = `${(share * 100).toFixed(1)}% of hyperparameter importance`;
  if ((before.type === "float" || before.type === "int") && (after.type === "float" || after.type === "int")) {
    if (before.low === after.low && before.high === after.high) return `kept in full: ${pct}`;
    return `narrowed from [${fmt(before.low)}, ${fmt(before.high)}] to [${fmt(after.low)}, ${fmt(after.high)}]: ${pct}`;
  }
  if (before.type === "categorical" && after.type === "categorical" && after.values.length < before.values.length)
    return `narrowed to ${after.values.join(", ")}: ${pct}`;
  return `kept: ${pct}`;
}
