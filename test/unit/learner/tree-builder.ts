/** Builds TreeModels by hand for tests (breadth-first, right = left + 1, like the parser). */
import { allocateTreeModel, type Objective, type TreeModel } from "../../../src/learner/trees.ts";

export type NodeSpec =
  | { leaf: number; cover: number }
  | { feature: number; threshold: number; defaultLeft?: boolean; cover: number; left: NodeSpec; right: NodeSpec };

export function buildModel(trees: NodeSpec[], nFeatures: number, baseScore = 0.5, objective: Objective = "reg:linear"): TreeModel {
  const flat: { spec: NodeSpec; left: number; depth: number }[][] = trees.map((root) => {
    const order = [{ spec: root, left: -1, depth: 0 }];
    for (let k = 0; k < order.length; k++) {
      const s = order[k].spec;
      if ("leaf" in s) continue;
      order[k].left = order.length;
      order.push({ spec: s.left, left: -1, depth: order[k].depth + 1 }, { spec: s.right, left: -1, depth: order[k].depth + 1 });
    }
    return order;
  });
  const total = flat.reduce((a, t) => a + t.length, 0);
  const m = allocateTreeModel(objective, baseScore, nFeatures, trees.length, total);

  let start = 0;
  flat.forEach((nodes, t) => {
    m.treeStart[t] = start;
    nodes.forEach(({ spec, left, depth }, k) => {
      const g = start + k;
      m.cover[g] = spec.cover;
      m.maxDepth = Math.max(m.maxDepth, depth);
      if ("leaf" in spec) {
        m.left[g] = m.right[g] = m.feature[g] = -1;
        m.value[g] = spec.leaf;
      } else {
        m.left[g] = start + left;
        m.right[g] = start + left + 1;
        m.feature[g] = spec.feature;
        m.threshold[g] = spec.threshold;
        m.defaultLeft[g] = spec.defaultLeft ? 1 : 0;
      }
    });
    start += nodes.length;
  });
  m.treeStart[trees.length] = start;
  return m;
}

/** Deterministic uniform [0, 1) generator (Park-Miller), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Random row-major matrix with a share of NaN (missing) cells. */
export function randomRows(nRows: number, nCols: number, seed: number, missing = 0.1): Float32Array {
  const r = rng(seed);
  const X = new Float32Array(nRows * nCols);
  for (let i = 0; i < X.length; i++) X[i] = r() < missing ? NaN : r();
  return X;
}
