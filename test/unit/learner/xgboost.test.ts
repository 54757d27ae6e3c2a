import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/util/errors.ts";
import { OBJECTIVES, predictTrees } from "../../../src/learner/trees.ts";
import { BoosterParams, predictWithWasm, trainBooster } from "../../../src/learner/xgboost.ts";
import { randomRows, rng } from "./tree-builder.ts";

const N = 300;
const P = 5;
const X = randomRows(N, P, 42, 0.15);
// Column 3 holds real -1 values, which ml-xgboost would otherwise take as missing.
for (let i = 0; i < N; i += 3) X[i * P + 3] = -1;
const noise = rng(7);
const y = Array.from({ length: N }, (_, i) => 0.3 * (X[i * P] > 0.5 ? 1 : 0) + 0.4 * (X[i * P + 3] === -1 ? 1 : 0) + 0.2 * noise());

describe("BoosterParams / trainBooster validation", () => {
  it("rejects objectives the wasm does not know before calling it (the process survives)", () => {
    for (const objective of ["reg:squarederror", "multi:softmax", "rank:pairwise", "bogus"]) {
      assert.equal(BoosterParams.safeParse({ objective }).success, false, objective);
      assert.throws(() => trainBooster(X, N, P, y, { objective } as never), InputError);
    }
    // The wasm is still alive and usable afterwards.
    assert.equal(trainBooster(X, N, P, y, { n_estimators: 2 }).model.nTrees, 2);
  });

  it("rejects unknown keys and out-of-range values", () => {
    for (const bad of [{ iterations: 10 }, { subsample: 0 }, { max_depth: 0 }, { eta: 2 }, { n_estimators: 1.5 }, { seed: -1 }, { tree_method: "gpu_hist" }])
      assert.equal(BoosterParams.safeParse(bad).success, false, JSON.stringify(bad));
    const d = BoosterParams.parse({});
    assert.equal(d.objective, "reg:linear");
    assert.equal(d.subsample, 0.8, "our default, not ml-xgboost's 0.5");
  });

  it("rejects labels outside the objective's domain and bad shapes", () => {
    assert.throws(() => trainBooster(X, N, P, y.map((v, i) => (i === 5 ? 2 : v)), { objective: "binary:logistic" }), /label 5 is 2/);
    assert.throws(() => trainBooster(X, N, P, y.map((v, i) => (i === 0 ? 0 : v)), { objective: "reg:gamma" }), /label 0 is 0/);
    assert.throws(() => trainBooster(X, N, P, y.map((v, i) => (i === 1 ? NaN : v))), InputError);
    assert.throws(() => trainBooster(X, N, P, y.slice(1)), /labels for/);
    assert.throws(() => trainBooster(X, N, P + 1, y), /values for/);
    assert.throws(() => trainBooster([[1, 2], [3]], [1, 2]), /row 1 has 1 values/);
  });
});

describe("trainBooster", () => {
  it("is deterministic per seed, and seeds differ when rows are subsampled", () => {
    const params = { n_estimators: 15, max_depth: 4, subsample: 0.7 };
    const a = trainBooster(X, N, P, y, { ...params, seed: 1 }).bytes;
    const b = trainBooster(X, N, P, y, { ...params, seed: 2 }).bytes;
    const a2 = trainBooster(X, N, P, y, { ...params, seed: 1 }).bytes;
    assert.deepEqual(a2, a);
    assert.notDeepEqual(b, a);
  });

  it("accepts number[][] rows like row-major float32", () => {
    const arrays = Array.from({ length: N }, (_, i) => Array.from(X.subarray(i * P, (i + 1) * P)));
    assert.deepEqual(trainBooster(arrays, y, { n_estimators: 5 }).bytes, trainBooster(X, N, P, y, { n_estimators: 5 }).bytes);
  });

  it("keeps a real -1 apart from missing (ml-xgboost's hard-coded missing value)", () => {
    // One stump: y = 10 where x = -1, y = x elsewhere; x is sometimes NaN (y = 5).
    const n = 120;
    const x = new Float32Array(n);
    const t = x.map((_, i) => (i % 4 === 0 ? ((x[i] = -1), 10) : i % 4 === 1 ? ((x[i] = NaN), 5) : ((x[i] = 1 + i / n), x[i])));
    const { model } = trainBooster(x, n, 1, Array.from(t), { n_estimators: 1, max_depth: 2, eta: 1, lambda: 0, subsample: 1 });
    const p = predictTrees(model, Float32Array.of(-1, NaN, 1.5), 3);
    assert.ok(Math.abs(p[0] - 10) < 1e-4, `x=-1 predicts ${p[0]}`);
    assert.ok(Math.abs(p[1] - 5) < 1e-4, `x=NaN predicts ${p[1]}`);
  });

  for (const objective of OBJECTIVES) {
    it(`parsed trees predict like ml-xgboost itself (${objective}, float32)`, () => {
      const labels = objective.startsWith("binary") ? y.map((v) => (v > 0.4 ? 1 : 0)) : y.map((v) => v + 0.01);
      const { model, bytes } = trainBooster(X, N, P, labels, { objective, n_estimators: 25, max_depth: 5 });
      assert.equal(model.objective, objective);
      const ours = predictTrees(model, X, N);
      const theirs = predictWithWasm(bytes, X, N, P);
      for (let i = 0; i < N; i++)
        assert.ok(Math.abs(Math.fround(ours[i]) - theirs[i]) <= 1e-6 * Math.max(1, Math.abs(theirs[i])), `row ${i}: ${ours[i]} vs ${theirs[i]}`);
    });
  }
});
