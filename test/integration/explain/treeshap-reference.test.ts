/** TreeSHAP checked against Debian's python3-xgboost (a child process): pred_contribs and pred_interactions. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { treeShap, treeShapInteractions } from "../../../src/explain/treeshap.ts";
import { predictTrees } from "../../../src/learner/trees.ts";
import { trainBooster } from "../../../src/learner/xgboost.ts";
import { explainWithReference, referenceAvailable } from "../../../scripts/reference/xgb-reference.ts";
import { randomRows, rng } from "../../unit/learner/tree-builder.ts";

describe("treeShap against python3-xgboost (pred_contribs / pred_interactions)", { skip: !referenceAvailable() && "python3-xgboost not available" }, () => {
  for (const [M, depth, objective] of [[3, 3, "reg:linear"], [6, 6, "reg:linear"], [10, 5, "binary:logistic"]] as const) {
    it(`random model: ${M} features, depth ${depth}, ${objective}, NaN rows`, (t) => {
      const n = 300;
      const X = randomRows(n, M, 7 * M, 0.2);
      const noise = rng(M + 1);
      const raw = Array.from({ length: n }, (_, i) => (X[i * M] || 0.2) * (X[i * M + 1] || 0.7) + (X[i * M + 2] > 0.5 ? 0.3 : 0) + 0.2 * noise());
      const y = objective === "binary:logistic" ? raw.map((v) => (v > 0.5 ? 1 : 0)) : raw;
      const { model, bytes } = trainBooster(X, n, M, y, { n_estimators: 30, max_depth: depth, eta: 0.3, objective });
      const ref = explainWithReference(bytes, X, M, { interactionRows: 60 });
      const pred = predictTrees(model, X, n);
      const diffs = {
        pred: maxAbsDiff(pred, ref.pred),
        contribs: maxAbsDiff(treeShap(model, X, n).values, ref.contribs),
        interactions: maxAbsDiff(treeShapInteractions(model, X, 60), ref.interactions!),
      };
      t.diagnostic(JSON.stringify(diffs));
      assert.ok(diffs.pred < 1e-5, `predictions differ by ${diffs.pred}`);
      assert.ok(diffs.contribs < 1e-4, `contributions differ by ${diffs.contribs}`);
      assert.ok(diffs.interactions < 1e-4, `interactions differ by ${diffs.interactions}`);
    });
  }
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, "lengths");
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
