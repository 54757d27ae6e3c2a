/** Global importance (mean |SHAP| per hyperparameter / meta-feature) and top pairwise interactions. */
import type { MetaLearner } from "../learner/meta-learner.ts";
import { columnGroups, type GroupedShap } from "./shap-matrix.ts";
import { treeShapInteractions } from "./treeshap.ts";

export interface Importance {
  name: string;
  kind: "meta" | "domain" | "model" | "hp";
  /** Mean absolute SHAP value over the explained rows, in target units. */
  meanAbsShap: number;
  /** Share of the total over all groups. */
  share: number;
}

export function globalImportance(s: GroupedShap): Importance[] {
  const g = s.groups.length;
  const sums = new Float64Array(g);
  for (let r = 0; r < s.nRows; r++) for (let j = 0; j < g; j++) sums[j] += Math.abs(s.values[r * g + j]);
  const total = sums.reduce((a, b) => a + b, 0) || 1;
  return s.groups
    .map((name, j) => ({ name, kind: s.kinds[j], meanAbsShap: sums[j] / s.nRows, share: sums[j] / total }))
    .sort((a, b) => b.meanAbsShap - a.meanAbsShap);
}

export interface Interaction {
  a: string;
  b: string;
  /** Mean |Phi_ab + Phi_ba| over the explained rows: the pair's joint effect beyond their main effects. */
  meanAbs: number;
}

/**
 * Top pairwise interactions between groups, from exact SHAP interaction values averaged over `models`
 * (default: the whole ensemble). Interaction values cost ~100x more than SHAP values (about 0.5 s per row for
 * a 300-tree model), so callers pass a modest row sample and may pass one ensemble member.
 */
export function topInteractions(learner: MetaLearner, rows: Float32Array, nRows: number, top = 10, models = learner.outcome): Interaction[] {
  const { groups, colGroup } = columnGroups(learner);
  const g = groups.length;
  const acc = new Float64Array(nRows * g * g);
  const k = models.length;
  for (const model of models) {
    const m = model.nFeatures + 1;
    const phi = treeShapInteractions(model, rows, nRows);
    for (let r = 0; r < nRows; r++) {
      const base = r * m * m;
      for (let i = 0; i < model.nFeatures; i++) {
        const gi = colGroup[i];
        for (let j = 0; j < model.nFeatures; j++) {
          const v = phi[base + i * m + j];
          if (v !== 0) acc[r * g * g + gi * g + colGroup[j]] += v / k;
        }
      }
    }
  }
  const out: Interaction[] = [];
  for (let a = 0; a < g; a++) {
    for (let b = a + 1; b < g; b++) {
      let s = 0;
      for (let r = 0; r < nRows; r++) s += Math.abs(acc[r * g * g + a * g + b] + acc[r * g * g + b * g + a]);
      out.push({ a: groups[a], b: groups[b], meanAbs: s / nRows });
    }
  }
  return out.sort((x, y) => y.meanAbs - x.meanAbs).slice(0, top);
}
