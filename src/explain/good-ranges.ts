/**
 * Good-value ranges (the interpretable meta-modelling analysis of Cibula et al.): for each hyperparameter,
 * the values where its SHAP contribution is positive, how much it adds, and how consistently. Numeric
 * hyperparameters are cut into quantile bins (in log space when the space is log) and adjacent good bins are
 * merged into intervals; categoricals (and the model) are judged per value.
 */
import type { HpValue, SearchSpace } from "../metadata/schema.ts";
import type { GroupedShap } from "./shap-matrix.ts";

export interface ValueStat {
  /** Numeric interval [low, high] or a category. */
  low?: number;
  high?: number;
  category?: string;
  n: number;
  /** Mean SHAP contribution of the hyperparameter for rows in this bin. */
  meanShap: number;
  /** Fraction of those rows with a positive contribution. */
  positiveShare: number;
}

export interface GoodRange {
  name: string;
  type: "numeric" | "categorical";
  log?: boolean;
  /** Every bin / category, in order. */
  stats: ValueStat[];
  /** Merged intervals or categories where the contribution is positive (meanShap > 0 and positiveShare >= 0.5). */
  good: ValueStat[];
}

export interface RowContext {
  /** Hyperparameter values of each explained row ("model" included). */
  values: Record<string, HpValue>[];
  /** Domain of each row's dataset, for per-domain analysis. */
  domains: (string | undefined)[];
}

const isGood = (s: ValueStat) => s.n > 0 && s.meanShap > 0 && s.positiveShare >= 0.5;

export function goodRanges(shap: GroupedShap, ctx: RowContext, space: SearchSpace, rowFilter?: (r: number) => boolean, bins = 8): GoodRange[] {
  const out: GoodRange[] = [];
  const g = shap.groups.length;
  shap.groups.forEach((name, j) => {
    if (shap.kinds[j] !== "hp" && shap.kinds[j] !== "model") return;
    const hp = space.hyperparameters[name];
    const pairs: { v: HpValue; s: number }[] = [];
    for (let r = 0; r < shap.nRows; r++) {
      if (rowFilter && !rowFilter(r)) continue;
      const v = name === "model" ? ctx.values[r].model : ctx.values[r][name];
      if (v !== undefined && v !== null) pairs.push({ v, s: shap.values[r * g + j] });
    }
    if (!pairs.length) return;
    const numeric = hp !== undefined && (hp.type === "float" || hp.type === "int");
    if (numeric) {
      const log = hp.log;
      const stats = numericBins(pairs.map((p) => ({ x: Number(p.v), s: p.s })), bins, log);
      out.push({ name, type: "numeric", log, stats, good: mergeGood(stats) });
    } else {
      const byCat = new Map<string, number[]>();
      for (const p of pairs) {
        const list = byCat.get(String(p.v)) ?? [];
        list.push(p.s);
        byCat.set(String(p.v), list);
      }
      const stats = [...byCat.entries()].map(([category, s]) => ({ category, ...summary(s) })).sort((a, b) => b.meanShap - a.meanShap);
      out.push({ name, type: "categorical", stats, good: stats.filter(isGood) });
    }
  });
  return out;
}

function summary(s: number[]): { n: number; meanShap: number; positiveShare: number } {
  return { n: s.length, meanShap: s.reduce((a, b) => a + b, 0) / s.length, positiveShare: s.filter((v) => v > 0).length / s.length };
}

function numericBins(points: { x: number; s: number }[], bins: number, log: boolean): ValueStat[] {
  const pts = points.filter((p) => Number.isFinite(p.x) && (!log || p.x > 0)).sort((a, b) => a.x - b.x);
  if (!pts.length) return [];
  const distinct = new Set(pts.map((p) => p.x)).size;
  const k = Math.max(1, Math.min(bins, distinct));
  const stats: ValueStat[] = [];
  // Quantile bins that never split equal values, so each value belongs to exactly one bin.
  let start = 0;
  for (let b = 0; b < k && start < pts.length; b++) {
    let end = b === k - 1 ? pts.length : Math.max(start + 1, Math.round(((b + 1) * pts.length) / k));
    while (end < pts.length && pts[end].x === pts[end - 1].x) end++;
    const chunk = pts.slice(start, end);
    stats.push({ low: chunk[0].x, high: chunk[chunk.length - 1].x, ...summary(chunk.map((p) => p.s)) });
    start = end;
  }
  return stats;
}

/** Merges runs of adjacent good bins into intervals, weighting their statistics by row counts. */
function mergeGood(stats: ValueStat[]): ValueStat[] {
  const out: ValueStat[] = [];
  let cur: ValueStat | undefined;
  for (const s of stats) {
    if (!isGood(s)) {
      cur = undefined;
      continue;
    }
    if (!cur) {
      cur = { ...s };
      out.push(cur);
    } else {
      const n = cur.n + s.n;
      cur.meanShap = (cur.meanShap * cur.n + s.meanShap * s.n) / n;
      cur.positiveShare = (cur.positiveShare * cur.n + s.positiveShare * s.n) / n;
      cur.high = s.high;
      cur.n = n;
    }
  }
  return out;
}
