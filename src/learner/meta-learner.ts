/**
 * The meta-learner: a seed ensemble of boosted-tree models predicting the (rank-normalised) outcome of a
 * configuration on a dataset, plus one model predicting its cost. The ensemble's spread is the uncertainty
 * the recommender penalises (risk-aware ranking: mean - lambda * spread). Optionally a ranking head: the same
 * trees with leaves refitted for a per-dataset ranking objective (lambdarank.ts), which orders the alternatives.
 */
import type { MetaDataset } from "../metadata/schema.ts";
import { buildFeatureMap, FeatureEncoder, type Configuration, type DatasetFeatures, type FeatureMap } from "./features.ts";
import { costTarget, outcomeTargets, rankingGains, runsByDataset, type TargetKind } from "./targets.ts";
import { refitForRanking } from "./lambdarank.ts";
import { withLeafValues } from "./binary-model.ts";
import { predictTrees, type TreeModel } from "./trees.ts";
import { BlockPredictor, RegionFinder } from "./block-predictor.ts";
import { trainBooster, type BoosterParamsInput } from "./xgboost.ts";

export interface Prediction {
  /** Ensemble mean of the outcome target (rank in [0,1] for rank targets). */
  mean: Float64Array;
  /** Ensemble standard deviation: disagreement between seeds. */
  spread: Float64Array;
  /** Predicted total training seconds (NaN when the pack has no cost model). */
  seconds: Float64Array;
  /** Mean ranking score of the ranking head (higher = better placed), when the learner has one. */
  order?: Float64Array;
}

/** Configurations prepared once for repeated prediction: one block predictor per model. */
export interface PreparedConfigurations {
  size: number;
  outcome: BlockPredictor[];
  cost?: BlockPredictor;
  ranking: BlockPredictor[];
}

/** Ensemble mean and spread of the outcome models; seconds from the cost model's log10 prediction; mean ranking score. */
function combine(outcome: Float64Array[], cost: Float64Array | undefined, ranking: Float64Array[], nRows: number): Prediction {
  const mean = new Float64Array(nRows);
  const sq = new Float64Array(nRows);
  for (const p of outcome) {
    for (let i = 0; i < nRows; i++) {
      mean[i] += p[i];
      sq[i] += p[i] * p[i];
    }
  }
  const k = outcome.length;
  const spread = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    mean[i] /= k;
    spread[i] = k > 1 ? Math.sqrt(Math.max(0, (sq[i] - k * mean[i] * mean[i]) / (k - 1))) : 0;
  }
  const seconds = new Float64Array(nRows).fill(NaN);
  if (cost) for (let i = 0; i < nRows; i++) seconds[i] = 10 ** cost[i];
  if (!ranking.length) return { mean, spread, seconds };
  const order = new Float64Array(nRows);
  for (const p of ranking) for (let i = 0; i < nRows; i++) order[i] += p[i] / ranking.length;
  return { mean, spread, seconds, order };
}

export interface TrainOptions {
  /** How many times a run in the top fifth of its dataset counts in the outcome models (default TOP_WEIGHT). */
  topWeight?: number;
  target: TargetKind;
  seeds: number;
  params?: Partial<BoosterParamsInput>;
  costParams?: Partial<BoosterParamsInput>;
  /** Also fit the ranking head (default RANKING_HEAD). */
  rankingHead?: boolean;
  /** Called after each model is trained, e.g. to advance a progress bar. */
  onModel?: (label: string) => void;
}

/**
 * Boosting defaults for ~4k rows x ~85 columns; subsample < 1 is what makes seeds differ. 150 rounds at eta 0.1
 * with `hist` ranks as well as 300 at 0.05 in leave-one-dataset-out evaluation (docs/eval-experiments.md) and
 * halves prediction time, which bounds a 2,000-candidate recommendation. `hporec eval` trains folds with these.
 */
