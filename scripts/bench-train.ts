/**
 * Training time of the meta-learner's models on a Quick-Tune-sized matrix (3,909 x 75): 5 seeds of the
 * outcome model + 1 cost model through ml-xgboost (wasm, single thread), against python3-xgboost's
 * `exact` and `hist` training of the same 6 models in the same run.
 *   npx tsx scripts/bench-train.ts [--rounds 300] [--depth 6] [--eta 0.05] [--tree-method exact] [--nthread 1]
 */
import { parseArgs } from "node:util";
import { BoosterParams, trainBooster } from "../src/learner/xgboost.ts";
import { dataDir } from "../test/helpers/env.ts";
import { quickTuneMatrix } from "./reference/quicktune-matrix.ts";
import { referenceAvailable, trainWithReference } from "./reference/xgb-reference.ts";

const { values: a } = parseArgs({
  options: {
    rounds: { type: "string", default: "300" },
    depth: { type: "string", default: "6" },
    eta: { type: "string", default: "0.05" },
    "tree-method": { type: "string", default: "exact" },
    nthread: { type: "string", default: "1" },
  },
});
const dir = dataDir("quicktune-extended");
if (!dir) throw new Error("quicktune-extended data not found (set HPOREC_DATA)");
const q = quickTuneMatrix(dir);
const params = BoosterParams.parse({
  n_estimators: Number(a.rounds),
  max_depth: Number(a.depth),
  eta: Number(a.eta),
  subsample: 0.8,
  colsample_bytree: 0.8,
  tree_method: a["tree-method"],
});
const jobs = [...[0, 1, 2, 3, 4].map((seed) => ({ label: `outcome seed ${seed}`, y: q.y, seed })), { label: "cost", y: q.cost, seed: 0 }];
console.log(`${q.nRows} x ${q.nCols}, ${params.n_estimators} rounds, depth ${params.max_depth}, eta ${params.eta}, subsample 0.8, colsample 0.8`);

let ours = 0;
for (const j of jobs) {
  const t0 = performance.now();
  trainBooster(q.rows, q.nRows, q.nCols, j.y, { ...params, seed: j.seed });
  const s = (performance.now() - t0) / 1000;
  ours += s;
  console.log(`  ml-xgboost (${params.tree_method}) ${j.label.padEnd(15)} ${s.toFixed(2)} s`);
}
console.log(`ml-xgboost ${params.tree_method}: ${ours.toFixed(1)} s for 6 models`);

if (referenceAvailable()) {
  for (const method of ["exact", "hist"]) {
    let total = 0;
    let version = "";
    for (const j of jobs) {
      const { n_estimators, max_depth, eta, subsample, colsample_bytree, min_child_weight, lambda, alpha, gamma } = params;
      const r = trainWithReference(q.rows, q.nCols, j.y, {
        objective: "reg:squarederror", n_estimators, max_depth, eta, subsample, colsample_bytree, min_child_weight,
        lambda, alpha, gamma, seed: j.seed, tree_method: method, base_score: 0.5,
      }, { nthread: Number(a.nthread) });
      total += r.seconds.train;
      version = r.xgboost;
    }
    console.log(`python3-xgboost ${version} ${method} (nthread ${a.nthread}): ${total.toFixed(1)} s for 6 models; ours/theirs ${(ours / total).toFixed(2)}x`);
  }
}
