import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Recommendation } from "../../../src/recommend/schema.ts";
import { png, runCli, tempDir, writeFiles } from "./helpers.ts";

const DATASET = ["--samples", "3000", "--classes", "7"];

function recommendJson(args: string[]): Recommendation {
  const r = runCli(["recommend", ...DATASET, "--candidates", "500", ...args, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  return Recommendation.parse(JSON.parse(r.stdout));
}

const configs = (r: Recommendation) => [r.recommendation, ...r.alternatives];

test("recommend: human output names the model, time, every hyperparameter, alternatives and evidence", () => {
  const r = runCli(["recommend", ...DATASET]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Recommendation for your dataset \(3000 samples, 7 classes/);
  for (const s of [/\n  model {12}\S+/, /predicted {8}top1_accuracy ≈ \d/, /training time {4}≈ /, /hyperparameters  [\s\S]*\blr=/, /\nAlternatives:\n/, /Evidence: ds:/, /\d+ candidates scored/])
    assert.match(r.stdout, s);
  // The alternatives are a table: each column starts at the same place on every row, whatever the ids' lengths.
  const rows = r.stdout.split("\nAlternatives:\n")[1].split("\n\n")[0].split("\n");
  const starts = (row: string) => [...row.matchAll(/ {2}(?=\S)/g)].map((m) => m.index);
  assert.ok(rows.length >= 2, rows.join("\n"));
  for (const row of rows) assert.deepEqual(starts(row).slice(0, 4), starts(rows[0]).slice(0, 4), rows.join("\n"));
});

test("recommend: the track record line, the small-data record's for a dataset smaller than every past one", () => {
  const usual = runCli(["recommend", ...DATASET]);
  assert.match(usual.stdout, /\nTrack record on 22 past datasets held out of training: \d+ picks acceptable, mean score 0\.\d\d/);
  const small = runCli(["recommend", "--samples", "480", "--classes", "20"]);
  assert.equal(small.status, 0, small.stderr);
  assert.match(small.stdout, /\nTrack record on 6 datasets this small \(quicktune-micro-wandb, never trained on\): pick 0\.\d\d \(≈ \d+ random trials\), \d of 6 far off; top three 0\.\d\d .*; a 5-trial study 0\.\d\d/);
  assert.doesNotMatch(small.stdout, /Track record on 22/);
});

test("recommend --json: schema-valid; budget, model lists and fixed values are obeyed by the pick and its alternatives", () => {
  const free = recommendJson([]);
  assert.ok(free.candidatesEvaluated >= 500);
  // 7 classes is below every past dataset of the pack (Meta-Album has at least 20): said; the image size and
  // channels the flags left out are said to be assumed; nothing else.
  const assumed = (r: Recommendation) => r.warnings.filter((w) => w.startsWith("assumed "));
  const otherWarnings = (r: Recommendation) => r.warnings.filter((w) => !w.startsWith("extrapolation: classes = 7 ") && !w.startsWith("assumed "));
  assert.equal(free.warnings.filter((w) => w.startsWith("extrapolation: classes = 7 ")).length, 1, free.warnings.join("\n"));
  assert.deepEqual(assumed(free), ["assumed image size 128 px (not given: --image-size; 128 px is the past datasets' size)", "assumed 3 channels (not given: --channels)"]);
  assert.deepEqual(otherWarnings(free), []);
  const stated = recommendJson(["--image-size", "128", "--channels", "3"]);
  assert.deepEqual(assumed(stated), []);
  assert.equal(stated.recommendation.candidateId, free.recommendation.candidateId, "the same dataset, said in full");
  assert.deepEqual(free.extrapolation, ["n_classes"], "the same fact, structured");
  const allowed = ["edgenext_small", "mobilevit_xs", "xcit_nano_12_p8_384_dist"];
  const c = recommendJson(["--budget-s", "3600", "--models", allowed.join(","), "--fix", "batch_size=32"]);
  assert.deepEqual(c.constraints, { budgetSeconds: 3600, allowModels: allowed, fixed: { batch_size: 32 } });
  assert.deepEqual(otherWarnings(c), []);
  for (const x of configs(c)) {
    assert.ok(allowed.includes(x.model), x.model);
    assert.equal(x.hyperparameters.batch_size, 32);
    assert.ok(x.predicted.seconds !== null && x.predicted.seconds <= 3600, `${x.candidateId}: ${x.predicted.seconds} s`);
  }
  assert.match(c.constraintsStated.join("; "), /at most 60 min; models limited to .*; batch_size fixed at 32/);
  const ex = recommendJson(["--exclude-models", free.recommendation.model]);
  for (const x of configs(ex)) assert.notEqual(x.model, free.recommendation.model);
});

test("recommend: impossible constraints give a warning (budget) or a clear error (exit 2)", () => {
  // One second for the largest model: no configuration of it is predicted that fast.
  const tight = recommendJson(["--models", "beit_large_patch16_512", "--budget-s", "1"]);
  assert.match(tight.warnings.join("\n"), /no candidate is predicted to train within the budget; the cheapest needs about \d+ s/);
  const cases: [string[], RegExp][] = [
    [["--models", "edgenext_small", "--exclude-models", "edgenext_small"], /no model is left after the allow\/deny lists\n  fix: choose among: /],
    [["--models", "edgenext"], /--models: unknown model "edgenext"\n  fix: did you mean edgenext_small/],
    [["--fix", "batch_size=big"], /constraints\.fixed\.batch_size: batch_size = "big" is not a number\n  fix: a whole number from 2 to 512/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(["recommend", ...DATASET, "--candidates", "100", ...args]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test("recommend: bad dataset cards exit 2 naming the field, the value and the fix", () => {
  const dir = tempDir("hporec-cards-");
  const card = (name: string, text: string) => path.join(writeFiles(dir, { [name]: text }), name);
  const flat = writeFiles(tempDir("hporec-flat-"), { "a.png": png(16, 16), "b.png": png(16, 16) });
  const cases: [string[], RegExp][] = [
    [["--dataset", card("neg.yaml", "samples: -20\nclasses: 3\nimageSize: 64\nchannels: 3\n")], /neg\.yaml: samples: samples must be at least 1, got -20\n  fix: set samples to the number of training examples/],
    [["--dataset", card("zero.json", '{"samples": 100, "classes": 0, "imageSize": 64, "channels": 3}')], /zero\.json: classes: classes must be at least 2, got 0\n  fix: set classes to the number of labels/],
    [["--samples", "100", "--classes", "3", "--domain", "plnts"], /domain: unknown domain "plnts"; did you mean "plants"\?\n  fix: use one of: human_actions/],
    [["--images", path.join(dir, "no-such-folder")], /no-such-folder: not found\n  fix: pass an image folder \(one sub-folder per class\)/],
    [["--images", flat], /no class sub-folders \(found 2 files\)\n  fix: put the images in one sub-folder per class/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(["recommend", ...args]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
  }
});

test("recommend --images measures a generated class folder", () => {
  const files: Record<string, Uint8Array> = {};
  for (const [cls, n] of [["cats", 6], ["dogs", 3], ["owls", 3]] as const) for (let i = 0; i < n; i++) files[`${cls}/${i}.png`] = png(96, 64);
  const dir = writeFiles(tempDir("hporec-images-"), files);
  const r = runCli(["recommend", "--images", dir, "--candidates", "200", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const rec = Recommendation.parse(JSON.parse(r.stdout));
  assert.equal(rec.dataset.name, path.basename(dir));
  assert.equal(rec.dataset.metaFeatures.n_samples, 12);
  assert.equal(rec.dataset.metaFeatures.n_classes, 3);
  assert.equal(rec.dataset.metaFeatures.imbalance_ratio, 2);
  assert.ok(Math.abs(rec.dataset.metaFeatures.image_size! - Math.sqrt(96 * 64)) < 1e-6);
});
