/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2) and SHAP interaction values over
 * parsed trees, in margin space. The game is v(S) = E[f(x) | x_S]: follow x on features in S, otherwise
 * average the children weighted by their training cover. Results match XGBoost's `pred_contribs` and
 * `pred_interactions` (approx_contribs=False): the same recursion, in float64 instead of float32.
 */
import type { TreeModel } from "../learner/trees.ts";

export interface ShapValues {
  /** nRows x (nFeatures + 1), row-major; the last column is the expected value (bias). */
  values: Float64Array;
}

/** SHAP values of `nRows` rows (row-major, `model.nFeatures` columns, NaN = missing); rows sum to margins. */
export function treeShap(model: TreeModel, rows: Float32Array, nRows: number): ShapValues {
  const e = engine(model, rows, nRows);
  const w = model.nFeatures + 1;
  const values = new Float64Array(nRows * w);
  for (let r = 0; r < nRows; r++) e.contributions(r, values, r * w);
  return { values };
}

/** Per tree of a model, the SHAP values of one row: for callers that cache trees separately (region-shap.ts). */
export function perTreeShap(model: TreeModel, row: Float32Array): (t: number, target: Float64Array) => void {
  const e = engine(model, row, 1);
  return (t, target) => e.tree(0, t, target, 0, 0, -1, 1);
}

/** The model's expected value E[f(x)] (the bias of its SHAP values), in margin space. */
export function expectedValue(model: TreeModel): number {
  return prepared(model).expected;
}

/**
 * SHAP interaction values (like XGBoost's pred_interactions): nRows x (nFeatures + 1) x (nFeatures + 1),
 * row-major. Cell [i][j] (i != j) is half the interaction of features i and j (symmetric, so the pair's
 * total is [i][j] + [j][i]); [i][i] is i's main effect; each row i sums to i's SHAP value; the last row and
 * column are zero except the bias cell [m][m] = expected value.
 * Like XGBoost, the interaction of i and j is half the change of j's SHAP value when i is known ("on")
 * versus marginalised ("off"); unlike XGBoost, a tree is conditioned only on the features it splits on
 * (conditioning on any other feature leaves its values unchanged), which saves most of the work.
 */
export function treeShapInteractions(model: TreeModel, rows: Float32Array, nRows: number): Float64Array {
  const e = engine(model, rows, nRows);
  const m = model.nFeatures;
  const w = m + 1;
  const values = new Float64Array(nRows * w * w);
  const phi = new Float64Array(w);
  const { treeFeatures } = prepared(model);
  for (let r = 0; r < nRows; r++) {
    const base = r * w * w;
    phi.fill(0);
    e.contributions(r, phi, 0);
    for (let t = 0; t < model.nTrees; t++) {
      for (const f of treeFeatures[t]) {
        // +1/2 of the "on" values minus 1/2 of the "off" values, accumulated straight into row f.
        e.tree(r, t, values, base + f * w, 1, f, 0.5);
        e.tree(r, t, values, base + f * w, -1, f, -0.5);
      }
    }
    for (let i = 0; i < m; i++) {
      let off = 0;
      for (let k = 0; k < w; k++) if (k !== i) off += values[base + i * w + k];
      values[base + i * w + i] = phi[i] - off;
    }
    values[base + m * w + m] = phi[m];
  }
  return values;
}

interface Prepared {
  /** Expected value of each node's subtree under the cover distribution. */
  mean: Float64Array;
  /** baseScore + sum of the roots' means: E[f(x)] with nothing known. */
  expected: number;
  /** Distinct split features of each tree. */
  treeFeatures: Int32Array[];
}

const cache = new WeakMap<TreeModel, Prepared>();

function prepared(model: TreeModel): Prepared {
  let p = cache.get(model);
  if (p) return p;
  const { left, right, cover, value, feature, treeStart, nTrees } = model;
  const mean = new Float64Array(left.length);
  const treeFeatures: Int32Array[] = [];
  let expected = model.baseScore;
  for (let t = 0; t < nTrees; t++) {
    const features = new Set<number>();
    // Children always follow their parent (breadth-first layout), so a reverse sweep sees them first.
    for (let n = treeStart[t + 1] - 1; n >= treeStart[t]; n--) {
      if (left[n] < 0) mean[n] = value[n];
      else {
        mean[n] = (mean[left[n]] * cover[left[n]] + mean[right[n]] * cover[right[n]]) / cover[n];
        features.add(feature[n]);
      }
    }
    expected += mean[treeStart[t]];
    treeFeatures.push(Int32Array.from([...features].sort((a, b) => a - b)));
  }
  p = { mean, expected, treeFeatures };
  cache.set(model, p);
  return p;
}

/**
 * The recursion of Algorithm 2 with XGBoost's conditioning extension, over flat arrays. Each recursion level
 * copies its parent's path into the next segment of one preallocated buffer (no allocation per node).
 */
