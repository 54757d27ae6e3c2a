/**
 * Boosted trees as flat typed arrays, and the prediction hot path. The recommender scores thousands of
 * candidates per request and HP-importance games need millions of predictions, so nodes are not objects:
 * every tree's nodes live in shared arrays, indexed globally, with the right child always at left + 1.
 */

/** Single-output objectives of XGBoost 0.7 (ml-xgboost) that `predictTrees` can transform. */
export const OBJECTIVES = [
  "reg:linear",
  "reg:logistic",
  "binary:logistic",
  "binary:logitraw",
  "count:poisson",
  "reg:gamma",
  "reg:tweedie",
] as const;
export type Objective = (typeof OBJECTIVES)[number];

/**
 * A parsed gradient-boosted tree ensemble. Node `n` of the ensemble is a leaf when `left[n] < 0`; otherwise
 * a row goes to `left[n]` when `x[feature[n]] < threshold[n]` (compared as float32, like XGBoost), to
 * `right[n]` (= left[n] + 1) when not, and follows `defaultLeft[n]` when the value is NaN (missing).
 */
export interface TreeModel {
  objective: Objective;
  /** Global bias in margin space (XGBoost 0.7 saves base_score already transformed to a margin). */
  baseScore: number;
  /** Number of input columns the trees were trained on. */
  nFeatures: number;
  nTrees: number;
  /** Tree t owns nodes treeStart[t] .. treeStart[t+1]-1; its root is node treeStart[t]. Length nTrees+1. */
  treeStart: Int32Array;
  /** Global index of the left child; -1 for a leaf. */
  left: Int32Array;
  /** Global index of the right child (always left + 1); -1 for a leaf. */
  right: Int32Array;
  /** Split feature (column index); -1 for a leaf. */
  feature: Int32Array;
  threshold: Float32Array;
  /** 1 when a missing value goes left. */
  defaultLeft: Uint8Array;
  /** Leaf value (already scaled by eta); 0 for internal nodes. */
  value: Float32Array;
  /** Sum of hessians of the training rows reaching the node (the row count for squared error). */
  cover: Float32Array;
  /** Depth of the deepest tree (a lone root has depth 0). */
  maxDepth: number;
}

/** Options of `predictTrees`. */
export interface PredictOptions {
  /** Return raw margins (sum of leaves + base score) instead of the objective's output. Default false. */
  outputMargin?: boolean;
}

/**
 * Predicts `nRows` rows stored row-major in `rows` (`model.nFeatures` columns, NaN = missing). Returns what
 * XGBoost's `predict` returns: the margin passed through the objective's link (sigmoid for logistic,
 * exp for poisson/gamma/tweedie, identity otherwise), or the margin itself with `outputMargin`.
 */
export function predictTrees(model: TreeModel, rows: Float32Array, nRows: number, opts: PredictOptions = {}): Float64Array {
  const p = model.nFeatures;
  if (rows.length < nRows * p) throw new RangeError(`predictTrees: ${rows.length} values for ${nRows} rows x ${p} columns`);
  const { left, feature, threshold, defaultLeft, value, treeStart, nTrees } = model;
  const out = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const base = r * p;
    let sum = 0;
    for (let t = 0; t < nTrees; t++) {
      let n = treeStart[t];
      let l = left[n];
      while (l >= 0) {
        const x = rows[base + feature[n]];
        // NaN fails every comparison, so "not less" is split into present-and-not-less vs missing.
        n = x < threshold[n] ? l : x === x || defaultLeft[n] === 0 ? l + 1 : l;
        l = left[n];
      }
      sum += value[n];
    }
    out[r] = sum + model.baseScore;
  }
  if (!opts.outputMargin) applyLink(model.objective, out);
  return out;
}

/** Maps margins to the objective's output scale in place. */
export function applyLink(objective: Objective, margins: Float64Array): Float64Array {
  switch (objective) {
    case "reg:logistic":
    case "binary:logistic":
      for (let i = 0; i < margins.length; i++) margins[i] = 1 / (1 + Math.exp(-margins[i]));
      break;
    case "count:poisson":
    case "reg:gamma":
    case "reg:tweedie":
      for (let i = 0; i < margins.length; i++) margins[i] = Math.exp(margins[i]);
      break;
    default:
      break;
  }
  return margins;
}
