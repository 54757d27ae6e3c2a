/**
 * TreeSHAP throughput: our TypeScript implementation vs python3-xgboost's C++ pred_contribs /
 * pred_interactions on the same Quick-Tune-sized model and rows, measured in the same run (python times its
 * own call only, no loading). Also prints prediction throughput (the recommender's hot path).
 *   npx tsx scripts/bench-treeshap.ts [--trees 300] [--depth 6] [--rows 3909] [--interaction-rows 50] [--nthread 1]
 */
import { parseArgs } from "node:util";
import { treeShap, treeShapInteractions } from "../src/explain/treeshap.ts";
import { predictTrees } from "../src/learner/trees.ts";
import { trainBooster } from "../src/learner/xgboost.ts";
import { dataDir } from "../test/helpers/env.ts";
import { quickTuneMatrix } from "./reference/quicktune-matrix.ts";
import { explainWithReference, referenceAvailable } from "./reference/xgb-reference.ts";

const { values: a } = parseArgs({
  options: {
    trees: { type: "string", default: "300" },
    depth: { type: "string", default: "6" },
    rows: { type: "string", default: "3909" },
    "interaction-rows": { type: "string", default: "50" },
    nthread: { type: "string", default: "1" },
  },
});
const dir = dataDir("quicktune-extended");
if (!dir) throw new Error("quicktune-extended data not found (set HPOREC_DATA)");
if (!referenceAvailable()) throw new Error("python3-xgboost is needed for the comparison");

const q = quickTuneMatrix(dir);
const nRows = Math.min(Number(a.rows), q.nRows);
const nInter = Math.min(Number(a["interaction-rows"]), nRows);
const rows = q.rows.subarray(0, nRows * q.nCols);
const { model, bytes } = trainBooster(q.rows, q.nRows, q.nCols, q.y, { n_estimators: Number(a.trees), max_depth: Number(a.depth), eta: 0.05 });
const nodes = model.treeStart[model.nTrees];
console.log(`model: ${model.nTrees} trees, ${nodes} nodes, max depth ${model.maxDepth}, ${q.nCols} features; ${nRows} rows`);

const time = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const out = fn();
  return [out, (performance.now() - t0) / 1000];
};
predictTrees(model, rows, nRows); // warm-up: JIT and the packed node cache
const [pred, tPred] = time(() => predictTrees(model, rows, nRows));
const [shap, tShap] = time(() => treeShap(model, rows, nRows));
const [inter, tInter] = time(() => treeShapInteractions(model, rows, nInter));
const ref = explainWithReference(bytes, rows, q.nCols, { interactionRows: nInter, nthread: Number(a.nthread) });

const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
};
const rate = (r: number) => r.toFixed(r < 10 ? 2 : 0).padStart(8);
const line = (what: string, n: number, ours: number, theirs: number, diff: number) =>
  console.log(
    `${what.padEnd(13)} ours ${rate(n / ours)} rows/s   xgboost ${ref.xgboost} (nthread ${a.nthread}) ${rate(n / theirs)} rows/s   ours/xgboost time ${(ours / theirs).toFixed(2)}x   max abs diff ${diff.toExponential(2)}`,
  );
line("predict", nRows, tPred, ref.seconds.pred, maxDiff(pred, ref.pred));
line("contribs", nRows, tShap, ref.seconds.contribs, maxDiff(shap.values, ref.contribs));
line("interactions", nInter, tInter, ref.seconds.interactions!, maxDiff(inter, ref.interactions!));
console.log(`prediction: ${((nRows * model.nTrees) / tPred / 1e6).toFixed(1)} M tree-evaluations/s, i.e. ${(nRows / tPred).toFixed(0)} predictions/s of this model`);
