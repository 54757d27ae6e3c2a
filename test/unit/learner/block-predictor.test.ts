import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BlockPredictor, RegionFinder } from "../../../src/learner/block-predictor.ts";
import { predictTrees } from "../../../src/learner/trees.ts";
import { buildModel, rng } from "./tree-builder.ts";
import { randomConfig, randomDataset, tinyLearner } from "./tiny-learner.ts";

const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

describe("BlockPredictor", () => {
  // Column 0 describes the dataset, column 1 the configuration; the dataset split sits below a
  // configuration split on one side only, so a dataset's region depends on both subtrees.
  const model = buildModel(
    [
      {
        feature: 1, threshold: 0.5, cover: 10,
        left: { feature: 0, threshold: 0.3, defaultLeft: true, cover: 5, left: { leaf: 1, cover: 2 }, right: { leaf: 2, cover: 3 } },
        right: { leaf: 3, cover: 5 },
      },
      { feature: 0, threshold: 0.7, cover: 10, left: { feature: 1, threshold: 0.2, cover: 6, left: { leaf: -1, cover: 3 }, right: { leaf: 0.5, cover: 3 } }, right: { leaf: 4, cover: 4 } },
    ],
    2,
    0.25,
  );
  const configs = Float32Array.from([NaN, 0.1, NaN, 0.9, NaN, NaN, NaN, 0.3]);
  const full = (d: number) => Float32Array.from([d, 0.1, d, 0.9, d, NaN, d, 0.3]);

  it("predicts what predictTrees predicts on the full rows, for datasets on every side of every split and missing", () => {
    const block = new BlockPredictor(new RegionFinder(model, Uint8Array.from([1, 0])), configs, 4);
    for (const d of [0.1, 0.5, 0.9, NaN, 0.1, 0.9, 0.29, 0.31])
      close(block.predict(Float32Array.from([d, NaN])), predictTrees(model, full(d), 4), `dataset ${d}`);
    const { hits, misses } = block.stats();
    assert.ok(hits > 0 && misses > 0, `repeated datasets hit the cache (${hits} hits, ${misses} misses)`);
  });

  it("a twin (same trees, other leaves) predicts its own model exactly, before or after the original; other trees are refused", () => {
    const other = { ...model, baseScore: 0, value: model.value.map((v, i) => (model.left[i] < 0 ? 10 * v - i : 0)) };
    for (const twinFirst of [true, false]) {
      const block = new BlockPredictor(new RegionFinder(model, Uint8Array.from([1, 0])), configs, 4);
      const twin = block.twin(other);
      for (const d of [0.1, 0.9, NaN, 0.5]) {
        const row = Float32Array.from([d, NaN]);
        const [a, b] = twinFirst ? [twin.predict(row), block.predict(row)] : [block.predict(row), twin.predict(row)].reverse();
        close(a, predictTrees(other, full(d), 4), `twin, dataset ${d}`);
        close(b, predictTrees(model, full(d), 4), `original, dataset ${d}`);
      }
    }
    const pruned = buildModel([{ leaf: 1, cover: 1 }, { leaf: 2, cover: 1 }], 2);
    assert.throws(() => new BlockPredictor(new RegionFinder(model, Uint8Array.from([1, 0])), configs, 4).twin(pruned), /same trees/);
  });

  it("stays exact when its caches overflow (one region remembered per tree)", () => {
    const block = new BlockPredictor(new RegionFinder(model, Uint8Array.from([1, 0])), configs, 4, { regionsPerTree: 1 });
    for (const d of [0.1, 0.9, 0.1, NaN, 0.5, 0.1]) close(block.predict(Float32Array.from([d, NaN])), predictTrees(model, full(d), 4), `dataset ${d}`);
  });
});

describe("MetaLearner.predictPrepared", () => {
  it("equals predict on trained trees for many datasets, with the cost model", () => {
    const learner = tinyLearner();
    const r = rng(5);
    const configs = Array.from({ length: 150 }, () => randomConfig(r));
    const prepared = learner.prepare(configs);
    const datasets = Array.from({ length: 12 }, () => randomDataset(r));
    for (const d of [...datasets, ...datasets]) {
      const want = learner.predict(d, configs);
      const got = learner.predictPrepared(d, prepared);
      close(got.mean, want.mean, "mean");
      close(got.spread, want.spread, "spread");
      close(got.seconds, want.seconds, "seconds");
    }
    const s = prepared.outcome[0].stats();
    assert.ok(s.hits >= 12, `the second pass over the same datasets is served from the cache (${JSON.stringify(s)})`);
  });
});
