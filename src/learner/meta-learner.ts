/**
 * The meta-learner: an ensemble of boosted-tree models predicting the (rank-normalised) outcome of a
 * configuration on a dataset, plus one model predicting its cost. Members can be trained on different subsets
 * of the past datasets (`bag`), so that their spread says how much a prediction depends on which datasets were
 * seen (transfer uncertainty), not only on the seed. Optionally a head that ranks the candidates:
 *   - "ranking": the outcome trees with leaves refitted for a per-dataset ranking objective (lambdarank.ts),
 *     ordering the places after the pick;
 *   - "acceptable": its own ensemble of classifiers of P(regret <= threshold) on a past dataset (targets.ts),
 *     which picks and orders;
 *   - "full-length": its own ensemble trained on every run at several training lengths, with the length as one
 *     more column, scoring candidates at the past runs' full length (full-length.ts); orders the places after
 *     the pick.
 */
import { z } from "zod";
import type { MetaDataset } from "../metadata/schema.ts";
import { buildFeatureMap, FeatureEncoder, type Configuration, type DatasetFeatures, type FeatureMap } from "./features.ts";
import { acceptableLabels, costTarget, outcomeTargets, rankingGains, runsByDataset, type TargetKind } from "./targets.ts";
import { createRng, shuffle } from "../util/random.ts";
import { hashSeed } from "../util/hash.ts";
import { refitForRanking } from "./lambdarank.ts";
import { withLeafValues } from "./binary-model.ts";
import { predictTrees, sameTrees, type TreeModel } from "./trees.ts";
import { BlockPredictor, RegionFinder } from "./block-predictor.ts";
import { fullLength, lengthRows, lengthTrainingRows, withLengthColumn } from "./full-length.ts";
import { trainBooster, type BoosterParamsInput } from "./xgboost.ts";

export interface Prediction {
  /** Ensemble mean of the outcome target (rank in [0,1] for rank targets). */
  mean: Float64Array;
  /** Ensemble standard deviation: disagreement between seeds. */
  spread: Float64Array;
  /** Predicted total training seconds (NaN when the pack has no cost model). */
  seconds: Float64Array;
  /** Mean score of the head (higher = better placed), when the learner has one. */
  order?: Float64Array;
  /** Spread of the head's members. */
  orderSpread?: Float64Array;
}

/** What ranks the candidates besides the outcome ensemble (see the top of this file). */
export const Head = z.enum(["none", "ranking", "acceptable", "full-length"]);
export type Head = z.infer<typeof Head>;

/** Configurations prepared once for repeated prediction: one block predictor per model. */
export interface PreparedConfigurations {
  size: number;
  outcome: BlockPredictor[];
  cost?: BlockPredictor;
  head: BlockPredictor[];
}

/**
 * Mean and standard deviation over ensemble members, per row; with weights (one per member), the weighted mean and
 * the standard deviation under reliability weights (equal weights give the plain sample standard deviation).
 */
function meanAndSpread(members: Float64Array[], nRows: number, weights?: Float64Array): { mean: Float64Array; spread: Float64Array } {
  if (weights) return weightedMeanAndSpread(members, nRows, weights);
  const mean = new Float64Array(nRows);
  const sq = new Float64Array(nRows);
  for (const p of members) {
    for (let i = 0; i < nRows; i++) {
      mean[i] += p[i];
      sq[i] += p[i] * p[i];
    }
  }
  const k = members.length;
  const spread = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    mean[i] /= k;
    spread[i] = k > 1 ? Math.sqrt(Math.max(0, (sq[i] - k * mean[i] * mean[i]) / (k - 1))) : 0;
  }
  return { mean, spread };
}

function weightedMeanAndSpread(members: Float64Array[], nRows: number, w: Float64Array): { mean: Float64Array; spread: Float64Array } {
  const sw = w.reduce((a, x) => a + x, 0);
  const sw2 = w.reduce((a, x) => a + x * x, 0);
  const mean = new Float64Array(nRows);
  members.forEach((p, m) => {
    for (let i = 0; i < nRows; i++) mean[i] += (w[m] * p[i]) / sw;
  });
  const spread = new Float64Array(nRows);
  const denom = sw - sw2 / sw;
  if (denom > 0) {
    members.forEach((p, m) => {
      for (let i = 0; i < nRows; i++) spread[i] += w[m] * (p[i] - mean[i]) ** 2;
    });
    for (let i = 0; i < nRows; i++) spread[i] = Math.sqrt(spread[i] / denom);
  }
  return { mean, spread };
}