export const DEFAULT_PARAMS: BoosterParamsInput = {
  objective: "reg:linear",
  tree_method: "hist",
  n_estimators: 150,
  max_depth: 6,
  eta: 0.1,
  subsample: 0.8,
  colsample_bytree: 0.8,
  min_child_weight: 1,
  seed: 0,
};

/**
 * The pick only needs the top of each dataset's ranking right: runs in the top fifth of their dataset count 5
 * times in the outcome models. In leave-one-dataset-out evaluation this lifted the ensemble mean's top-1 from
 * 0.891 to 0.932 (0.829 to 0.912 with other seeds), with no catastrophic pick (docs/eval-experiments.md #20-25).
 */
export const TOP_WEIGHT = 5;
const TOP_FIFTH = 0.8;

/**
 * The pick is the outcome ensemble's best; the places after it follow the ranking head. In leave-one-dataset-out
 * evaluation this lifted top-3 from 0.968 to 0.975 (0.968 to 0.971 with other seeds) with the same pick
 * (docs/eval-experiments.md #28-31). Refit shrinkage and L2 as XGBoost's defaults for our outcome models.
 */
export const RANKING_HEAD = true;
const RANKING_REFIT = { eta: 0.1, lambda: 1 };

export interface TrainedModels {
  featureMap: FeatureMap;
  outcome: { model: TreeModel; bytes: Uint8Array }[];
  cost?: { model: TreeModel; bytes: Uint8Array };
  /** One per outcome model: its trees with leaves refitted for ranking. */
  ranking?: { model: TreeModel; bytes: Uint8Array }[];
}

export class MetaLearner {
  readonly encoder: FeatureEncoder;
  private finders?: Map<TreeModel, RegionFinder>;

  constructor(
    readonly featureMap: FeatureMap,
    readonly outcome: TreeModel[],
    readonly cost: TreeModel | undefined,
    readonly target: TargetKind,
    /** The ranking head: ranking[i] has outcome[i]'s trees with leaves refitted for ranking (lambdarank.ts). */
    readonly ranking: TreeModel[] = [],
  ) {
    this.encoder = new FeatureEncoder(featureMap);
  }

  /** The learner of freshly trained models. */
  static from(models: TrainedModels, target: TargetKind): MetaLearner {
    const m = (x: { model: TreeModel }) => x.model;
    return new MetaLearner(models.featureMap, models.outcome.map(m), models.cost?.model, target, models.ranking?.map(m));
  }

  /** Predicts encoded rows (row-major, `encoder.nCols` columns). */
  predictRows(rows: Float32Array, nRows: number): Prediction {
    return combine(
      this.outcome.map((m) => predictTrees(m, rows, nRows)),
      this.cost && predictTrees(this.cost, rows, nRows),
      this.ranking.map((m) => predictTrees(m, rows, nRows)),
      nRows,
    );
  }

  /** Predicts many configurations on one dataset. */
  predict(dataset: DatasetFeatures, configs: Configuration[]): Prediction {
    return this.predictRows(this.encoder.encodeForDataset(dataset, configs), configs.length);
  }

  /** Prepares a fixed list of configurations for prediction on dataset after dataset (see block-predictor.ts). */
  prepare(configs: Configuration[]): PreparedConfigurations {
    const rows = this.encoder.encodeForDataset({ metaFeatures: {} }, configs);
    const block = (m: TreeModel) => new BlockPredictor(this.regionFinder(m), rows, configs.length);
    const outcome = this.outcome.map(block);
    return { size: configs.length, outcome, cost: this.cost && block(this.cost), ranking: this.ranking.map((m, i) => outcome[i].twin(m)) };
  }

  /** The region finder of one of this learner's models, shared by every block: a dataset is located once per model. */
  regionFinder(model: TreeModel): RegionFinder {
    if (!this.finders) {
      const datasetColumn = Uint8Array.from(this.featureMap.columns, (c) => (c.kind === "meta" || c.kind === "domain" ? 1 : 0));
      this.finders = new Map([...this.outcome, ...(this.cost ? [this.cost] : [])].map((m) => [m, new RegionFinder(m, datasetColumn)]));
    }
    const f = this.finders.get(model);
    if (!f) throw new Error("internal: not a model of this meta-learner");
    return f;
  }

