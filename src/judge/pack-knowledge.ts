/**
 * What the judge needs from a pack besides the meta-learner: its explanations (good ranges, importance), the
 * ids of every evidence document its index holds, a recommender to recompute predictions with, the names a text
 * may use, and the tolerances of numeric claims. Computed once per pack: a batch judges many answers.
 */
import type { DatasetSummary, Pack } from "../learner/pack.ts";
import type { Explanations } from "../explain/explain-learner.ts";
import { readExplanations } from "../explain/pack-explanations.ts";
import { evidenceFromPack } from "../retrieval/evidence-from-pack.ts";
import { Recommender } from "../recommend/recommender.ts";
import type { Vocabulary } from "./claims/extract.ts";
import type { TextTolerances } from "./claims/check.ts";

export interface PackKnowledge {
  explanations: Explanations;
  evidenceIds: Set<string>;
  /** Scores configurations exactly as recommendations are scored (no knowledge index needed). */
  recommender: Recommender;
  summaries: Map<string, DatasetSummary>;
  vocabulary: Vocabulary;
  tolerances: TextTolerances;
}

const cache = new WeakMap<Pack, PackKnowledge>();

export function packKnowledge(pack: Pack, recommender?: Recommender): PackKnowledge {
  let k = cache.get(pack);
  if (!k) {
    const ex = recommender?.explanations ?? readExplanations(pack);
    // The index is built from exactly these documents, so their ids are the ones an answer may cite.
    k = {
      explanations: ex,
      evidenceIds: new Set(evidenceFromPack(pack, ex).map((d) => d.id)),
      recommender: recommender ?? new Recommender(pack, ex, async () => []),
      summaries: new Map(pack.datasets.map((d) => [d.id, d])),
      vocabulary: { models: pack.space.models, datasetIds: pack.datasets.map((d) => d.id), hyperparameters: pack.space.searchSpace.hyperparameters, metricName: pack.manifest.metric.name },
      tolerances: tolerances(pack),
    };
    cache.set(pack, k);
  }
  return k;
}

/** 1% of the range of outcomes seen on the pack's datasets; a metric that never exceeds 1.5 is a fraction. */
function tolerances(pack: Pack): TextTolerances {
  const qs = pack.datasets.flatMap((d) => (d.quantiles.length ? [d.quantiles[0], d.quantiles[d.quantiles.length - 1]] : [d.best, d.median]));
  const lo = Math.min(...qs);
  const hi = Math.max(...qs);
  const range = Number.isFinite(hi - lo) && hi > lo ? hi - lo : 1;
  return { metric: Number((0.01 * range).toPrecision(2)), fraction: Math.max(Math.abs(lo), Math.abs(hi)) <= 1.5 };
}