/** Ensemble mean and spread of the outcome models and of the head; seconds from the cost model's log10 prediction. */
function combine(outcome: Float64Array[], cost: Float64Array | undefined, head: Float64Array[], nRows: number, weights?: Float64Array): Prediction {
  const { mean, spread } = meanAndSpread(outcome, nRows, weights);
  const seconds = new Float64Array(nRows).fill(NaN);
  if (cost) for (let i = 0; i < nRows; i++) seconds[i] = 10 ** cost[i];
  if (!head.length) return { mean, spread, seconds };
  const h = meanAndSpread(head, nRows, head.length === outcome.length ? weights : undefined);
  return { mean, spread, seconds, order: h.mean, orderSpread: h.spread };
}

export interface TrainOptions {
  /** How many times a run in the top fifth of its dataset counts in the outcome models (default TOP_WEIGHT). */
  topWeight?: number;
  target: TargetKind;
  /** Members of the ensembles (each with its own seed and, with `bag` < 1, its own subset of datasets). */
  seeds: number;
  /** Seed of the first member (members use firstSeed, firstSeed + 1, ...; default 0): rerun with another to see what a figure owes to the seeds. */
  firstSeed?: number;
  params?: Partial<BoosterParamsInput>;
  costParams?: Partial<BoosterParamsInput>;
  /** The head (default DEFAULT_HEAD). */
  head?: Head;
  /** The acceptable head's label: regret on the run's dataset at most this (default ACCEPTABLE_REGRET). */
  acceptThreshold?: number;
  /** Fraction of the past datasets each member is trained on (default 1: all). */
  bag?: number;
  /** Model columns also carry what the model zoo knows of each model (default DEFAULT_MODEL_DESCRIPTORS). */
  modelDescriptors?: boolean;
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
export const DEFAULT_HEAD: Head = "ranking";
const RANKING_REFIT = { eta: 0.1, lambda: 1 };

/**
 * Model descriptors (size, ImageNet accuracy, resolution: src/metadata/model-zoo.ts) next to the one-hot.
 * Off until measured on the nested and validation figures (docs/eval-experiments.md, seventh session).
 */
export const DEFAULT_MODEL_DESCRIPTORS = false;

/** A run is "acceptable" when its regret on its dataset is at most this: the complement of a catastrophic pick. */
export const ACCEPTABLE_REGRET = 0.3;

/**
 * Fraction of the past datasets each member sees by default. At 0.8 the members' spread says how much a
 * prediction depends on which past datasets were seen (transfer uncertainty, issue #13), and with risk aversion
 * 1 (scoring.ts) the pick must be good whichever they were: it won on the micro validation set and in
 * leave-one-dataset-out (docs/eval-experiments.md). 1 = all datasets, members differ by their seed only.
 */
export const DEFAULT_BAG = 0.8;

export interface TrainedModels {
  featureMap: FeatureMap;
  outcome: { model: TreeModel; bytes: Uint8Array }[];
  cost?: { model: TreeModel; bytes: Uint8Array };
  /** The head's members: for "ranking", one per outcome model (its trees, leaves refitted). */
  head?: { kind: Exclude<Head, "none">; models: { model: TreeModel; bytes: Uint8Array }[]; fullLength?: number };
  /** The past datasets each outcome member was trained on (by index). */
  memberDatasets?: string[][];
}

export class MetaLearner {
  readonly encoder: FeatureEncoder;
  private finders?: Map<TreeModel, RegionFinder>;

  constructor(
    readonly featureMap: FeatureMap,
    readonly outcome: TreeModel[],
    readonly cost: TreeModel | undefined,
    readonly target: TargetKind,
    /** The head's members; for "ranking", head[i] has outcome[i]'s trees with leaves refitted (lambdarank.ts). */
    readonly head: TreeModel[] = [],
    readonly headKind: Head = head.length ? "ranking" : "none",
    /** For the "full-length" head: the training length (epochs) candidates are scored at. */
    readonly fullLength = 1,
    /** The past datasets each outcome member was trained on (unknown in packs, which do not store them). */
    readonly memberDatasets?: readonly (readonly string[])[],
  ) {
    this.encoder = new FeatureEncoder(featureMap);
  }

  /** The head's input: the full-length head reads one more column, the training length. */
  private headRows(rows: Float32Array, nRows: number): Float32Array {
    return this.headKind === "full-length" ? withLengthColumn(rows, nRows, this.encoder.nCols, this.fullLength) : rows;
  }

  /** The learner of freshly trained models. */
  static from(models: TrainedModels, target: TargetKind): MetaLearner {
    const m = (x: { model: TreeModel }) => x.model;
    return new MetaLearner(models.featureMap, models.outcome.map(m), models.cost?.model, target, models.head?.models.map(m), models.head?.kind ?? "none", models.head?.fullLength, models.memberDatasets);
  }

