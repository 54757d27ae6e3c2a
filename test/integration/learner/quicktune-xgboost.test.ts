import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { treeShap, treeShapInteractions } from "../../../src/explain/treeshap.ts";
import { predictTrees } from "../../../src/learner/trees.ts";
import { predictWithWasm, trainBooster } from "../../../src/learner/xgboost.ts";
import { quickTuneMatrix } from "../../../scripts/reference/quicktune-matrix.ts";
import { explainWithReference, referenceAvailable } from "../../../scripts/reference/xgb-reference.ts";
import { dataDir } from "../../helpers/env.ts";

const dir = dataDir("quicktune-extended");

describe("boosted trees on a Quick-Tune matrix", { skip: !dir && "quicktune-extended data not available" }, () => {
  const q = quickTuneMatrix(dir!);
  const { model, bytes } = trainBooster(q.rows, q.nRows, q.nCols, q.y, { n_estimators: 100, max_depth: 6, eta: 0.1, seed: 3 });
  const interactionRows = 20;
  // Every 4th run (977 rows) keeps the exact-SHAP comparison under ~10 s on a loaded 2-core machine.
  const sub = Float32Array.from({ length: Math.ceil(q.nRows / 4) * q.nCols }, (_, k) => q.rows[(Math.floor(k / q.nCols) * 4) * q.nCols + (k % q.nCols)]);
  const nSub = sub.length / q.nCols;

  it("has the expected shape (3,909 runs x 75 columns, -1 = inactive present)", () => {
    assert.equal(q.nRows, 3909);
    assert.equal(q.nCols, 75);
    assert.ok(q.rows.includes(-1));
  });

  it("parsed trees predict like ml-xgboost (float32)", (t) => {
    const ours = predictTrees(model, q.rows, q.nRows);
    const theirs = predictWithWasm(bytes, q.rows, q.nRows, q.nCols);
    let d = 0;
    for (let i = 0; i < q.nRows; i++) d = Math.max(d, Math.abs(Math.fround(ours[i]) - theirs[i]));
    t.diagnostic(`max abs diff vs ml-xgboost ${d.toExponential(2)}`);
    assert.ok(d < 1e-6);
  });

  it("predictions, SHAP values and interactions match python3-xgboost", { skip: !referenceAvailable() && "python3-xgboost not available" }, (t) => {
    const ref = explainWithReference(bytes, sub, q.nCols, { interactionRows });
    const diff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      assert.equal(a.length, b.length);
      let d = 0;
      for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
      return d;
    };
    const d = {
      pred: diff(predictTrees(model, sub, nSub), ref.pred),
      contribs: diff(treeShap(model, sub, nSub).values, ref.contribs),
      interactions: diff(treeShapInteractions(model, sub, interactionRows), ref.interactions!),
    };
    t.diagnostic(`max abs diffs vs python3-xgboost ${ref.xgboost}: ${JSON.stringify(d)}`);
    assert.ok(d.pred < 1e-5);
    assert.ok(d.contribs < 1e-4);
    assert.ok(d.interactions < 1e-4);
  });
});
