/** Small statistics shared by training, evaluation, summaries and benchmarks. */
import { createRng } from "./random.ts";

/** Median; an empty list is an error (callers decide what "no values" means). */
export function median(values: readonly number[]): number {
  if (!values.length) throw new Error("median of an empty list");
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Values at 0, 1/steps, ..., 1 of the sorted sample (linear interpolation). */
export function quantiles(values: readonly number[], steps: number): number[] {
  if (!values.length) return [];
  const s = [...values].sort((a, b) => a - b);
  return Array.from({ length: steps + 1 }, (_, k) => {
    const pos = (k / steps) * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  });
}

/** Average ranks (ties share their mean rank), 0-based. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Rank percentiles in [0, 1], 1 = largest, ties averaged; `single` for a one-value list. */
export function rankPercentiles(values: readonly number[], single = 1): number[] {
  if (values.length === 1) return [single];
  return averageRanks(values).map((r) => r / (values.length - 1));
}

/** Spearman rank correlation (Pearson on average ranks); NaN when either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = a.length;
  const ma = ra.reduce((s, v) => s + v, 0) / n;
  const mb = rb.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? NaN : num / Math.sqrt(da * db);
}

/**
 * Percentile-bootstrap interval of a mean over independent units (e.g. held-out datasets): `level` (0.9 = a
 * 90% interval) of the means of `resamples` samples drawn with replacement. Seeded, so a report is repeatable.
 * With fewer than two values the interval is the value itself.
 */
export function bootstrapMeanInterval(values: readonly number[], level = 0.9, resamples = 2000, seed = 0): [number, number] {
  const n = values.length;
  if (n === 0) throw new Error("bootstrap of an empty list");
  if (n === 1) return [values[0], values[0]];
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)];
    means[b] = s / n;
  }
  const at = (q: number) => {
    const pos = q * (resamples - 1);
    const lo = Math.floor(pos);
    return means[lo] + (means[Math.min(resamples - 1, lo + 1)] - means[lo]) * (pos - lo);
  };
  means.sort();
  return [at((1 - level) / 2), at((1 + level) / 2)];
}
