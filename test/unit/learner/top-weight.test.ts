import assert from "node:assert/strict";
import { it } from "node:test";
import { MetaLearner } from "../../../src/learner/meta-learner.ts";
import { outcomeTargets } from "../../../src/learner/targets.ts";
import { fixture } from "../eval/fixtures.ts";

// Without row subsampling, a squared-error tree's root cover is the number of rows XGBoost trained on: the
// runs in the top fifth of their dataset must be there `topWeight` times.
it("runs in the top fifth of their dataset count topWeight times in the outcome models (not in the cost model)", () => {
  const md = fixture(4, 30, 3);
  const top = outcomeTargets(md, "rank").filter((r) => r >= 0.8).length;
  assert.ok(top > 0 && top < md.runs.length);
  const params = { n_estimators: 2, subsample: 1, colsample_bytree: 1 };
  for (const k of [1, 5]) {
    // bag 1: every member sees every dataset, so the root cover counts all rows.
    const m = MetaLearner.train(md, { target: "rank", seeds: 1, topWeight: k, bag: 1, params, costParams: params });
    const root = (tm: { cover: Float32Array; treeStart: Int32Array }) => tm.cover[tm.treeStart[0]];
    assert.equal(root(m.outcome[0].model), md.runs.length + (k - 1) * top, `outcome rows with topWeight ${k}`);
    if (m.cost) assert.equal(root(m.cost.model), md.runs.filter((r) => r.cost.totalSeconds !== undefined).length, "cost rows unweighted");
  }
});
