/**
 * A reduced search space for a follow-up HPO run: hyperparameters of negligible importance are fixed at their
 * best-contributing value, the rest are narrowed to their good ranges / good categories.
 */
import { z } from "zod";
import { HpValue, SearchSpace, type Hyperparameter } from "../metadata/schema.ts";
import type { GoodRange, ValueStat } from "./good-ranges.ts";
import type { Importance } from "./importance.ts";
import { fmt } from "../util/format.ts";

export const ReducedSpace = z.object({
  searchSpace: SearchSpace,
  models: z.array(z.string()),
  /** Hyperparameters dropped from the search and the value to fix them at. */
  fixed: z.record(z.string(), HpValue),
  /** Why each hyperparameter was kept, narrowed or fixed. */
  rationale: z.record(z.string(), z.string()),
});
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
  return { searchSpace: { hyperparameters: kept, source: "inferred" }, models: keepModels, fixed, rationale };
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
