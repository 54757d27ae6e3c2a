import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../../src/util/errors.ts";
import { bestTrial, newStudy, recordAsked, tell } from "../../../src/study/study.ts";

const base = () =>
  recordAsked(newStudy("s1", "pack", "max", { dataset: { metaFeatures: { n_samples: 1000, n_classes: 5 } } }), [
    { candidateId: "s3", model: "m1", hyperparameters: { lr: 0.001, batch_size: 32 } },
  ]);

test("a result told by suggestion id resolves to its configuration; by value it finds the suggestion", () => {
  const { study, trial } = tell(base(), { config: "s3", value: 71.2, seconds: 3600 });
  assert.deepEqual(trial.config, { model: "m1", hyperparameters: { lr: 0.001, batch_size: 32 } });
  assert.equal(trial.candidateId, "s3");
  assert.equal(study.trials.length, 1);
  const again = tell(study, { config: { model: "m1", hyperparameters: { batch_size: 32, lr: 0.001 } }, value: 69 });
  assert.equal(again.trial.candidateId, "s3");
  assert.equal(again.trial.id, "t2");
  assert.equal(bestTrial(again.study)?.value, 71.2);
});

test("the same trial id told twice counts once; with another result it is refused", () => {
  const first = tell(base(), { trialId: "run-7", config: "s3", value: 70 });
  const dup = tell(first.study, { trialId: "run-7", config: "s3", value: 70 });
  assert.equal(dup.duplicate, true);
  assert.equal(dup.study.trials.length, 1);
  assert.throws(() => tell(first.study, { trialId: "run-7", config: "s3", value: 75 }), (e: unknown) => e instanceof InputError && /already told/.test(e.message));
});

test("bad results are input errors naming the field", () => {
  assert.throws(() => tell(base(), { config: "s3" }), (e: unknown) => e instanceof InputError && e.where === "tell.value");
  assert.throws(() => tell(base(), { config: "s3", value: 3, failed: "oom" }), (e: unknown) => e instanceof InputError && /failed run has no value/.test(e.message));
  assert.throws(() => tell(base(), { config: "nope", value: 3 }), (e: unknown) => e instanceof InputError && e.where === "tell.config" && /s3/.test(e.hint ?? ""));
});

test("a failure is recorded without a value and never becomes the best", () => {
  const { study } = tell(base(), { config: "s3", failed: "oom", reason: "CUDA out of memory" });
  assert.equal(study.trials[0].value, null);
  assert.equal(study.trials[0].failed, "oom");
  assert.equal(bestTrial(study), undefined);
});

test("for a minimised metric the lowest value is the best", () => {
  const s = { ...base(), direction: "min" as const };
  const a = tell(s, { config: "s3", value: 0.4 }).study;
  assert.equal(bestTrial(tell(a, { config: { model: "m2", hyperparameters: {} }, value: 0.2 }).study)?.value, 0.2);
});
