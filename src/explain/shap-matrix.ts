/**
 * SHAP values of the whole meta-learner (the seed ensemble's mean), grouped from feature columns back to the
 * names people use: a one-hot categorical's columns are summed into its hyperparameter (or "model").
 * SHAP is linear in the model, so the ensemble's SHAP is the mean of the members' SHAP.
 */
import type { MetaLearner } from "../learner/meta-learner.ts";
import { treeShap } from "./treeshap.ts";

export interface GroupedShap {
  /** Group names (hyperparameters, "model", meta-features, "domain"). */
  groups: string[];
  /** Kind of each group, from the feature map. */
  kinds: ("meta" | "domain" | "model" | "hp")[];
  /** nRows x groups.length SHAP values, row-major. */
  values: Float64Array;
  /** Expected value of the ensemble (mean prediction over the training data). */
  expected: number;
  nRows: number;
}

/** Column -> group index, and the group list, from a learner's feature map. */
export function columnGroups(learner: MetaLearner): { groups: string[]; kinds: GroupedShap["kinds"]; colGroup: Int32Array } {
  const groups: string[] = [];
  const kinds: GroupedShap["kinds"] = [];
  const at = new Map<string, number>();
  const colGroup = new Int32Array(learner.featureMap.columns.length);
  learner.featureMap.columns.forEach((c, i) => {
    let g = at.get(c.group);
    if (g === undefined) {
      g = groups.length;
      at.set(c.group, g);
      groups.push(c.group);
      kinds.push(c.kind);
    }
    colGroup[i] = g;
  });
  return { groups, kinds, colGroup };
}

export function groupedShap(learner: MetaLearner, rows: Float32Array, nRows: number): GroupedShap {
  const { groups, kinds, colGroup } = columnGroups(learner);
  const nCols = learner.featureMap.columns.length;
  const values = new Float64Array(nRows * groups.length);
  let expected = 0;
  const k = learner.outcome.length;
  for (const model of learner.outcome) {
    const s = treeShap(model, rows, nRows).values;
    const width = model.nFeatures + 1;
    for (let r = 0; r < nRows; r++) {
      for (let c = 0; c < Math.min(nCols, model.nFeatures); c++) values[r * groups.length + colGroup[c]] += s[r * width + c] / k;
    }
    expected += s[width - 1] / k;
  }
  return { groups, kinds, values, expected, nRows };
}
