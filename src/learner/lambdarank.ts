/**
 * A per-dataset ranking objective for trees grown by XGBoost. This XGBoost build (ml-xgboost's wasm) takes
 * neither query groups nor sample weights, so `rank:pairwise` over all runs would compare runs of different
 * datasets. Instead the leaf values of an already grown ensemble are refitted, tree after tree, with
 * LambdaMART's Newton step: each dataset is one query, its runs' gains are their normalised outcome
 * ((y - median) / (max - median), floored at 0), and the gradients are NDCG-weighted pairwise logistic
 * gradients (Burges, "From RankNet to LambdaRank to LambdaMART", 2010). The trees keep their structure (and
 * cover), so prediction, TreeSHAP and the saved model format are unchanged; the output becomes a ranking score.
 */
import type { TreeModel } from "./trees.ts";

export interface LambdaRefitOptions {
  /** Shrinkage of each refitted tree. */
  eta: number;
  /** L2 regularisation of a leaf's Newton step (XGBoost's lambda). */
  lambda: number;
}

/**
 * Returns a copy of `model` whose leaf values are refitted for ranking within groups. `rows` are the training
 * rows (row-major, `model.nFeatures` columns, NaN = missing), `groups` the row indices of each dataset,
 * `gain[i]` >= 0 the relevance of row i. The base score becomes 0 (a constant does not change a ranking).
 * Trees are refitted in their boosting order, each on the gradients left by the ones before it.
 */
export function refitForRanking(model: TreeModel, rows: Float32Array, nRows: number, groups: number[][], gain: ArrayLike<number>, opts: LambdaRefitOptions): TreeModel {
  const idcg = groups.map((idx) => dcg(idx.map((i) => gain[i]).sort((a, b) => b - a)));
  const value = new Float32Array(model.value.length);
  const score = new Float64Array(nRows);
  const grad = new Float64Array(nRows);
  const hess = new Float64Array(nRows);
  const leaf = new Int32Array(nRows);
  const sumG = new Float64Array(model.left.length);
  const sumH = new Float64Array(model.left.length);
  for (let t = 0; t < model.nTrees; t++) {
    grad.fill(0);
    hess.fill(0);
    groups.forEach((idx, g) => lambdas(idx, score, gain, idcg[g], grad, hess));
    for (let r = 0; r < nRows; r++) {
      const n = leafOf(model, t, rows, r);
      leaf[r] = n;
      sumG[n] += grad[r];
      sumH[n] += hess[r];
    }
    for (let n = model.treeStart[t]; n < model.treeStart[t + 1]; n++) {
      if (model.left[n] < 0) value[n] = (opts.eta * sumG[n]) / (sumH[n] + opts.lambda);
    }
    for (let r = 0; r < nRows; r++) score[r] += value[leaf[r]];
  }
  return { ...model, baseScore: 0, value };
}

/** The leaf of tree `t` that row `r` reaches (same walk as predictTrees). */
function leafOf(model: TreeModel, t: number, rows: Float32Array, r: number): number {
  const base = r * model.nFeatures;
  let n = model.treeStart[t];
  while (model.left[n] >= 0) {
    const x = rows[base + model.feature[n]];
    n = x < model.threshold[n] ? model.left[n] : x === x ? model.right[n] : model.defaultLeft[n] ? model.left[n] : model.right[n];
  }
  return n;
}

function dcg(sortedGains: number[]): number {
  return sortedGains.reduce((s, g, r) => s + g / Math.log2(r + 2), 0);
}

/**
 * Adds the lambda gradients (direction of increase) and hessians of one group: for every pair with
 * different gains, the logistic pairwise loss weighted by |delta NDCG| of swapping the two in the current ranking.
 */
function lambdas(idx: number[], score: Float64Array, gain: ArrayLike<number>, idcg: number, grad: Float64Array, hess: Float64Array): void {
  if (!(idcg > 0)) return;
  const m = idx.length;
  const s = Float64Array.from(idx, (i) => score[i]);
  const g = Float64Array.from(idx, (i) => gain[i]);
  const disc = new Float64Array(m);
  const byScore = Array.from({ length: m }, (_, a) => a).sort((a, b) => s[b] - s[a]);
  byScore.forEach((a, r) => (disc[a] = 1 / Math.log2(r + 2)));
  const lg = new Float64Array(m);
  const lh = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      if (g[a] === g[b]) continue;
      // hi is the more relevant of the two.
      const hi = g[a] > g[b] ? a : b;
      const lo = hi === a ? b : a;
      const delta = Math.abs(((g[hi] - g[lo]) * (disc[hi] - disc[lo])) / idcg);
      const rho = 1 / (1 + Math.exp(s[hi] - s[lo]));
      lg[hi] += rho * delta;
      lg[lo] -= rho * delta;
      const h = rho * (1 - rho) * delta;
      lh[hi] += h;
      lh[lo] += h;
    }
  }
  idx.forEach((i, a) => {
    grad[i] += lg[a];
    hess[i] += lh[a];
  });
}

