/**
 * The retrieval prior: what happened on the most similar past datasets vouches for configurations like the
 * ones that won there. On each neighbour, a candidate inherits the rank percentile of the nearest run of the
 * same model (squared distance over the encoded hyperparameters; missing against present counts 1); the prior
 * is the similarity-weighted mean over neighbours, centred at 0 so it only reorders. Added to the risk-adjusted
 * score with a weight, it removed the catastrophic picks of leave-one-dataset-out evaluation
 * (docs/eval-experiments.md).
 */
import type { Configuration } from "../learner/features.ts";
import type { MetaLearner } from "../learner/meta-learner.ts";
import type { DatasetSummary } from "../learner/pack.ts";
import type { Neighbour } from "./neighbours.ts";

/**
 * Weight of the prior in the ranking score (mean - lambda * spread + weight * prior): off by default since the
 * outcome models weight the top of each dataset (meta-learner.ts TOP_WEIGHT); with them, 0.5 cost 0.03 top-1.
 */
export const DEFAULT_PRIOR_WEIGHT = 0;

/** A dataset's runs by model, encoded on the hyperparameter columns. */
interface EncodedRuns {
  byModel: Map<string, { rows: Float32Array; percentiles: number[] }>;
}

const byLearner = new WeakMap<MetaLearner, RetrievalPrior>();

export class RetrievalPrior {
  /** One per meta-learner, so the recommender and the judge share its caches. */
  static of(learner: MetaLearner): RetrievalPrior {
    let p = byLearner.get(learner);
    if (!p) byLearner.set(learner, (p = new RetrievalPrior(learner)));
    return p;
  }

  private readonly hpCols: number[];
  private readonly runs = new WeakMap<DatasetSummary, EncodedRuns>();
  /** Per candidate list (blocks recur across requests) and neighbour, the inherited percentiles. */
  private readonly inherited = new WeakMap<readonly Configuration[], Map<DatasetSummary, Float64Array>>();
  private readonly encoded = new WeakMap<readonly Configuration[], Float32Array>();

  private constructor(private readonly learner: MetaLearner) {
    this.hpCols = learner.featureMap.columns.flatMap((c, j) => (c.kind === "hp" ? [j] : []));
  }

  /** The centred prior of each candidate; all zeros without neighbours that kept their runs. */
  prior(candidates: readonly Configuration[], neighbours: Neighbour[]): Float64Array {
    const out = new Float64Array(candidates.length);
    let wsum = 0;
    for (const nb of neighbours) {
      if (!nb.summary.runs.length) continue;
      const w = Math.max(nb.similarity, 0) + 1e-6;
      const p = this.percentilesOn(candidates, nb.summary);
      for (let i = 0; i < out.length; i++) out[i] += w * p[i];
      wsum += w;
    }
    if (wsum > 0) for (let i = 0; i < out.length; i++) out[i] = out[i] / wsum - 0.5;
    return out;
  }

  /** Each candidate's inherited percentile on one past dataset (0.5 where it ran no run of that model); cached. */
  percentilesOn(candidates: readonly Configuration[], summary: DatasetSummary): Float64Array {
    let bySummary = this.inherited.get(candidates);
    if (!bySummary) this.inherited.set(candidates, (bySummary = new Map()));
    let p = bySummary.get(summary);
    if (p) return p;
    const rows = this.rows(candidates);
    const runs = this.encodedRuns(summary);
    const n = this.learner.encoder.nCols;
    const h = this.hpCols.length;
    p = new Float64Array(candidates.length);
    candidates.forEach((c, i) => {
      const same = runs.byModel.get(c.model);
      let best = Infinity;
      let value = 0.5;
      for (let k = 0; same && k < same.percentiles.length; k++) {
        let d = 0;
        for (let j = 0; j < h && d < best; j++) {
          const a = rows[i * n + this.hpCols[j]];
          const b = same.rows[k * h + j];
          const am = a !== a;
          const bm = b !== b;
          d += am && bm ? 0 : am || bm ? 1 : (a - b) * (a - b);
        }
        if (d < best) {
          best = d;
          value = same.percentiles[k];
        }
      }
      p![i] = value;
    });
    bySummary.set(summary, p);
    return p;
  }

  private rows(candidates: readonly Configuration[]): Float32Array {
    let r = this.encoded.get(candidates);
    if (!r) this.encoded.set(candidates, (r = this.learner.encoder.encodeForDataset({ metaFeatures: {} }, candidates as Configuration[])));
    return r;
  }

  private encodedRuns(summary: DatasetSummary): EncodedRuns {
    let e = this.runs.get(summary);
    if (e) return e;
    const n = this.learner.encoder.nCols;
    const h = this.hpCols.length;
    const all = this.learner.encoder.encodeForDataset({ metaFeatures: {} }, summary.runs);
    const grouped = new Map<string, number[]>();
    summary.runs.forEach((r, k) => grouped.set(r.model, [...(grouped.get(r.model) ?? []), k]));
    e = { byModel: new Map() };
    for (const [model, ks] of grouped) {
      const rows = new Float32Array(ks.length * h);
      ks.forEach((k, at) => this.hpCols.forEach((col, j) => (rows[at * h + j] = all[k * n + col])));
      e.byModel.set(model, { rows, percentiles: ks.map((k) => summary.runs[k].percentile) });
    }
    this.runs.set(summary, e);
    return e;
  }
}
