import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeMetaDatasets } from "../../../src/metadata/merge.ts";
import { inferSearchSpace } from "../../../src/metadata/search-space.ts";
import type { HpValue, MetaDataset, Run } from "../../../src/metadata/schema.ts";
import { inputErrorText } from "./fixtures.ts";

function md(name: string, datasets: [string, number][], runs: [string, string, Record<string, HpValue>, number][]): MetaDataset {
  const rs: Run[] = runs.map(([id, datasetId, hyperparameters, y]) => ({ id, datasetId, model: "net", hyperparameters, outcome: { best: y, final: y }, cost: {}, status: "completed" }));
  return {
    name,
    format: "generic",
    kind: "table",
    metric: { name: "acc", direction: "max" },
    datasets: datasets.map(([id, n]) => ({ id, name: id, metaFeatures: { n_samples: n }, source: name })),
    runs: rs,
    models: ["net"],
    searchSpace: inferSearchSpace(rs),
  };
}

const A = md("a", [["d1", 100], ["d2", 200]], [
  ["1", "d1", { lr: 0.1, opt: "adam", betas: "[0.9, 0.99]" }, 0.5],
  ["2", "d2", { lr: 0.001, opt: "sgd", betas: "[0.0, 0.99]" }, 0.7],
]);


test("merge: runs pooled, spaces united, clashing run ids prefixed, one id with the same card pooled", () => {
  const B = md("b", [["d3", 50], ["d1", 100]], [
    ["1", "d3", { lr: 0.01, opt: "adamw", betas: "[0.9, 0.99]", depth: 18 }, 0.9],
    ["2", "d3", { lr: 0.0001, opt: "adam", betas: "[0.9, 0.99]", depth: 50 }, 0.2],
    ["3", "d1", { lr: 0.05, opt: "adam", betas: "[0.9, 0.99]", depth: 34 }, 0.6],
  ]);
  const { metaDataset: m, warnings } = mergeMetaDatasets([A, B]);
  assert.equal(m.name, "a+b");
  assert.deepEqual(m.datasets.map((d) => d.id), ["d1", "d2", "d3"]);
  assert.deepEqual(m.runs.map((r) => r.id), ["1", "2", "b:1", "b:2", "b:3"]);
  assert.match(warnings[0], /dataset d1 is in a and b with the same meta-features: their runs are pooled/);
  const s = m.searchSpace.hyperparameters;
  assert.deepEqual(s.opt, { type: "categorical", values: ["adam", "adamw", "sgd"] });
  assert.ok(s.lr.type === "float" && s.lr.low === 0.0001 && s.lr.high === 0.1);
  assert.ok(s.depth.type === "int"); // only b has it: kept, missing in a's runs
});

test("merge: a namesake dataset (same id, other card) is told apart, not pooled", () => {
  const twin = md("b", [["d1", 999]], [["9", "d1", { lr: 0.01, opt: "adam", betas: "[0.9, 0.99]" }, 0.9]]);
  const { metaDataset: m, warnings } = mergeMetaDatasets([A, twin]);
  assert.deepEqual(m.datasets.map((d) => [d.id, d.metaFeatures.n_samples]), [["d1", 100], ["d1@b", 999], ["d2", 200]]);
  assert.deepEqual(m.runs.map((r) => [r.id, r.datasetId]), [["1", "d1"], ["2", "d2"], ["9", "d1@b"]]);
  assert.match(warnings.join("\n"), /1 dataset of b shares its id with other datasets \(other meta-features\): renamed d1@b/);
});

test("merge: the same value spelled differently, another metric or type stop the merge with the fix", () => {
  const spelled = md("b", [["d3", 50]], [["1", "d3", { lr: 0.01, opt: "adam", betas: "[0.9,0.99]" }, 0.9], ["2", "d3", { lr: 0.02, opt: "sgd", betas: "[0,0.99]" }, 0.8]]);
  assert.match(inputErrorText(() => mergeMetaDatasets([A, spelled])), /b writes hyperparameters differently from a:[\s\S]*betas is written "\[0\.9,0\.99\]"[\s\S]*fix: values: \{betas: \{'\[0\.9,0\.99\]': '\[0\.9, 0\.99\]'/);
  const other = { ...md("b", [["d3", 50]], [["1", "d3", { lr: 0.01 }, 0.9]]), metric: { name: "loss", direction: "min" as const } };
  assert.match(inputErrorText(() => mergeMetaDatasets([A, other])), /b measures loss \(min\), a acc \(max\)[\s\S]*fix: if they are the same quantity/);
  const typed = md("b", [["d3", 50]], [["1", "d3", { lr: "high", opt: "adam", betas: "[0.9, 0.99]" }, 0.9], ["2", "d3", { lr: "low", opt: "sgd", betas: "[0.9, 0.99]" }, 0.1]]);
  assert.match(inputErrorText(() => mergeMetaDatasets([A, typed])), /lr is float in a but takes "high"/);
});