  /** Predicts encoded rows (row-major, `encoder.nCols` columns); `weights`, one per member, weigh the ensemble. */
  predictRows(rows: Float32Array, nRows: number, weights?: Float64Array): Prediction {
    const headRows = this.headRows(rows, nRows);
    return combine(
      this.outcome.map((m) => predictTrees(m, rows, nRows)),
      this.cost && predictTrees(this.cost, rows, nRows),
      this.head.map((m) => predictTrees(m, headRows, nRows)),
      nRows,
      weights,
    );
  }

  /** Predicts many configurations on one dataset. */
  predict(dataset: DatasetFeatures, configs: Configuration[], weights?: Float64Array): Prediction {
    return this.predictRows(this.encoder.encodeForDataset(dataset, configs), configs.length, weights);
  }

  /**
   * Member weights for a new dataset from its neighbours (past datasets with their similarity): each member counts
   * (1 − strength) + strength × the share of the neighbours' positive similarity among the datasets it was trained
   * on, so members that saw datasets like this one weigh more. Undefined when the members' datasets are unknown.
   */
  memberWeights(neighbours: readonly { id: string; similarity: number }[], strength: number): Float64Array | undefined {
    if (!this.memberDatasets || strength <= 0) return undefined;
    const total = neighbours.reduce((a, n) => a + Math.max(0, n.similarity), 0);
    if (total <= 0) return undefined;
    return Float64Array.from(this.memberDatasets, (ids) => {
      const seen = new Set(ids);
      const share = neighbours.reduce((a, n) => a + (seen.has(n.id) ? Math.max(0, n.similarity) : 0), 0) / total;
      return 1 - strength + strength * share;
    });
  }

  /** Prepares a fixed list of configurations for prediction on dataset after dataset (see block-predictor.ts). */
  prepare(configs: Configuration[]): PreparedConfigurations {
    const rows = this.encoder.encodeForDataset({ metaFeatures: {} }, configs);
    const block = (m: TreeModel) => new BlockPredictor(this.regionFinder(m), rows, configs.length);
    const outcome = this.outcome.map(block);
    // A ranking head has the outcome models' trees: its predictors are their twins (shared regions and caches).
    const headRows = this.headRows(rows, configs.length);
    const head =
      this.headKind === "ranking"
        ? this.head.map((m, i) => outcome[i].twin(m))
        : this.head.map((m) => new BlockPredictor(this.regionFinder(m), headRows, configs.length));
    return { size: configs.length, outcome, cost: this.cost && block(this.cost), head };
  }

  /** The region finder of one of this learner's models, shared by every block: a dataset is located once per model. */
  regionFinder(model: TreeModel): RegionFinder {
    if (!this.finders) {
      // The full-length head's extra last column is the configuration's (its training length): 0.
      const datasetColumn = Uint8Array.from([...this.featureMap.columns, undefined], (c) => (c?.kind === "meta" || c?.kind === "domain" ? 1 : 0));
      const own = this.headKind === "ranking" ? [] : this.head;
      this.finders = new Map([...this.outcome, ...(this.cost ? [this.cost] : []), ...own].map((m) => [m, new RegionFinder(m, datasetColumn)]));
    }
    const f = this.finders.get(model);
    if (f) return f;
    // A ranking head member has its outcome twin's trees (leaves refitted): the twin's regions, as in `prepare`.
    const i = this.headKind === "ranking" ? this.head.indexOf(model) : -1;
    if (i < 0) throw new Error("internal: not a model of this meta-learner");
    if (!sameTrees(this.outcome[i], model)) throw new Error("internal: a ranking head member needs its outcome member's trees");
    return this.regionFinder(this.outcome[i]);
  }

  /** Same as `predict(dataset, configs, weights)` for the configurations given to `prepare`. */
  predictPrepared(dataset: DatasetFeatures, prepared: PreparedConfigurations, weights?: Float64Array): Prediction {
    const row = new Float32Array(this.encoder.nCols);
    this.encoder.writeDataset(row, 0, dataset);
    return combine(
      prepared.outcome.map((b) => b.predict(row)),
      prepared.cost?.predict(row),
      prepared.head.map((b) => b.predict(row)),
      prepared.size,
      weights,
    );
  }

