import assert from "node:assert/strict";
import { it } from "node:test";
import { toConfig } from "../../../src/recommend/answer-config.ts";
import type { SearchSpace } from "../../../src/metadata/schema.ts";
import { candidate, scored, space } from "./stage-fixtures.ts";

it("states the prediction rounded: scores to 4 decimals, the metric and its range to 2, seconds whole", () => {
  const s = { ...scored("s7", { mean: 0.123456, metric: 81.23456, interval: [70.004, 90.996], seconds: 1234.5678, prior: 0.0123456 }), spread: 0.0456789 };
  assert.deepEqual(toConfig(s, space), {
    candidateId: "s7",
    model: "m1",
    hyperparameters: { lr: 0.001, wd: 0.1, opt: "sgd" },
    predicted: { score: 0.1235, spread: 0.0457, metric: 81.23, interval: [70, 91], seconds: 1235, prior: 0.0123 },
    origin: "sample",
  });
});

it("an unknown cost is null, a metric unknown stays NaN, and no prior is stated when it is off", () => {
  const p = toConfig(scored("a", { seconds: NaN, metric: NaN, interval: [NaN, NaN] }), space).predicted;
  assert.equal(p.seconds, null);
  assert.ok(Number.isNaN(p.metric));
  assert.equal("prior" in p, false);
});

it("leaves out the hyperparameters of other models' spaces, keeps the model's own inactive ones", () => {
  const withMomentum: SearchSpace = {
    ...space,
    hyperparameters: { ...space.hyperparameters, momentum: { type: "float", low: 0, high: 1, log: false, condition: { parent: "opt", values: ["sgd"] } } },
  };
  const m2 = { ...scored("b"), candidate: candidate("b", "m2", { lr: 0.01, wd: null, opt: "adam", momentum: null }) };
  assert.deepEqual(toConfig(m2, withMomentum).hyperparameters, { lr: 0.01, opt: "adam", momentum: null });
  const m1 = { ...scored("c"), candidate: candidate("c", "m1", { lr: 0.01, wd: null, opt: "adam", momentum: null }) };
  assert.deepEqual(toConfig(m1, withMomentum).hyperparameters, { lr: 0.01, wd: null, opt: "adam", momentum: null });
});
