import assert from "node:assert/strict";
import { it } from "node:test";
import { RegionShap } from "../../../src/explain/region-shap.ts";
import { driversOf } from "../../../src/recommend/drivers.ts";
import { candidate, dataset, tinyStageLearner } from "./stage-fixtures.ts";

const learner = tinyStageLearner();
const shap = new RegionShap(learner);

it("the model and the hyperparameters the configuration sets, strongest first, rounded SHAP values", () => {
  const cfg = candidate("c", "m1", { lr: 0.000123456, wd: 0.25, opt: "adam" });
  const ds = driversOf(shap, dataset, cfg);
  const g = shap.grouped(dataset, cfg);
  const expected = new Map(g.groups.map((name, j) => [name, Number(g.values[j].toFixed(4))]));
  assert.deepEqual(ds.map((d) => d.name).sort(), ["lr", "model", "opt", "wd"], "no meta-feature or domain");
  for (const d of ds) assert.equal(d.contribution, expected.get(d.name), d.name);
  for (let i = 1; i < ds.length; i++) assert.ok(Math.abs(ds[i - 1].contribution) >= Math.abs(ds[i].contribution));
  const value = Object.fromEntries(ds.map((d) => [d.name, d.value]));
  assert.deepEqual(value, { model: "m1", lr: "1.23e-4", wd: "0.25", opt: "adam" });
});

it("a hyperparameter the configuration leaves unset (another model's) is no driver", () => {
  const ds = driversOf(shap, dataset, candidate("c", "m2", { lr: 0.01, wd: null, opt: "sgd" }));
  assert.ok(!ds.some((d) => d.name === "wd"));
  assert.ok(!ds.some((d) => d.value === "unset"));
});