  /** Trains the outcome ensemble (one model per member), the head and the cost model on a meta-dataset. */
  static train(md: MetaDataset, opts: TrainOptions): TrainedModels {
    const featureMap = buildFeatureMap(md, { modelDescriptors: opts.modelDescriptors ?? DEFAULT_MODEL_DESCRIPTORS });
    const encoder = new FeatureEncoder(featureMap);
    const datasets = new Map(md.datasets.map((d) => [d.id, d]));
    const rows = encoder.encode(md.runs.map((r) => ({ dataset: datasets.get(r.datasetId)!, config: r })));
    const nCols = encoder.nCols;
    const y = outcomeTargets(md, opts.target);
    const headKind = opts.head ?? DEFAULT_HEAD;
    const first = opts.firstSeed ?? 0;
    const members = memberRuns(md, opts.seeds, opts.bag ?? DEFAULT_BAG, first);

    // Integer sample weights by repetition: this XGBoost build takes no weights (docs/eval-experiments.md).
    const k = opts.topWeight ?? TOP_WEIGHT;
    const ranks = k > 1 ? (opts.target === "rank" ? y : outcomeTargets(md, "rank")) : undefined;
    const times = md.runs.map((_, i) => (ranks && ranks[i] >= TOP_FIFTH ? k : 1));
    const outcome = members.map((idx, s) => {
      const w = repeatRows(rows, nCols, y, times, idx);
      const m = trainBooster(w.rows, w.n, nCols, w.y, { ...DEFAULT_PARAMS, ...opts.params, seed: first + s });
      opts.onModel?.(`outcome member ${s}`);
      return m;
    });
    let head: TrainedModels["head"];
    if (headKind === "ranking") {
      const groups = [...runsByDataset(md).values()];
      const gains = rankingGains(md);
      head = {
        kind: headKind,
        models: outcome.map((o, s) => {
          const inMember = new Set(members[s]);
          const model = refitForRanking(o.model, rows, md.runs.length, groups.map((g) => g.filter((i) => inMember.has(i))).filter((g) => g.length), gains, RANKING_REFIT);
          opts.onModel?.(`ranking head member ${s}`);
          return { model, bytes: withLeafValues(o.bytes, model) };
        }),
      };
    } else if (headKind === "full-length") {
      // Every run at several lengths, all past datasets per member (the evidence of docs/eval-experiments.md).
      const at = lengthRows(md);
      const ys = at.map((r) => r.target);
      const all = at.map((_, j) => j);
      const repeated = repeatRows(lengthTrainingRows(rows, nCols, at), nCols + 1, ys, ys.map((t) => (t >= TOP_FIFTH ? k : 1)), all);
      head = {
        kind: headKind,
        fullLength: fullLength(md),
        models: outcome.map((_, s) => {
          const m = trainBooster(repeated.rows, repeated.n, nCols + 1, repeated.y, { ...DEFAULT_PARAMS, ...opts.params, seed: first + s });
          opts.onModel?.(`full-length head member ${s}`);
          return m;
        }),
      };
    } else if (headKind === "acceptable") {
      const labels = acceptableLabels(md, opts.acceptThreshold ?? ACCEPTABLE_REGRET);
      const ones = md.runs.map(() => 1);
      head = {
        kind: headKind,
        models: members.map((idx, s) => {
          const w = repeatRows(rows, nCols, labels, ones, idx);
          const m = trainBooster(w.rows, w.n, nCols, w.y, { ...DEFAULT_PARAMS, ...opts.params, objective: "binary:logistic", seed: first + s });
          opts.onModel?.(`acceptable head member ${s}`);
          return m;
        }),
      };
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
    const memberDatasets = members.map((idx) => [...new Set(idx.map((i) => md.runs[i].datasetId))]);
    return { featureMap, outcome, cost, head, memberDatasets };
  }
}

/**
 * The runs each ensemble member trains on: all of them, or (bag < 1) those of its own seeded random subset of
 * round(bag x datasets) past datasets (at least two), so members disagree where the datasets disagree.
 */
export function memberRuns(md: MetaDataset, members: number, bag: number, firstSeed = 0): number[][] {
  const all = md.runs.map((_, i) => i);
  if (bag >= 1) return Array.from({ length: members }, () => all);
  const ids = md.datasets.map((d) => d.id).sort();
  const take = Math.max(2, Math.round(bag * ids.length));
  return Array.from({ length: members }, (_, s) => {
    const chosen = new Set(shuffle([...ids], createRng(hashSeed(firstSeed + s, "bag"))).slice(0, take));
    return all.filter((i) => chosen.has(md.runs[i].datasetId));
  });
}

/** The rows `idx` (and their labels), row i repeated times[i] times. */
function repeatRows(rows: Float32Array, nCols: number, y: number[], times: number[], idx: number[]): { rows: Float32Array; y: number[]; n: number } {
  const n = idx.reduce((a, i) => a + times[i], 0);
  const out = new Float32Array(n * nCols);
  const labels: number[] = [];
  idx.forEach((i) => {
    for (let c = 0; c < times[i]; c++) {
      out.set(rows.subarray(i * nCols, (i + 1) * nCols), labels.length * nCols);
      labels.push(y[i]);
    }
  });
  return { rows: out, y: labels, n };
}
