/**
 * Random search as a baseline, scored exactly instead of sampled: N configurations drawn uniformly WITHOUT
 * replacement from the n candidates. With the outcomes sorted ascending y_(1..n), the best drawn is y_(i) with
 * probability C(i−1, N−1) / C(n, N). Expectations are taken of each quantity of the best drawn (score, regret,
 * catastrophic flag) over that distribution, not of the quantity at the expected best. N > n evaluates all.
 */
import { isCatastrophic, normalisedScore, outcomeScale, regret } from "./metrics.ts";

export interface RandomSearchExpectation {
  score: number;
  regret: number;
  /** Probability that the best drawn is a catastrophic pick. */
  catastrophic: number;
}

/**
 * P(best of N draws = the i-th smallest), 0-based i. Computed from the top down through the ratio
 * p_(i−1) / p_i = (i − N) / (i − 1) starting at p_n = N / n, so nothing overflows for any n (binomials near
 * C(200, 100) ≈ 1e59 are never formed); tiny probabilities underflow harmlessly to 0.
 */
export function bestOfNProbabilities(n: number, evaluations: number): Float64Array {
  if (!Number.isInteger(evaluations) || evaluations < 1) throw new Error(`evaluations must be a positive integer, got ${evaluations}`);
  const N = Math.min(evaluations, n);
  const p = new Float64Array(n);
  if (n === 0) return p;
  p[n - 1] = N / n;
  for (let i = n; i > N; i--) p[i - 2] = (p[i - 1] * (i - N)) / (i - 1);
  return p;
}

export function expectedRandomSearch(ys: readonly number[], evaluations: number): RandomSearchExpectation {
  const sorted = [...ys].sort((a, b) => a - b);
  const s = outcomeScale(sorted);
  const p = bestOfNProbabilities(sorted.length, evaluations);
  const out = { score: 0, regret: 0, catastrophic: 0 };
  sorted.forEach((y, i) => {
    if (p[i] === 0) return;
    const r = regret(y, s);
    out.score += p[i] * normalisedScore(y, s);
    out.regret += p[i] * r;
    if (isCatastrophic(r)) out.catastrophic += p[i];
  });
  return out;
}

/**
 * Smallest N whose expected normalised score reaches `score` (within rounding); Infinity when even evaluating
 * every candidate does not (only for scores above 1). The expectation grows with N, so a bisection suffices.
 */
export function evaluationsToMatch(ys: readonly number[], score: number): number {
  const reaches = (N: number) => expectedRandomSearch(ys, N).score >= score - 1e-9;
  if (!reaches(ys.length)) return Infinity;
  let lo = 1;
  let hi = ys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (reaches(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Smallest number of random trials whose expected best on a mean curve (below) reaches `score`; undefined beyond the curve. */
export function randomTrialsToMatch(curve: readonly { evaluations: number; score: number }[], score: number): number | undefined {
  return curve.find((p) => p.score >= score - 1e-9)?.evaluations;
}

/** Mean over datasets of the expected score after N = 1..maxN evaluations (N clamped to each dataset's n). */
export function randomSearchCurve(datasets: readonly (readonly number[])[], maxN: number): { evaluations: number; score: number }[] {
  return Array.from({ length: maxN }, (_, k) => ({
    evaluations: k + 1,
    score: datasets.reduce((a, ys) => a + expectedRandomSearch(ys, k + 1).score, 0) / datasets.length,
  }));
}
