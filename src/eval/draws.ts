/**
 * What a figure owes to the seed draw. The zero-shot pick is an argmax over near-ties, so the same recipe with other
 * seeds for its ensemble members picks other runs: one draw moved leave-one-dataset-out top-1 by 0.07 and the micro
 * validation figure by 0.3 (docs/eval-experiments.md, seventh session). `hporec eval --draws k` runs the evaluation
 * with first seeds s, s + 100, ..., and reports the mean over draws with an interval over datasets of each
 * dataset's mean over draws: the expected figure of the recipe, not of one lucky (or unlucky) draw.
 */
import { coverage, summarise } from "./metrics.ts";
import type { DrawsSummary, RankedDatasetResult } from "./types.ts";
import type { StudyDatasetResult, StudyDraws } from "./study-eval.ts";

/** Seeds between draws: far enough apart that no two draws share a member (ensembles stay under 100 members). */
export const DRAW_SEED_STEP = 100;

export function drawSeeds(draws: number, firstSeed: number): number[] {
  return Array.from({ length: draws }, (_, j) => firstSeed + j * DRAW_SEED_STEP);
}

/** Summarises the per-dataset results of several draws over the same held-out datasets. */
export function summariseDraws(firstSeeds: readonly number[], draws: readonly (readonly RankedDatasetResult[])[]): DrawsSummary {
  if (draws.length === 0 || draws.length !== firstSeeds.length) throw new Error("internal: one result per draw expected");
  const ids = draws[0].map((d) => d.datasetId);
  for (const d of draws) if (d.length !== ids.length || d.some((r, i) => r.datasetId !== ids[i])) throw new Error("internal: draws over different datasets");
  // Per dataset its mean over draws (kept for paired comparisons, `hporec compare`); the summaries are over these.
  const datasets = ids.map((datasetId, i) => ({
    datasetId,
    top1: mean(draws.map((d) => d[i].top1)),
    top3: mean(draws.map((d) => d[i].top3)),
    top5: mean(draws.map((d) => d[i].top5)),
    catastrophicDraws: draws.filter((d) => d[i].catastrophic).length,
  }));
  return {
    firstSeeds: [...firstSeeds],
    perDraw: draws.map((d, j) => ({
      firstSeed: firstSeeds[j],
      top1: mean(d.map((r) => r.top1)),
      top3: mean(d.map((r) => r.top3)),
      top5: mean(d.map((r) => r.top5)),
      catastrophic: d.filter((r) => r.catastrophic).length,
      coverage: coveredOf(d),
    })),
    top1: summarise(datasets.map((d) => d.top1)),
    top3: summarise(datasets.map((d) => d.top3)),
    top5: summarise(datasets.map((d) => d.top5)),
    catastrophic: mean(draws.map((d) => d.filter((r) => r.catastrophic).length)),
    catastrophicSomewhere: datasets.filter((d) => d.catastrophicDraws > 0).map((d) => d.datasetId),
    datasets,
  };
}

/** The same for studies: per method that every draw ran, the best-so-far curve over draws. */
export function summariseStudyDraws(firstSeeds: readonly number[], trials: readonly number[], draws: readonly (readonly StudyDatasetResult[])[]): StudyDraws {
  const methods = (["hporec", "zero-shot"] as const).filter((m) => draws.every((d) => d.every((r) => r.bestSoFar[m])));
  // Per dataset and method its best-so-far after each n, mean over draws; the curves are over these.
  const datasets = draws[0].map((r, i) => ({
    datasetId: r.datasetId,
    bestSoFar: Object.fromEntries(methods.map((m) => [m, trials.map((_, k) => mean(draws.map((d) => d[i].bestSoFar[m]![k])))])) as Partial<Record<(typeof methods)[number], number[]>>,
  }));
  return {
    firstSeeds: [...firstSeeds],
    perDraw: draws.map((d, j) => ({ firstSeed: firstSeeds[j], curves: Object.fromEntries(methods.map((m) => [m, trials.map((_, k) => mean(d.map((r) => r.bestSoFar[m]![k])))])) })),
    datasets,
    curves: methods.map((method) => ({
      method,
      curve: trials.map((n, k) => {
        const s = summarise(datasets.map((d) => d.bestSoFar[method]![k]));
        return { n, mean: s.mean, interval: s.interval };
      }),
    })),
  };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function coveredOf(results: readonly RankedDatasetResult[]): { covered: number; of: number } | null {
  const c = coverage(results);
  return c && { covered: c.covered, of: c.of };
}
