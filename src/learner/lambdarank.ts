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
  const queries = groups.map((idx) => query(idx, gain));
  const value = new Float32Array(model.value.length);
  const score = new Float64Array(nRows);
  const grad = new Float64Array(nRows);
  const hess = new Float64Array(nRows);
  const leaf = new Int32Array(nRows);
  const sumG = new Float64Array(model.left.length);
  const sumH = new Float64Array(model.left.length);
  for (let t = 0; t < model.nTrees; t++) {
    for (const q of queries) lambdas(q, score, grad, hess);
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

/** One dataset's rows sorted by gain (best first), with their gains and the ideal DCG. */
interface Query {
  rows: Int32Array;
  gain: Float64Array;
  idcg: number;
}

function query(idx: number[], gain: ArrayLike<number>): Query {
  const sorted = [...idx].sort((a, b) => gain[b] - gain[a]);
  const g = Float64Array.from(sorted, (i) => gain[i]);
  return { rows: Int32Array.from(sorted), gain: g, idcg: g.reduce((s, v, r) => s + v / Math.log2(r + 2), 0) };
}

/**
 * Sets the lambda gradients (direction of increase) and hessians of one query's rows: for every pair with
 * different gains, the logistic pairwise loss weighted by |delta NDCG| of swapping the two in the current ranking.
 */
function lambdas(q: Query, score: Float64Array, grad: Float64Array, hess: Float64Array): void {
  const m = q.rows.length;
  const g = q.gain;
  const lg = new Float64Array(m);
  const lh = new Float64Array(m);
  if (q.idcg > 0) {
    const s = Float64Array.from(q.rows, (i) => score[i]);
    // exp(s) once per row: the pair's logistic weight is then a division, not an exp.
    const e = s.map(Math.exp);
    const disc = new Float64Array(m);
    // Ties (every score is 0 before the first tree) are broken by row order.
    const byScore = Array.from({ length: m }, (_, a) => a).sort((a, b) => s[b] - s[a] || q.rows[a] - q.rows[b]);
    byScore.forEach((a, r) => (disc[a] = 1 / Math.log2(r + 2)));
    // Rows are sorted by gain, so in a pair (a < b) with different gains, a is the more relevant.
    for (let a = 0; a < m && g[a] > 0; a++) {
      for (let b = a + 1; b < m; b++) {
        if (g[a] === g[b]) continue;
        const delta = Math.abs(((g[a] - g[b]) * (disc[a] - disc[b])) / q.idcg);
        const rho = e[b] / (e[a] + e[b]);
        lg[a] += rho * delta;
        lg[b] -= rho * delta;
        const h = rho * (1 - rho) * delta;
        lh[a] += h;
        lh[b] += h;
      }
    }
  }
  q.rows.forEach((i, a) => {
    grad[i] = lg[a];
    hess[i] = lh[a];
  });
}
