import assert from "node:assert/strict";
import { it } from "node:test";
import { RegionShap } from "../../../src/explain/region-shap.ts";
import { groupedShap } from "../../../src/explain/shap-matrix.ts";
import { rng } from "../learner/tree-builder.ts";
import { randomConfig, randomDataset, tinyLearner } from "../learner/tiny-learner.ts";

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
