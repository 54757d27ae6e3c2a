import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { refitForRanking } from "../../../src/learner/lambdarank.ts";
import { parseBinaryModel, withLeafValues } from "../../../src/learner/binary-model.ts";
import { MetaLearner } from "../../../src/learner/meta-learner.ts";
import { rankingGains } from "../../../src/learner/targets.ts";
import { predictTrees } from "../../../src/learner/trees.ts";
import { trainBooster } from "../../../src/learner/xgboost.ts";
import { explainWithReference, referenceAvailable } from "../../../scripts/reference/xgb-reference.ts";
import { fixture } from "../eval/fixtures.ts";
import { buildModel, randomRows, rng } from "./tree-builder.ts";

/** Mean NDCG over groups of the ranking by `score` (the measure LambdaMART's gradients follow). */
function meanNdcg(score: ArrayLike<number>, gains: ArrayLike<number>, groups: number[][]): number {
  const dcg = (gs: number[]) => gs.reduce((s, g, r) => s + g / Math.log2(r + 2), 0);
  const per = groups.map((idx) => {
    const byScore = [...idx].sort((a, b) => score[b] - score[a]).map((i) => gains[i]);
    return dcg(byScore) / dcg(idx.map((i) => gains[i]).sort((a, b) => b - a));
  });
  return per.reduce((a, b) => a + b, 0) / per.length;
}

describe("refitForRanking", () => {
  it("takes LambdaMART's Newton step, leaf by leaf, on a hand-checked first tree", () => {
    // One stump on column 0. All scores start at 0: ties keep row order, so rows are ranked 0, 1, 2 in group A
    // and 3, 4 in group B. Pairs with different gains, rho = 1/2, |delta NDCG| = |dg x d(discount)| / IDCG.
    const model = buildModel([{ feature: 0, threshold: 0.5, cover: 5, left: { leaf: 9, cover: 3 }, right: { leaf: 9, cover: 2 } }], 1);
    const rows = Float32Array.from([0.9, 0.1, 0.2, 0.3, 0.8]);
    const gains = [1, 0.5, 0, 0, 1];
    const groups = [[0, 1, 2], [3, 4]];
    const d = (r: number) => 1 / Math.log2(r + 2);
    const idcgA = 1 * d(0) + 0.5 * d(1);
    const dA01 = (0.5 * (d(0) - d(1))) / idcgA; // rows 0 > 1
    const dA02 = (1 * (d(0) - d(2))) / idcgA; // rows 0 > 2
    const dA12 = (0.5 * (d(1) - d(2))) / idcgA; // rows 1 > 2
    const dB = (1 * (d(0) - d(1))) / (1 * d(0)); // row 4 > row 3
    const g = [0.5 * (dA01 + dA02), 0.5 * (dA12 - dA01), -0.5 * (dA02 + dA12), -0.5 * dB, 0.5 * dB];
    const h = [0.25 * (dA01 + dA02), 0.25 * (dA01 + dA12), 0.25 * (dA02 + dA12), 0.25 * dB, 0.25 * dB];
    const leftRows = [1, 2, 3]; // x < 0.5
    const rightRows = [0, 4];
    const step = (rs: number[]) => (0.3 * rs.reduce((s, i) => s + g[i], 0)) / (rs.reduce((s, i) => s + h[i], 0) + 2);
    const refit = refitForRanking(model, rows, 5, groups, gains, { eta: 0.3, lambda: 2 });
    assert.ok(Math.abs(refit.value[1] - step(leftRows)) < 1e-6, `left leaf ${refit.value[1]} vs ${step(leftRows)}`);
    assert.ok(Math.abs(refit.value[2] - step(rightRows)) < 1e-6, `right leaf ${refit.value[2]} vs ${step(rightRows)}`);
    assert.equal(refit.baseScore, 0);
    assert.deepEqual(refit.left, model.left, "structure kept");
    assert.equal(model.value[1], 9, "the input model is not modified");
  });

  it("ranks within groups far better than trees fitted to unrelated labels, and gains only count above the median", () => {
    // Trees grown on noise: their structure splits every column, their leaves rank nothing. Relevance follows
    // column 0 within each group; the refitted leaves must recover that ranking.
    const n = 600;
    const nCols = 3;
    const X = randomRows(n, nCols, 7, 0);
    const r = rng(3);
    const noise = Array.from({ length: n }, () => r());
    const { model } = trainBooster(X, n, nCols, noise, { n_estimators: 40, max_depth: 4, eta: 0.3, subsample: 1 });
    const groups = Array.from({ length: 6 }, (_, k) => Array.from({ length: 100 }, (_, i) => k * 100 + i));
    const gains = Array.from({ length: n }, (_, i) => Math.max(0, X[i * nCols] - 0.5) * 2);
    const before = meanNdcg(predictTrees(model, X, n), gains, groups);
    const refit = refitForRanking(model, X, n, groups, gains, { eta: 0.1, lambda: 1 });
    const after = meanNdcg(predictTrees(refit, X, n), gains, groups);
    assert.ok(after > 0.95 && after > before + 0.15, `NDCG ${before.toFixed(3)} -> ${after.toFixed(3)}`);
  });
});

