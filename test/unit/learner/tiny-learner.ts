/** A small real meta-learner for tests: boosted trees trained on synthetic (dataset, configuration) rows. */
import type { FeatureMap } from "../../../src/learner/features.ts";
import { MetaLearner } from "../../../src/learner/meta-learner.ts";
import { trainBooster } from "../../../src/learner/xgboost.ts";
import { rng } from "./tree-builder.ts";

export const featureMap: FeatureMap = {
  columns: [
    { name: "n_samples", group: "n_samples", kind: "meta", log: true },
    { name: "n_classes", group: "n_classes", kind: "meta", log: true },
    { name: "domain=a", group: "domain", kind: "domain", category: "a" },
    { name: "domain=b", group: "domain", kind: "domain", category: "b" },
    { name: "model=m1", group: "model", kind: "model", category: "m1" },
    { name: "model=m2", group: "model", kind: "model", category: "m2" },
    { name: "lr", group: "lr", kind: "hp", log: true },
    { name: "wd", group: "wd", kind: "hp" },
    { name: "opt=sgd", group: "opt", kind: "hp", category: "sgd" },
    { name: "opt=adam", group: "opt", kind: "hp", category: "adam" },
  ],
  metaFeatures: ["n_classes", "n_samples"],
  domains: ["a", "b"],
  modalities: [],
  models: ["m1", "m2"],
};

/** Random datasets (with a missing meta-feature now and then) and configurations (with inactive values). */
export function randomDataset(r: () => number) {
  return { metaFeatures: { n_samples: Math.round(10 ** (2 + 3 * r())), ...(r() < 0.1 ? {} : { n_classes: 2 + Math.floor(98 * r()) }) }, domain: r() < 0.5 ? "a" : "b" };
}
export function randomConfig(r: () => number) {
  return { model: r() < 0.5 ? "m1" : "m2", hyperparameters: { lr: 10 ** (-5 + 4 * r()), wd: r() < 0.2 ? null : r(), opt: r() < 0.5 ? "sgd" : "adam" } };
}

/** Outcome depends on dataset x configuration interactions, so trees mix dataset and configuration splits. */
export function tinyLearner(seeds = 3, nRows = 600): MetaLearner {
  const r = rng(11);
  const proto = new MetaLearner(featureMap, [], undefined, "rank");
  const items = Array.from({ length: nRows }, () => ({ dataset: randomDataset(r), config: randomConfig(r) }));
  const X = proto.encoder.encode(items);
  const y = items.map(({ dataset: d, config: c }) => {
    const lr = Math.log10(c.hyperparameters.lr);
    const big = Math.log10(d.metaFeatures.n_samples) > 3.5;
    return (big ? -Math.abs(lr + 3) : -Math.abs(lr + 4)) + (c.model === "m1" && d.domain === "a" ? 1 : 0) + 0.1 * r();
  });
  const cost = items.map(({ dataset: d, config: c }) => Math.log10(d.metaFeatures.n_samples) + (c.model === "m2" ? 0.5 : 0));
  const p = { n_estimators: 30, max_depth: 5, eta: 0.3, subsample: 0.8, colsample_bytree: 0.9 };
  const outcome = Array.from({ length: seeds }, (_, s) => trainBooster(X, nRows, featureMap.columns.length, y, { ...p, seed: s }).model);
  return new MetaLearner(featureMap, outcome, trainBooster(X, nRows, featureMap.columns.length, cost, p).model, "rank");
}
