import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { checkText, type CheckedClaim } from "../../../src/judge/claims/check.ts";
import { packKnowledge, type PackKnowledge } from "../../../src/judge/pack-knowledge.ts";
import { loadEngine } from "../../../src/recommend/engine.ts";
import type { Recommendation } from "../../../src/recommend/schema.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";

/**
 * Every kind of claim, true and false, in the deterministic writer's phrasing and in LLM phrasings, checked
 * against a real answer of the default pack. Each text is built here from the answer's own numbers, so what is
 * true or false is known without the judge.
 */
describe("claims of the text, each kind true and false", () => {
  let rec: Recommendation;
  let k: PackKnowledge;
  before(async () => {
    const { recommender } = await loadEngine(DEFAULT_PACK);
    k = packKnowledge(recommender.pack, recommender);
    rec = await recommender.recommend({ dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 }, domain: "medical" }, samples: 300 });
  });

  /** The claims of `text` about the answer (changed by `edit` first). */
  function claims(text: string, edit: (r: Recommendation) => void = () => {}): CheckedClaim[] {
    const r = structuredClone(rec);
    edit(r);
    return checkText({ ...r, justification: text }, k.vocabulary, k.tolerances).claims;
  }

  /** The statuses of the claims of one kind in `text`. */
  function statuses(text: string, kind: string, edit?: (r: Recommendation) => void): string[] {
    return claims(text, edit)
      .filter((c) => c.kind === kind)
      .map((c) => c.status);
  }

  const p = () => rec.recommendation.predicted;
  const other = () => k.vocabulary.models.find((m) => m !== rec.recommendation.model && !rec.alternatives.some((a) => a.model === m))!;

  test("the recommended model", () => {
    assert.deepEqual(statuses(`I recommend ${rec.recommendation.model} for this dataset.`, "model"), ["true"]);
    assert.deepEqual(statuses(`I recommend ${other()} for this dataset.`, "model"), ["false"]);
    assert.deepEqual(statuses(`${other()} with the configuration below has a predicted top1_accuracy of about 80.`, "model"), ["false"]);
  });

  test("the predicted metric, as the writer and as LLMs write it", () => {
    const m = p().metric;
    for (const text of [
      `${rec.recommendation.model} with the configuration below has a predicted top1_accuracy of about ${m.toFixed(1)}.`,
      `Go with ${rec.recommendation.model}: it should reach ~${Math.round(m)}% top-1 accuracy.`,
      `I recommend ${rec.recommendation.model} (top1_accuracy ≈ ${m.toFixed(1)}).`,
      `Expected accuracy of roughly ${(m / 100).toFixed(3)} for ${rec.recommendation.model}.`,
    ])
      assert.deepEqual(statuses(text, "metric"), ["true"], text);
    for (const text of [
      `${rec.recommendation.model} has a predicted top1_accuracy of about ${(m + 11).toFixed(1)}.`,
      `Go with ${rec.recommendation.model}: it should reach ~${Math.round(m - 11)}% top-1 accuracy.`,
    ])
      assert.deepEqual(statuses(text, "metric"), ["false"], text);
  });

  test("the range of the predicted metric", () => {
    const [lo, hi] = p().interval;
    assert.deepEqual(statuses(`It has a predicted top1_accuracy of about ${p().metric.toFixed(1)} (range ${lo.toFixed(1)}-${hi.toFixed(1)}).`, "interval"), ["true"]);
    assert.deepEqual(statuses(`It should reach ~${Math.round(p().metric)}% top-1 (likely between ${Math.round(lo)} and ${Math.round(hi)}%).`, "interval"), ["true"]);
    assert.deepEqual(statuses(`It has a predicted top1_accuracy of about ${p().metric.toFixed(1)} (range ${(lo + 10).toFixed(1)}-${hi.toFixed(1)}).`, "interval"), ["false"]);
  });

  test("training time, in seconds, minutes or hours", () => {
    const s = p().seconds!;
    assert.deepEqual(statuses(`Training is predicted to take about ${Math.round(s / 60)} min.`, "seconds"), ["true"]);
    assert.deepEqual(statuses(`It trains in ~${Math.round(s)} seconds.`, "seconds"), ["true"]);
    assert.deepEqual(statuses(`Expect roughly ${(s / 3600).toFixed(2)} hours of training.`, "seconds"), ["true"]);
    assert.deepEqual(statuses(`Training is predicted to take about ${Math.round((3 * s) / 60)} min.`, "seconds"), ["false"]);
    assert.deepEqual(statuses(`It trains in under ${Math.round(s / 120)} minutes.`, "seconds"), ["false"], "an upper bound below the prediction");
  });

  test("hyperparameter values: numbers, names as people write them, categories", () => {
    const h = rec.recommendation.hyperparameters;
    const lr = h.lr as number;
    const bs = h.batch_size as number;
    assert.deepEqual(statuses(`Use a learning rate of ${lr.toExponential(2)} and batch size ${bs}.`, "hyperparameter"), ["true", "true"]);
    assert.deepEqual(statuses(`Set lr = ${lr * 10} and batch_size: ${bs * 4}.`, "hyperparameter"), ["false", "false"]);
    assert.deepEqual(statuses(`With opt = ${h.opt}.`, "hyperparameter"), ["true"]);
    const otherOpt = k.vocabulary.hyperparameters.opt.type === "categorical" ? k.vocabulary.hyperparameters.opt.values.find((v) => v !== h.opt)! : "";
    assert.deepEqual(statuses(`With opt = ${otherOpt}.`, "hyperparameter"), ["false"]);
    // An everyday word is a value only when bound to it; units make it no value at all.
    assert.deepEqual(statuses("Accuracy may drop 5 points on noisy data.", "hyperparameter"), []);
  });

  test("SHAP contributions of the drivers", () => {
    const d = rec.drivers.find((x) => x.name !== "model")!;
    const sign = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;
    assert.deepEqual(statuses(`It is driven by ${d.name} = ${d.value} (${sign(d.contribution)}).`, "driver"), ["true"]);
    assert.deepEqual(statuses(`It is driven by ${d.name} = ${d.value} (${sign(-d.contribution - 0.05)}).`, "driver"), ["false"]);
    assert.deepEqual(statuses(`${d.name} contributes ${sign(d.contribution)} to the predicted score.`, "driver"), ["true"]);
  });

  test("similar datasets and how similar", () => {
    const [a, b] = rec.similarDatasets;
    const listed = new Set(rec.similarDatasets.map((s) => s.id));
    const notListed = k.vocabulary.datasetIds.find((id) => !listed.has(id))!;
    assert.deepEqual(statuses(`The closest past datasets are ${a.id} and ${b.id}.`, "similar-dataset"), ["true", "true"]);
    assert.deepEqual(statuses(`It is most similar to ${notListed}.`, "similar-dataset"), ["false"]);
    assert.deepEqual(statuses(`The closest past dataset is ${a.id} (similarity ${a.similarity.toFixed(2)}).`, "similarity"), ["true"]);
    assert.deepEqual(statuses(`The closest past dataset is ${a.id} (similarity ${(a.similarity - 0.2).toFixed(2)}).`, "similarity"), ["false"]);
    assert.deepEqual(statuses(`${a.id} is ${Math.round(100 * a.similarity)}% similar.`, "similarity"), ["true"]);
  });

  test("percentile statements: true, false, and what no data supports", () => {
    const pct = Math.round(100 * Math.min(1, Math.max(0, p().score)));
    const q = Math.min(pct, 90);
    const withScore = (r: Recommendation) => (r.recommendation.predicted.score = q / 100);
    assert.deepEqual(statuses(`i.e. better than about ${q}% of the configurations tried on similar datasets.`, "percentile", withScore), ["true"]);
    assert.deepEqual(statuses(`That should beat about ${q - 30}% of the configurations tried.`, "percentile", withScore), ["false"]);
    assert.deepEqual(statuses(`It should rank in the top ${100 - q}% of the configurations.`, "percentile", withScore), ["true"]);
    assert.deepEqual(statuses(`It should rank in the top ${Math.min(100, 130 - q)}% of the configurations.`, "percentile", withScore), ["false"]);
    assert.deepEqual(statuses(`It sits around the ${q}th percentile of past runs.`, "percentile", withScore), ["true"]);
    assert.deepEqual(statuses("better than about 100% of the configurations tried on similar datasets.", "percentile"), ["unsupported"]);
    assert.deepEqual(statuses("better than about 120% of the configurations tried.", "percentile"), ["false"]);
  });

  test("'within N points' and 'no faster candidate'", () => {
    const faster = (r: Recommendation) => {
      const alt = r.alternatives[0];
      alt.predicted.metric = r.recommendation.predicted.metric - 0.5;
      alt.predicted.seconds = r.recommendation.predicted.seconds! / 2;
    };
    const alt = rec.alternatives[0];
    const text = `If time matters more, ${alt.model} (${alt.candidateId}) is predicted within 1 point.`;
    assert.deepEqual(statuses(text, "within", faster), ["true"]);
    assert.deepEqual(statuses(text, "within", (r) => (r.alternatives[0].predicted.metric = r.recommendation.predicted.metric - 3)), ["false"]);
    const none = "No candidate within 1 point of it is predicted to train faster.";
    assert.deepEqual(statuses(none, "none-faster", faster), ["false"]);
    assert.deepEqual(statuses(none, "none-faster", (r) => r.alternatives.forEach((a) => (a.predicted.seconds = 2 * r.recommendation.predicted.seconds!))), ["true"]);
  });

  test("constraints: budget, fixed values, model lists, objective", () => {
    const budget = (r: Recommendation) => (r.constraints = { budgetSeconds: 7200, fixed: { batch_size: 32 }, allowModels: [r.recommendation.model] });
    assert.deepEqual(statuses("It fits your budget of 2 h.", "budget", budget), ["true"]);
    assert.deepEqual(statuses("Constraints respected: predicted training time at most 30 min.", "budget", budget), ["false"]);
    assert.deepEqual(statuses("It fits your budget of 2 h.", "budget"), ["false"], "the answer has no budget");
    assert.deepEqual(statuses("Constraints respected: batch_size fixed at 32.", "fixed", budget), ["true"]);
    assert.deepEqual(statuses("Constraints respected: batch_size fixed at 64.", "fixed", budget), ["false"]);
    assert.deepEqual(statuses(`Constraints respected: models limited to ${rec.recommendation.model}.`, "models-allowed", budget), ["true"]);
    assert.deepEqual(statuses(`Constraints respected: models limited to ${other()}.`, "models-allowed", budget), ["false"]);
    assert.deepEqual(statuses("Objective: accuracy.", "objective"), ["true"]);
    assert.deepEqual(statuses("Objective: cost.", "objective"), ["false"]);
  });

  test("the new dataset's size and classes", () => {
    assert.deepEqual(statuses("For your 3,000 images in 7 classes, here is my pick.", "dataset"), ["true", "true"]);
    assert.deepEqual(statuses("For your 30,000 images in 70 classes, here is my pick.", "dataset"), ["false", "false"]);
  });

  test("completeness: the model and its metric named, something checkable said", () => {
    const missing = (text: string) => checkText({ ...rec, justification: text }, k.vocabulary, k.tolerances).missing;
    assert.deepEqual(missing(`I recommend ${rec.recommendation.model}: about ${p().metric.toFixed(1)} top-1 accuracy.`), []);
    const nonsense = missing("I will you go to the park and make a pictround. [hp:linear_probing]");
    assert.equal(nonsense.length, 3, nonsense.join("; "));
    assert.match(nonsense.join("; "), new RegExp(`does not name the recommended model ${rec.recommendation.model}.*does not state the predicted top1_accuracy.*no claim that can be checked`));
    assert.deepEqual(missing(`I recommend ${rec.recommendation.model}.`).length, 1);
  });

  test("the answer's own warnings in the text are not claims", () => {
    const warned = (r: Recommendation) => (r.warnings = ["no candidate is predicted to train within the budget; the cheapest needs about 99999 s"]);
    assert.deepEqual(claims("Warning: no candidate is predicted to train within the budget; the cheapest needs about 99999 s.", warned), []);
  });
});
