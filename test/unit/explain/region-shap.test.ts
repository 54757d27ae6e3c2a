import assert from "node:assert/strict";
import { it } from "node:test";
import { RegionShap } from "../../../src/explain/region-shap.ts";
import { groupedShap } from "../../../src/explain/shap-matrix.ts";
import { rng } from "../learner/tree-builder.ts";
import { featureMap, randomConfig, randomDataset, tinyLearner } from "../learner/tiny-learner.ts";
import { MetaLearner } from "../../../src/learner/meta-learner.ts";
import { refitForRanking } from "../../../src/learner/lambdarank.ts";
import { lengthTrainingRows } from "../../../src/learner/full-length.ts";
import { trainBooster } from "../../../src/learner/xgboost.ts";

for (const [label, sizes] of [
  ["a cache large enough for every pair", {}],
  ["caches so small that entries and configuration ids are evicted and recomputed", { entriesPerTree: 3, configs: 2 }],
] as const) {
  it(`RegionShap equals grouped TreeSHAP on the full row, for repeated and new pairs (${label})`, () => {
    const learner = tinyLearner();
    const shap = new RegionShap(learner, sizes);
    const r = rng(9);
    const configs = Array.from({ length: 4 }, () => randomConfig(r));
    const datasets = Array.from({ length: 10 }, () => randomDataset(r));
    let largest = 0;
    for (let i = 0; i < 60; i++) {
      const d = datasets[i % datasets.length];
      const c = configs[(i * 7) % configs.length];
      const got = shap.grouped(d, c);
      const want = groupedShap(learner, learner.encoder.encodeForDataset(d, [c]), 1);
      assert.deepEqual(got.groups, want.groups);
      assert.ok(Math.abs(got.expected - want.expected) < 1e-12);
      want.values.forEach((v, j) => assert.ok(Math.abs(got.values[j] - v) < 1e-12, `pair ${i}, ${want.groups[j]}: ${got.values[j]} vs ${v}`));
      largest = Math.max(largest, ...want.values.map(Math.abs));
    }
    // The comparison is not between two vectors of zeros.
    assert.ok(largest > 1e-3, `largest |SHAP| ${largest}`);
  });
}

/** The tiny learner with a head: "ranking" refits each outcome member's leaves per dataset; "full-length" is trained on one more column, the training length. */
function withHead(kind: "ranking" | "full-length"): { learner: MetaLearner; plain: MetaLearner; head: MetaLearner } {
  const plain = tinyLearner();
  const r = rng(21);
  const datasets = Array.from({ length: 8 }, () => randomDataset(r));
  const items = datasets.flatMap((dataset) => Array.from({ length: 25 }, () => ({ dataset, config: randomConfig(r) })));
  const rows = plain.encoder.encode(items);
  const nCols = plain.encoder.nCols;
  // Lower learning rates are better on larger datasets: an order within each dataset for the head to learn.
  const gain = items.map(({ dataset: d, config: c }) => Math.max(0, 1 + Math.log10(c.hyperparameters.lr) / 5 - (d.metaFeatures.n_samples > 3000 ? 0.3 : 0) + (c.model === "m1" ? 0.2 : 0)));
  const head =
    kind === "ranking"
      ? plain.outcome.map((m) => refitForRanking(m, rows, items.length, datasets.map((_, k) => Array.from({ length: 25 }, (_, j) => 25 * k + j)), gain, { eta: 0.3, lambda: 1 }))
      : fullLengthHead(rows, nCols, gain, r);
  return {
    learner: new MetaLearner(featureMap, plain.outcome, plain.cost, "rank", head, kind, 30),
    plain,
    head: new MetaLearner(featureMap, head, undefined, "rank"),
  };
}

/** Two members trained on every run at a random length, the target rising with it (so the trees split on the length column). */
function fullLengthHead(rows: Float32Array, nCols: number, gain: number[], r: () => number) {
  const at = gain.map((g, run) => {
    const epochs = 1 + Math.floor(49 * r());
    return { run, epochs, target: g + Math.log10(epochs) };
  });
  const wide = lengthTrainingRows(rows, nCols, at);
  return [0, 1].map((seed) => trainBooster(wide, at.length, nCols + 1, at.map((a) => a.target), { n_estimators: 20, max_depth: 4, eta: 0.3, seed }).model);
}

for (const kind of ["ranking", "full-length"] as const) {
  it(`with the ${kind} head sharing the pick, RegionShap explains (1 − s) × the members' mean + s × the head's score, exactly`, () => {
    const { learner, plain, head } = withHead(kind);
    const shap = new RegionShap(learner);
    const r = rng(5);
    let headMatters = 0;
    for (let i = 0; i < 12; i++) {
      const d = randomDataset(r);
      const c = randomConfig(r);
      const pred = learner.predict(d, [c]);
      for (const s of [0, 0.4, 1]) {
        const got = shap.grouped(d, c, s);
        // Local accuracy: the values and the expected value add up to the blended prediction.
        const sum = got.values.reduce((a, v) => a + v, got.expected);
        const blend = (1 - s) * pred.mean[0] + s * pred.order![0];
        assert.ok(Math.abs(sum - blend) < 1e-5, `${kind}, share ${s}: SHAP sums to ${sum}, prediction ${blend}`);
        if (kind === "ranking") {
          // Against grouped TreeSHAP of each part on the full row (the head's trees as a learner of their own).
          const row = learner.encoder.encodeForDataset(d, [c]);
          const [a, b] = [groupedShap(plain, row, 1), groupedShap(head, row, 1)];
          a.values.forEach((v, j) => assert.ok(Math.abs(got.values[j] - ((1 - s) * v + s * b.values[j])) < 1e-9, `${a.groups[j]}, share ${s}`));
        }
      }
      const [zero, one] = [shap.grouped(d, c, 0).values, shap.grouped(d, c, 1).values];
      headMatters = Math.max(headMatters, ...zero.map((v, j) => Math.abs(v - one[j])));
    }
    assert.ok(headMatters > 1e-3, "the head's values differ from the members', so the share shows");
  });
}

it("a learner without a head explains the members whatever share is asked", () => {
  const learner = tinyLearner();
  const shap = new RegionShap(learner);
  const r = rng(3);
  const [d, c] = [randomDataset(r), randomConfig(r)];
  assert.deepEqual(shap.grouped(d, c, 0.5), shap.grouped(d, c, 0));
});

it("refuses a ranking head whose members are not their outcome members' trees (their regions would not apply)", () => {
  const plain = tinyLearner();
  const other = tinyLearner(3, 200);
  const learner = new MetaLearner(featureMap, plain.outcome, plain.cost, "rank", other.outcome, "ranking");
  const r = rng(4);
  const shap = new RegionShap(learner);
  assert.doesNotThrow(() => shap.grouped(randomDataset(r), randomConfig(r), 0));
  assert.throws(() => shap.grouped(randomDataset(r), randomConfig(r), 0.5), /outcome member's trees/);
});
