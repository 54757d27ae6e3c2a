import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../../src/util/errors.ts";
import { bestTrial, forget, newStudy, recordAsked, runningConfigs, scaleIssue, studyPack, tell, TellInput } from "../../../src/study/study.ts";

const base = () =>
  recordAsked(newStudy("s1", { pack: "pack", direction: "max" }, { dataset: { metaFeatures: { n_samples: 1000, n_classes: 5 } } }), [
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

// A pack-like object: two past datasets whose outcome quantiles span 0.5–97 (a percentage metric).
const percentPack = {
  manifest: { name: "p", metric: { name: "top1_accuracy", direction: "max" as const } },
  datasets: [{ quantiles: [2, 40, 97] }, { quantiles: [0.5, 10, 80] }],
} as unknown as Parameters<typeof studyPack>[0];

test("a study records its pack's metric and the range of the past runs' outcomes", () => {
  assert.deepEqual(studyPack(percentPack), { pack: "p", direction: "max", metric: { name: "top1_accuracy", pastRange: [0.5, 97] } });
  const bare = { ...percentPack, datasets: [{ quantiles: [] }] } as unknown as Parameters<typeof studyPack>[0];
  assert.equal(studyPack(bare).metric, undefined);
});

test("a value on another scale than the past runs' is told with a warning, never refused", () => {
  const study = recordAsked(newStudy("s2", studyPack(percentPack), { dataset: { metaFeatures: { n_samples: 1000, n_classes: 5 } } }), base().asked);
  const fraction = tell(study, { config: "s3", value: 0.712 });
  assert.equal(fraction.trial.value, 0.712, "recorded as told");
  assert.equal(fraction.warnings.length, 1);
  assert.match(fraction.warnings[0], /^0\.712 looks like a fraction: top1_accuracy in the past runs goes from 0\.5 to 97, so 71\.2 % is told as 71\.2/);
  assert.deepEqual(tell(study, { config: "s3", value: 71.2 }).warnings, []);
  assert.match(tell(study, { config: "s3", value: 120 }).warnings[0], /^120 is outside every past run/);
  assert.deepEqual(tell(study, { config: "s3", failed: "oom" }).warnings, []);
  assert.deepEqual(scaleIssue(study, 0.712), { kind: "fraction", rescaled: 71.2, text: fraction.warnings[0] });
  // A metric on 0–1 told as a percentage; a minimised metric is never read as a fraction; older studies have no range.
  const unit = { direction: "max" as const, metric: { name: "auc", pastRange: [0.4, 0.99] as [number, number] } };
  assert.equal(scaleIssue(unit, 83)?.kind, "percentage");
  assert.equal(scaleIssue(unit, 83)?.rescaled, 0.83);
  assert.equal(scaleIssue(unit, 0.83), undefined);
  assert.equal(scaleIssue({ direction: "min", metric: { name: "loss", pastRange: [0.1, 40] } }, 0.3), undefined);
  assert.equal(scaleIssue({ direction: "max" }, 0.712), undefined);
});

test("a told result can be forgotten; the next trial never takes an id still in the study", () => {
  const two = tell(tell(base(), { config: "s3", value: 70 }).study, { config: "s3", value: 7.1 }).study;
  assert.deepEqual(two.trials.map((t) => t.id), ["t1", "t2"]);
  const { study, trial } = forget(two, "t1");
  assert.equal(trial.value, 70);
  assert.deepEqual(study.trials.map((t) => t.id), ["t2"]);
  assert.equal(tell(study, { config: "s3", value: 71 }).trial.id, "t3");
  assert.throws(() => forget(study, "t1", "<trial>"), (e: unknown) => e instanceof InputError && e.where === "<trial>" && e.hint === "one of: t2");
  // An id of one's own, forgotten, can be told again with another result.
  const mine = forget(tell(base(), { trialId: "run-7", config: "s3", value: 7.1 }).study, "run-7").study;
  assert.equal(tell(mine, { trialId: "run-7", config: "s3", value: 71 }).trial.value, 71);
});

test("a suggestion asked and not told is running; a result, by id or written out, or a failure ends it", () => {
  const asked = recordAsked(base(), [
    { candidateId: "s4", model: "m1", hyperparameters: { lr: 0.01, batch_size: 32 } },
    { candidateId: "s5", model: "m2", hyperparameters: { lr: 0.1 } },
  ]);
  assert.deepEqual(runningConfigs(asked).map((a) => a.candidateId), ["s3", "s4", "s5"]);
  let s = tell(asked, { config: "s3", value: 70 }).study;
  s = tell(s, { config: { model: "m1", hyperparameters: { lr: 0.01, batch_size: 32 } }, value: 60 }).study;
  assert.deepEqual(runningConfigs(s).map((a) => a.candidateId), ["s5"]);
  assert.deepEqual(runningConfigs(tell(s, { config: "s5", failed: "other" }).study), []);
});

test("an oom or diverged run told without its batch size or learning rate is warned about: it rules out nothing else", () => {
  const warned = (input: Parameters<typeof tell>[1]) => tell(base(), input).warnings.filter((w) => /rules out no other configuration/.test(w));
  assert.deepEqual(warned({ config: "s3", failed: "oom" }), [], "the suggestion's batch size is known");
  assert.deepEqual(warned({ config: "s3", failed: "diverged" }), []);
  assert.deepEqual(warned({ config: "s3", failed: "other" }), [], "another failure rules out nothing, as said");
  // lr 0.002 is no running suggestion (lr 0.001 would be s3 told in part, its batch size known).
  const [oom] = warned({ config: { model: "m1", hyperparameters: { lr: 0.002 } }, failed: "oom" });
  assert.match(oom, /^failed oom told without its batch size: .*; tell the configuration in full, or by its suggested id$/);
  assert.match(warned({ config: { model: "m1", hyperparameters: { batch_size: 64 } }, failed: "diverged" })[0], /without its learning rate/);
});

test("a configuration told as Optuna params ({model, ...hyperparameters}, as ask gives them) is the suggestion it was", () => {
  const input = TellInput.parse({ config: { model: "m1", lr: 0.001, batch_size: 32 }, value: 70 });
  assert.deepEqual(input.config, { model: "m1", hyperparameters: { lr: 0.001, batch_size: 32 } });
  const { trial, study } = tell(base(), input);
  assert.equal(trial.candidateId, "s3");
  assert.deepEqual(runningConfigs(study), [], "told: no longer running");
  // Neither form: refused, naming both.
  for (const config of [{ lr: 0.001 }, { model: "m1", hyperparameters: "lr=0.001" }]) {
    const r = TellInput.safeParse({ config, value: 70 });
    assert.ok(!r.success && /as Optuna params/.test(r.error.issues[0].message), JSON.stringify(config));
  }
});

test("a configuration told in part is the one running suggestion of its model that agrees on every value given", () => {
  const asked = recordAsked(base(), [
    { candidateId: "s4", model: "m1", hyperparameters: { lr: 0.01, batch_size: 32 } },
    { candidateId: "s5", model: "m2", hyperparameters: { lr: 0.001, batch_size: 64 } },
  ]);
  // lr as a float32 round trip prints it (a script logging tensors): the same value.
  const { trial, warnings } = tell(asked, { config: { model: "m1", hyperparameters: { lr: Math.fround(0.001) } }, value: 70 });
  assert.equal(trial.candidateId, "s3");
  assert.deepEqual(trial.config.hyperparameters, { lr: 0.001, batch_size: 32 });
  assert.ok(warnings.some((w) => /suggestion s3/.test(w) && /batch_size/.test(w)));
  // Told in full with the float32's rounding: the suggestion, stored with its own values.
  const full = tell(asked, { config: { model: "m1", hyperparameters: { lr: Math.fround(0.001), batch_size: 32 } }, value: 70 }).trial;
  assert.deepEqual([full.candidateId, full.config.hyperparameters.lr], ["s3", 0.001]);
  // Ambiguous (both m1 suggestions have batch 32): a configuration of its own, and the warning names both.
  const both = tell(asked, { config: { model: "m1", hyperparameters: { batch_size: 32 } }, value: 70 });
  assert.equal(both.trial.candidateId, undefined);
  assert.ok(both.warnings.some((w) => /s3, s4/.test(w)));
  // A value that differs is another configuration; a suggestion told already is not running any more.
  assert.equal(tell(asked, { config: { model: "m1", hyperparameters: { lr: 0.003 } }, value: 70 }).trial.candidateId, undefined);
  const s3Told = tell(asked, { config: "s3", value: 71 }).study;
  assert.equal(tell(s3Told, { config: { model: "m1", hyperparameters: { lr: 0.001 } }, value: 70 }).trial.candidateId, undefined);
  assert.deepEqual(runningConfigs(tell(asked, { config: { model: "m2", hyperparameters: { batch_size: 64 } }, value: 50 }).study).map((a) => a.candidateId), ["s3", "s4"]);
});