  /** Same as `predict(dataset, configs)` for the configurations given to `prepare`. */
  predictPrepared(dataset: DatasetFeatures, prepared: PreparedConfigurations): Prediction {
    const row = new Float32Array(this.encoder.nCols);
    this.encoder.writeDataset(row, 0, dataset);
    return combine(
      prepared.outcome.map((b) => b.predict(row)),
      prepared.cost?.predict(row),
      prepared.ranking.map((b) => b.predict(row)),
      prepared.size,
    );
  }

  /** Trains the outcome ensemble (one model per seed) and the cost model on a meta-dataset. */
  static train(md: MetaDataset, opts: TrainOptions): TrainedModels {
    const featureMap = buildFeatureMap(md);
    const encoder = new FeatureEncoder(featureMap);
    const datasets = new Map(md.datasets.map((d) => [d.id, d]));
    const rows = encoder.encode(md.runs.map((r) => ({ dataset: datasets.get(r.datasetId)!, config: r })));
    const nCols = encoder.nCols;
    const y = outcomeTargets(md, opts.target);

    // Integer sample weights by repetition: this XGBoost build takes no weights (docs/eval-experiments.md).
    const k = opts.topWeight ?? TOP_WEIGHT;
    const ranks = k > 1 ? (opts.target === "rank" ? y : outcomeTargets(md, "rank")) : undefined;
    const weighted = repeatRows(rows, nCols, y, md.runs.map((_, i) => (ranks && ranks[i] >= TOP_FIFTH ? k : 1)));
    const outcome = [];
    for (let s = 0; s < opts.seeds; s++) {
      outcome.push(trainBooster(weighted.rows, weighted.n, nCols, weighted.y, { ...DEFAULT_PARAMS, ...opts.params, seed: s }));
      opts.onModel?.(`outcome seed ${s}`);
    }
    let ranking;
    if (opts.rankingHead ?? RANKING_HEAD) {
      const groups = [...runsByDataset(md).values()];
      const gains = rankingGains(md);
      ranking = outcome.map((o, s) => {
        const model = refitForRanking(o.model, rows, md.runs.length, groups, gains, RANKING_REFIT);
        opts.onModel?.(`ranking head seed ${s}`);
        return { model, bytes: withLeafValues(o.bytes, model) };
      });
    }

    const withCost = md.runs.flatMap((r, i) => {
      const c = costTarget(r);
      return c === undefined ? [] : [{ i, c }];
    });
    let cost;
    if (withCost.length >= 10) {
      const costRows = new Float32Array(withCost.length * nCols);
      withCost.forEach(({ i }, k) => costRows.set(rows.subarray(i * nCols, (i + 1) * nCols), k * nCols));
      cost = trainBooster(
        costRows,
        withCost.length,
        nCols,
        withCost.map((w) => w.c),
        { ...DEFAULT_PARAMS, ...opts.costParams, seed: 0 },
      );
      opts.onModel?.("cost");
    }
    return { featureMap, outcome, cost, ranking };
  }
}

/** Row i (and its label) repeated times[i] times. */
function repeatRows(rows: Float32Array, nCols: number, y: number[], times: number[]): { rows: Float32Array; y: number[]; n: number } {
  const n = times.reduce((a, b) => a + b, 0);
  const out = new Float32Array(n * nCols);
  const labels: number[] = [];
  times.forEach((t, i) => {
    for (let c = 0; c < t; c++) {
      out.set(rows.subarray(i * nCols, (i + 1) * nCols), labels.length * nCols);
      labels.push(y[i]);
    }
  });
  return { rows: out, y: labels, n };
}
