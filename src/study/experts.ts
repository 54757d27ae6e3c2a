/**
 * The experts a study weighs (learn.ts): the zero-shot model and the past datasets. A past dataset "predicts" a
 * configuration by the percentile the nearest run of the same model reached there (the retrieval prior's
 * reading, retrieval-prior.ts), so it can rank any configuration the user tells, not only its own runs.
 */
import { z } from "zod";
import type { Configuration } from "../learner/features.ts";
import type { DatasetSummary } from "../learner/pack.ts";
import type { MetaLearner } from "../learner/meta-learner.ts";
import type { Candidate } from "../recommend/candidates.ts";
import type { RetrievalPrior } from "../recommend/retrieval-prior.ts";
import { ZERO_SHOT, type Expert } from "./learn.ts";

/** Run experts are named `runs:<dataset id>`, beside the card expert named by the dataset id. */
const RUNS = "runs:";

/** The past dataset an expert stands for (its card expert's id, or its run expert's without the prefix). */
export function datasetOfExpert(id: string): string {
  return id.startsWith(RUNS) ? id.slice(RUNS.length) : id;
}

/** One expert per past dataset that kept its runs. */
export function pastDatasetExperts(prior: RetrievalPrior, summaries: Iterable<DatasetSummary>): Expert[] {
  return [...summaries].filter((d) => d.runs.length > 0).map((d) => ({ id: `${RUNS}${d.id}`, score: (configs) => prior.percentilesOn(configs, d) }));
}

/**
 * One expert per past dataset: the meta-learner's ranking as if the configuration ran there (its card) — the
 * head's order when the learner has one, as the zero-shot ranking uses, else the outcome ensemble's mean.
 */
export function pastCardExperts(learner: MetaLearner, summaries: Iterable<DatasetSummary>): Expert[] {
  return [...summaries].map((d) => ({
    id: d.id,
    score: (configs) => {
      const p = learner.predict(d, configs as Configuration[]);
      return p.order ?? p.mean;
    },
  }));
}

/**
 * Which past-dataset experts a study weighs: "cards" (the meta-learner on each past card), "runs" (nearest-run
 * percentiles) or "both". With the improvement acquisition (learn.ts) "both" was chosen on MedQuickTune's
 * leave-one-out, not on the data the figures are reported on: the card experts rank much like the zero-shot model,
 * the run experts keep what the past datasets' own runs found (docs/eval-experiments.md).
 */
export const ExpertKind = z.enum(["cards", "runs", "both"]);
export type ExpertKind = z.infer<typeof ExpertKind>;
export const EXPERT_KINDS: readonly ExpertKind[] = ExpertKind.options;
export const DEFAULT_EXPERTS: ExpertKind = "both";

export function studyExperts(learner: MetaLearner, prior: RetrievalPrior, summaries: readonly DatasetSummary[], kind: ExpertKind = DEFAULT_EXPERTS): Expert[] {
  return [...(kind !== "runs" ? pastCardExperts(learner, summaries) : []), ...(kind !== "cards" ? pastDatasetExperts(prior, summaries) : [])];
}

/**
 * The zero-shot model as an expert: a pool candidate scores by its place in the zero-shot ranking, any other
 * configuration (one the user ran on their own) by `score`, placed among the pool's scores.
 */
export function zeroShotExpert(pool: readonly Candidate[], poolScores: ArrayLike<number>, score: (configs: readonly Configuration[]) => ArrayLike<number>): Expert {
  const rank = new Map(pool.map((c, i) => [c.id, i]));
  const byIdentity = new Map<Configuration, number>(pool.map((c, i) => [c, i]));
  return {
    id: ZERO_SHOT,
    score(configs) {
      const out = new Float64Array(configs.length);
      const unknown: number[] = [];
      configs.forEach((c, k) => {
        const i = byIdentity.get(c) ?? ("id" in c ? rank.get(String(c.id)) : undefined);
        if (i === undefined) unknown.push(k);
        else out[k] = poolScores[i];
      });
      if (unknown.length) {
        const s = score(unknown.map((k) => configs[k]));
        unknown.forEach((k, j) => (out[k] = s[j]));
      }
      return out;
    },
  };
}
