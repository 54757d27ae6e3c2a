/**
 * Boosted trees as flat typed arrays, and the prediction hot path. The recommender scores thousands of
 * candidates per request and HP-importance games need millions of predictions, so nodes are not objects:
 * every tree's nodes live in shared arrays, indexed globally, with the right child always at left + 1.
 * The arrays are treated as immutable: prediction caches a packed copy per model object.
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

/** An empty model with node arrays for `totalNodes` nodes over `nTrees` trees, to be filled by a builder. */
export function allocateTreeModel(objective: Objective, baseScore: number, nFeatures: number, nTrees: number, totalNodes: number): TreeModel {
  return {
    objective,
    baseScore,
    nFeatures,
    nTrees,
    treeStart: new Int32Array(nTrees + 1),
    left: new Int32Array(totalNodes),
    right: new Int32Array(totalNodes),
    feature: new Int32Array(totalNodes),
    threshold: new Float32Array(totalNodes),
    defaultLeft: new Uint8Array(totalNodes),
    value: new Float32Array(totalNodes),
    cover: new Float32Array(totalNodes),
    maxDepth: 0,
  };
}

/** Whether two models have the same trees (structure, splits), whatever their leaf values and base scores. */
export function sameTrees(a: TreeModel, b: TreeModel): boolean {
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>) => x === y || (x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i]));
  return a.nFeatures === b.nFeatures && eq(a.treeStart, b.treeStart) && eq(a.left, b.left) && eq(a.feature, b.feature) && eq(a.threshold, b.threshold) && eq(a.defaultLeft, b.defaultLeft);
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
  const { I, F } = packed(model);
  const { treeStart, nTrees } = model;
  const out = new Float64Array(nRows).fill(model.baseScore);
  // Tree-major: one tree's nodes stay in cache while every row walks it.
  for (let t = 0; t < nTrees; t++) {
    const root = 3 * treeStart[t];
    for (let r = 0; r < nRows; r++) {
      const base = r * p;
      let n = root;
      let l = I[n];
      while (l >= 0) {
        const fd = I[n + 1];
        const x = rows[base + (fd & 0x7fffffff)];
        // NaN fails every comparison: "not less" splits into present (right) and missing (default side).
        n = x < F[n + 2] ? l : x === x || fd >= 0 ? l + 3 : l;
        l = I[n];
      }
      out[r] += F[n + 2];
    }
  }
  if (!opts.outputMargin) applyLink(model.objective, out);
  return out;
}

/**
 * Nodes packed as 3-slot records in one buffer, so a step touches one cache line: [left record offset
 * (-1 = leaf), feature | default-left in the sign bit, threshold or leaf value as float32].
 */
const packedCache = new WeakMap<TreeModel, { I: Int32Array; F: Float32Array }>();

function packed(model: TreeModel): { I: Int32Array; F: Float32Array } {
  let pk = packedCache.get(model);
  if (pk) return pk;
  const n = model.left.length;
  const buf = new ArrayBuffer(n * 12);
  pk = { I: new Int32Array(buf), F: new Float32Array(buf) };
  for (let k = 0; k < n; k++) {
    const leaf = model.left[k] < 0;
    pk.I[3 * k] = leaf ? -1 : 3 * model.left[k];
    pk.I[3 * k + 1] = leaf ? 0 : model.feature[k] | (model.defaultLeft[k] << 31);
    pk.F[3 * k + 2] = leaf ? model.value[k] : model.threshold[k];
  }
  packedCache.set(model, pk);
  return pk;
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