function engine(model: TreeModel, rows: Float32Array, nRows: number) {
  const m = model.nFeatures;
  if (rows.length < nRows * m) throw new RangeError(`treeShap: ${rows.length} values for ${nRows} rows x ${m} columns`);
  const { left, right, feature, threshold, defaultLeft, value, cover, treeStart, nTrees } = model;
  const { expected } = prepared(model);
  const maxd = model.maxDepth + 3;
  const size = (maxd * (maxd + 1)) / 2;
  const pFeature = new Int32Array(size);
  const pZero = new Float64Array(size);
  const pOne = new Float64Array(size);
  const pWeight = new Float64Array(size);
  let x = 0; // offset of the current row in `rows`
  let out: Float64Array = pZero;
  let outBase = 0;

  function extend(p: number, depth: number, zero: number, one: number, f: number): void {
    pFeature[p + depth] = f;
    pZero[p + depth] = zero;
    pOne[p + depth] = one;
    pWeight[p + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      pWeight[p + i + 1] += (one * pWeight[p + i] * (i + 1)) / (depth + 1);
      pWeight[p + i] = (zero * pWeight[p + i] * (depth - i)) / (depth + 1);
    }
  }

  function unwind(p: number, depth: number, index: number): void {
    const one = pOne[p + index];
    const zero = pZero[p + index];
    let next = pWeight[p + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pWeight[p + i];
        pWeight[p + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - (pWeight[p + i] * zero * (depth - i)) / (depth + 1);
      } else {
        pWeight[p + i] = (pWeight[p + i] * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      pFeature[p + i] = pFeature[p + i + 1];
      pZero[p + i] = pZero[p + i + 1];
      pOne[p + i] = pOne[p + i + 1];
    }
  }

  /** Total weight of the path with element `index` removed (unwind without modifying the path). */
  function unwoundSum(p: number, depth: number, index: number): number {
    const one = pOne[p + index];
    const zero = pZero[p + index];
    const d1 = depth + 1;
    let total = 0;
    if (one !== 0) {
      let next = pWeight[p + depth];
      const scale = d1 / one;
      for (let i = depth - 1; i >= 0; i--) {
        const tmp = (next * scale) / (i + 1);
        total += tmp;
        next = pWeight[p + i] - (tmp * zero * (depth - i)) / d1;
      }
    } else if (zero !== 0) {
      for (let i = depth - 1; i >= 0; i--) total += (pWeight[p + i] * d1) / (zero * (depth - i));
    }
    return total;
  }

  function recurse(
    node: number,
    depth: number,
    parent: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
    condition: number,
    condFeature: number,
    condFraction: number,
  ): void {
    if (condFraction === 0) return;
    const p = parent + depth + 1;
    for (let i = 0; i <= depth; i++) {
      pFeature[p + i] = pFeature[parent + i];
      pZero[p + i] = pZero[parent + i];
      pOne[p + i] = pOne[parent + i];
      pWeight[p + i] = pWeight[parent + i];
    }
    if (condition === 0 || condFeature !== parentFeature) extend(p, depth, parentZero, parentOne, parentFeature);

    const l = left[node];
    if (l < 0) {
      const v = value[node] * condFraction;
      for (let i = 1; i <= depth; i++) {
        const w = unwoundSum(p, depth, i);
        out[outBase + pFeature[p + i]] += w * (pOne[p + i] - pZero[p + i]) * v;
      }
      return;
    }
    const f = feature[node];
    const xv = rows[x + f];
    const goLeft = xv !== xv ? defaultLeft[node] === 1 : xv < threshold[node];
    const hot = goLeft ? l : right[node];
    const cold = goLeft ? right[node] : l;
    const w = cover[node];
    const hotZero = cover[hot] / w;
    const coldZero = cover[cold] / w;
    let inZero = 1;
    let inOne = 1;

    // A feature met again on the path: undo its earlier split and redo it here.
    let index = 0;
    while (index <= depth && pFeature[p + index] !== f) index++;
    if (index <= depth) {
      inZero = pZero[p + index];
      inOne = pOne[p + index];
      unwind(p, depth, index);
      depth -= 1;
    }

    let hotFraction = condFraction;
    let coldFraction = condFraction;
    if (condition > 0 && f === condFeature) {
      coldFraction = 0;
      depth -= 1;
    } else if (condition < 0 && f === condFeature) {
      hotFraction *= hotZero;
      coldFraction *= coldZero;
      depth -= 1;
    }
    recurse(hot, depth + 1, p, hotZero * inZero, inOne, f, condition, condFeature, hotFraction);
    recurse(cold, depth + 1, p, coldZero * inZero, 0, f, condition, condFeature, coldFraction);
  }

  return {
    /** Adds tree t's values for row r into target[base..]: plain SHAP (condition 0) or conditioned on a feature. */
    tree(r: number, t: number, target: Float64Array, base: number, condition: number, condFeature: number, fraction: number): void {
      x = r * m;
      out = target;
      outBase = base;
      recurse(treeStart[t], 0, 0, 1, 1, -1, condition, condFeature, fraction);
    },
    /** Writes row r's SHAP values and bias into target[base .. base + m]. */
    contributions(r: number, target: Float64Array, base: number): void {
      for (let t = 0; t < nTrees; t++) this.tree(r, t, target, base, 0, -1, 1);
      target[base + m] += expected;
    },
  };
}
