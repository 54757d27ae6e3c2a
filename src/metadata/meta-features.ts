/** Standard meta-features (schema.ts META_FEATURES) derived the same way for every source. */
import type { MetaFeatures } from "./schema.ts";

export interface BasicCounts {
  n_samples: number;
  n_classes: number;
  image_size?: number;
  channels?: number;
  depth?: number;
  n_features?: number;
}

/** Counts plus their logs and samples per class; absent inputs stay absent. */
export function deriveMetaFeatures(c: BasicCounts): MetaFeatures {
  const out: MetaFeatures = { n_samples: c.n_samples, n_classes: c.n_classes, log_n_samples: Math.log10(c.n_samples) };
  if (c.n_classes > 0) {
    out.samples_per_class = c.n_samples / c.n_classes;
    out.log_samples_per_class = Math.log10(out.samples_per_class);
  }
  for (const k of ["image_size", "channels", "depth", "n_features"] as const) if (c[k] !== undefined) out[k] = c[k]!;
  return out;
}

export interface ClassStats {
  imbalance_ratio: number;
  /** Shannon entropy of the class distribution divided by log(K): 1 = perfectly balanced, towards 0 = one class dominates. */
  class_entropy: number;
  min_class_size: number;
  max_class_size: number;
  mean_class_size: number;
}

/** Class-size statistics (MetaLLMiX): imbalance = largest / smallest class, normalised entropy. */
export function classStats(counts: number[]): ClassStats {
  const total = counts.reduce((a, b) => a + b, 0);
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log(c / total);
  return {
    imbalance_ratio: min > 0 ? max / min : Infinity,
    class_entropy: counts.length > 1 ? h / Math.log(counts.length) : 1,
    min_class_size: min,
    max_class_size: max,
    mean_class_size: total / counts.length,
  };
}