describe("rankingGains", () => {
  it("is each run's normalised outcome in its own dataset, floored at 0 (1 = the dataset's best)", () => {
    const md = fixture(3, 20, 5);
    const gains = rankingGains(md);
    for (const id of ["d0", "d1", "d2"]) {
      const idx = md.runs.flatMap((run, i) => (run.datasetId === id ? [i] : []));
      const ys = idx.map((i) => md.runs[i].outcome.best).sort((a, b) => a - b);
      const median = (ys[9] + ys[10]) / 2;
      for (const i of idx) {
        const want = Math.max(0, (md.runs[i].outcome.best - median) / (ys[19] - median));
        assert.ok(Math.abs(gains[i] - want) < 1e-12, `${md.runs[i].id}: ${gains[i]} vs ${want}`);
      }
    }
  });
});

describe("the ranking head in the meta-learner", () => {
  const md = fixture(4, 30, 2);
  const params = { n_estimators: 20 };
  const trained = MetaLearner.train(md, { target: "rank", seeds: 2, params, costParams: params, head: "ranking" });
  const learner = MetaLearner.from(trained, "rank");

  it("saves models XGBoost itself predicts like ours, and reads back from its bytes", { skip: referenceAvailable() ? false : "python3-xgboost is not installed" }, () => {
    assert.equal(trained.head?.kind, "ranking");
    assert.equal(trained.head?.models.length, 2);
    const head = trained.head!.models[0];
    const parsed = parseBinaryModel(head.bytes);
    assert.deepEqual(parsed.value, head.model.value);
    assert.equal(parsed.baseScore, 0);
    const rows = randomRows(50, head.model.nFeatures, 9);
    const ref = explainWithReference(head.bytes, rows, head.model.nFeatures);
    const ours = predictTrees(head.model, rows, 50);
    ours.forEach((v, i) => assert.ok(Math.abs(v - ref.pred[i]) < 1e-4, `row ${i}: ${v} vs xgboost ${ref.pred[i]}`));
  });

  it("withLeafValues refuses a model whose trees differ from the saved ones", () => {
    const other = trained.outcome[1].model;
    assert.throws(() => withLeafValues(trained.outcome[0].bytes, other), /needs the trees saved/);
  });

  it("orders prepared blocks as it orders fresh rows; without a head there is no order", () => {
    const configs = md.runs.slice(0, 40);
    const dataset = md.datasets[1];
    const fresh = learner.predict(dataset, configs).order!;
    const prepared = learner.predictPrepared(dataset, learner.prepare(configs)).order!;
    assert.equal(fresh.length, 40);
    fresh.forEach((v, i) => assert.ok(Math.abs(v - prepared[i]) < 1e-9));
    const plain = MetaLearner.from({ ...trained, head: undefined }, "rank");
    assert.equal(plain.predict(dataset, configs).order, undefined);
  });
});
