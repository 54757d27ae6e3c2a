/**
 * Standardisation statistics of the meta-features, computed once from the past datasets and persisted with
 * the index, so documents and later queries are put on the same scale.
 */
import { z } from "zod";

export const FeatureStat = z.object({
  /** log1p before standardising: counts and sizes span orders of magnitude. */
  log: z.boolean(),
  mean: z.number(),
  std: z.number().positive(),
  weight: z.number().nonnegative().default(1),
});
export const MetaFeatureStats = z.object({ features: z.record(z.string(), FeatureStat) });
export type MetaFeatureStats = z.infer<typeof MetaFeatureStats>;

export interface StatsOptions {
  /** Per-feature weights (default 1); a weight of 0 drops a feature from the similarity. */
  weights?: Record<string, number>;
  /** Decide log-transformation by name; default: non-negative features whose (max+1)/(min+1) exceeds 10. */
  log?: (name: string, values: number[]) => boolean;
}

function countLike(_name: string, values: number[]): boolean {
  const min = Math.min(...values);
  return min >= 0 && (Math.max(...values) + 1) / (min + 1) > 10;
}

export function computeMetaFeatureStats(rows: Record<string, number>[], options: StatsOptions = {}): MetaFeatureStats {
  const byName = new Map<string, number[]>();
  for (const row of rows) {
    for (const [name, v] of Object.entries(row)) {
      if (!Number.isFinite(v)) continue;
      const list = byName.get(name) ?? [];
      list.push(v);
      byName.set(name, list);
    }
  }
  const features: MetaFeatureStats["features"] = {};
  for (const name of [...byName.keys()].sort()) {
    const values = byName.get(name)!;
    const log = (options.log ?? countLike)(name, values);
    const xs = values.map((v) => (log ? Math.log1p(v) : v));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    // A feature constant over the past datasets (every Quick-Tune image is 128 px) cannot tell them apart: it gets
    // weight 0, or a new dataset that differs in it (224 px) would be equally far from all of them and the
    // similarity would collapse onto that one difference. The recommender warns about it instead (extrapolation.ts).
    const constant = variance <= 1e-24;
    features[name] = { log, mean, std: constant ? 1 : Math.sqrt(variance), weight: constant ? 0 : (options.weights?.[name] ?? 1) };
  }
  return { features };
}

/** z-scores are clamped to +-Z_MAX: one extreme feature must not decide alone which past datasets are similar. */
export const Z_MAX = 4;

/**
 * Weighted z-scores in the stats' feature order (sorted names), clamped to +-Z_MAX. Missing or unknown-to-stats
 * features give 0, i.e. "average"; a negative value of a log-feature is clamped to 0.
 */
export function standardise(stats: MetaFeatureStats, features: Record<string, number>): number[] {
  return Object.entries(stats.features).map(([name, s]) => {
    const v = features[name];
    if (v === undefined || !Number.isFinite(v)) return 0;
    const x = s.log ? Math.log1p(Math.max(v, 0)) : v;
    return s.weight * Math.max(-Z_MAX, Math.min(Z_MAX, (x - s.mean) / s.std));
  });
}
