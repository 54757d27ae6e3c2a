/**
 * Turns a meta-learner score into the metric people know. A rank pack predicts a percentile within the
 * dataset; what accuracy that percentile means is read off the outcome distributions of the most similar past
 * datasets (similarity-weighted). The range: with a calibration, the prediction plus the residual bounds of
 * picks on held-out datasets (calibration.ts); without one (older packs), the members' spread and the
 * neighbours' disagreement, which say nothing about coverage.
 */
import type { Neighbour } from "./neighbours.ts";
import { statedInterval, type Calibration } from "./calibration.ts";

/** Value of a dataset's outcome distribution at percentile p in [0,1] (for "max" metrics p=1 is the best). */
export function atPercentile(q: number[], p: number, direction: "max" | "min"): number {
  const x = Math.min(1, Math.max(0, direction === "max" ? p : 1 - p)) * (q.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(q.length - 1, lo + 1);
  return q[lo] + (q[hi] - q[lo]) * (x - lo);
}

export type MetricScale = (mean: number, spread: number) => { metric: number; interval: [number, number] };

/** The scale for one request's neighbours: weights and bounds computed once, applied to every candidate. */
export function metricScale(neighbours: Neighbour[], direction: "max" | "min", calibration?: Calibration): MetricScale {
  const ns = neighbours.filter((n) => n.summary.quantiles.length > 1);
  if (!ns.length) return () => ({ metric: NaN, interval: [NaN, NaN] });
  const qs = ns.map((n) => n.summary.quantiles);
  const w = ns.map((n) => Math.max(n.similarity, 0) + 1e-6);
  const total = w.reduce((a, b) => a + b, 0);
  // Never outside what was observed on these datasets (e.g. an accuracy above 100 %).
  const floor = Math.min(...qs.map((q) => q[0]));
  const ceil = Math.max(...qs.map((q) => q[q.length - 1]));
  const clamp = (v: number) => Math.min(ceil, Math.max(floor, v));
  // One pass over the neighbours per candidate: this runs for every candidate of every request.
  return (mean, spread) => {
    let m = 0;
    let m2 = 0;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < qs.length; i++) {
      const v = atPercentile(qs[i], mean, direction);
      m += w[i] * v;
      m2 += w[i] * v * v;
      lo += w[i] * atPercentile(qs[i], mean - spread, direction);
      hi += w[i] * atPercentile(qs[i], mean + spread, direction);
    }
    const metric = m / total;
    if (calibration) return { metric, interval: statedInterval(metric, calibration, floor, ceil) };
    const sd = Math.sqrt(Math.max(0, m2 / total - metric * metric));
    const a = clamp(lo / total - sd);
    const b = clamp(hi / total + sd);
    return { metric, interval: [Math.min(a, b), Math.max(a, b)] };
  };
}
