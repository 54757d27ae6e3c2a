/**
 * Trees specialised to a game. In every row a game predicts, the columns no player owns (the dataset's
 * meta-features, hyperparameters outside the game) equal the baseline's. Splits on those columns can be decided
 * once, so each tree shrinks to the splits on the players' columns; trees left with a single leaf fold into the
 * bias. Predictions are unchanged (up to the order of float additions), and rows walk far shorter paths: the
 * game's predictions are what limits it.
 */
import { predictTrees, type TreeModel } from "../../learner/trees.ts";

/** `model` with every split on a column outside `free` resolved using that column's value in `fixed`. */
export function specialiseTrees(model: TreeModel, fixed: Float32Array, free: ReadonlySet<number>): TreeModel {
  const left: number[] = [];
  const feature: number[] = [];
  const threshold: number[] = [];
  const defaultLeft: number[] = [];
  const value: number[] = [];
  const treeStart: number[] = [];
  let bias = model.baseScore;
  let maxDepth = 0;

  /** Follows resolvable splits from node n down to a leaf or a split on a free column. */
  const resolve = (n: number): number => {
    while (model.left[n] >= 0 && !free.has(model.feature[n])) {
      const x = fixed[model.feature[n]];
      // Same rule as predictTrees: below the threshold left, missing to the default side, else right.
      n = x < model.threshold[n] ? model.left[n] : Number.isNaN(x) && model.defaultLeft[n] ? model.left[n] : model.right[n];
    }
    return n;
  };
  const alloc = (): number => {
    left.push(-1), feature.push(-1), threshold.push(0), defaultLeft.push(0), value.push(0);
    return left.length - 1;
  };
  /** Writes the resolved subtree of original node n into slot `at` (children in two adjacent slots). */
  const emit = (n: number, at: number, depth: number): void => {
    n = resolve(n);
    maxDepth = Math.max(maxDepth, depth);
    if (model.left[n] < 0) {
      value[at] = model.value[n];
      return;
    }
    const l = alloc();
    alloc();
    left[at] = l;
    feature[at] = model.feature[n];
    threshold[at] = model.threshold[n];
    defaultLeft[at] = model.defaultLeft[n];
    emit(model.left[n], l, depth + 1);
    emit(model.right[n], l + 1, depth + 1);
  };

  for (let t = 0; t < model.nTrees; t++) {
    const root = resolve(model.treeStart[t]);
    if (model.left[root] < 0) {
      bias += model.value[root];
      continue;
    }
    treeStart.push(left.length);
    emit(root, alloc(), 0);
  }
  treeStart.push(left.length);
  const l = Int32Array.from(left);
  return {
    objective: model.objective,
    baseScore: bias,
    nFeatures: model.nFeatures,
    nTrees: treeStart.length - 1,
    treeStart: Int32Array.from(treeStart),
    left: l,
    right: l.map((x) => (x < 0 ? -1 : x + 1)),
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    defaultLeft: Uint8Array.from(defaultLeft),
    value: Float32Array.from(value),
    cover: new Float32Array(l.length),
    maxDepth,
  };
}

/** A batch predictor for a game: the mean of the given ensemble members (as MetaLearner's mean), each specialised. */
export function specialisedPredictor(models: readonly TreeModel[], fixed: Float32Array, free: ReadonlySet<number>): (rows: Float32Array, n: number) => Float64Array {
  const special = models.map((m) => specialiseTrees(m, fixed, free));
  return (rows, n) => {
    const out = new Float64Array(n);
    for (const m of special) {
      const p = predictTrees(m, rows, n);
      for (let i = 0; i < n; i++) out[i] += p[i];
    }
    for (let i = 0; i < n; i++) out[i] /= special.length;
    return out;
  };
}
