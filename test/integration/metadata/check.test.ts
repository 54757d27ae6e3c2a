/**
 * `data check` and the `eval --test` pre-check on the real W&B micro export against the real default pack.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import YAML from "yaml";
import { dataDir } from "../../helpers/env.ts";
import { DEFAULT_PACK, runCli, tempDir, writeFiles } from "../cli/helpers.ts";
import { checkAgainst, precheckTestSet } from "../../../src/metadata/check.ts";
import { importHistory } from "../../../src/metadata/import.ts";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { readReference } from "../../../src/metadata/reference.ts";
import { InputError } from "../../../src/util/errors.ts";

const wandb = dataDir("quicktune-micro-wandb");
const extended = dataDir("quicktune-extended");
const skip = (!wandb || !extended) && "HPOREC_DATA not found";
const MAPPING = path.resolve("metadata/examples/wandb-micro.yaml");
/** The same export imported with only the columns' roles: no reference, no aliases, no domain. */
const BARE = {
  dataset: { column: "dataset", rename: ["^.*/", ""] },
  metaFeatures: { table: "micro_meta_descriptors.json", columns: ["n_samples", "n_classes", "image_size", "channels"] },
  metric: { column: "eval_top1", name: "top1_accuracy", direction: "max" },
  epochs: { configured: "epochs", last: "epoch" },
};

test("check: the committed W&B mapping leaves no unexplained mismatch against models/default", { skip }, () => {
  const md = importHistory([wandb!], { mapping: MAPPING }).metaDataset;
  const ref = readReference(DEFAULT_PACK);
  const report = checkAgainst(md, ref);
  assert.equal(report.mismatches, 0, JSON.stringify(report.findings.filter((f) => !f.explained), null, 1));
  // What remains is explained: micro datasets are smaller than any the pack learned from, and OCR is new to it.
  const extendedMd = loadMetaDataset(extended!);
  const minOf = (k: string) => Math.min(...extendedMd.datasets.map((d) => d.metaFeatures[k]));
  assert.ok(480 < minOf("n_samples") && 20 < minOf("n_classes") && 24 < minOf("samples_per_class"));
  assert.deepEqual(report.findings.map((f) => [f.kind, f.subject, f.count]).sort(), [
    ["meta-feature-range", "n_classes", 6],
    ["meta-feature-range", "n_samples", 6],
    ["meta-feature-range", "samples_per_class", 6],
    ["unseen-domain", "ocr", 1],
  ]);
  assert.ok(report.findings.every((f) => f.explained && !f.fix));
  // In text, counts read as people write them.
  const text = runCli(["data", "check", wandb!]).stdout;
  assert.match(text, /\n  ocr \[unseen-domain, 1 dataset\]: /);
  assert.match(text, /\n  n_samples \[meta-feature-range, 6 datasets\]: /);
  // A pack outside the working folder is named by its absolute path, not "../../models/default".
  const cwd = tempDir();
  const elsewhere = spawnSync(process.execPath, [path.resolve("bin/hporec.js"), "data", "check", wandb!, "--pack", path.relative(cwd, DEFAULT_PACK)], { cwd, encoding: "utf8" });
  assert.equal(elsewhere.status, 0, elsewhere.stderr);
  assert.ok(elsewhere.stdout.includes(`against pack ${path.resolve(DEFAULT_PACK)}: 0 mismatches`), elsewhere.stdout);
});

test("check: every value mismatch comes with a mapping line, and adding those lines removes them", { skip }, () => {
  const ref = readReference(DEFAULT_PACK);
  const bare = (extra: object) => writeFiles(tempDir(), { "m.yaml": YAML.stringify({ ...BARE, ...extra }) }) + "/m.yaml";
  const before = checkAgainst(importHistory([wandb!], { mapping: bare({}) }).metaDataset, ref);
  const kinds = (r: typeof before) => r.findings.filter((f) => !f.explained).map((f) => `${f.kind} ${f.subject}`).sort();
  for (const k of ["spelling amp", "spelling stoch_norm", "spelling opt_betas", "missing-values clip_grad", "missing-values layer_decay", "missing-values opt_betas", "missing-values auto_augment", "missing-hyperparameter data_augmentation", "no-domain domain"]) {
    assert.ok(kinds(before).includes(k), `${k} not in ${kinds(before).join("; ")}`);
  }
  // Merge every suggested `values:` line into one mapping key, as a user would paste them.
  const values: Record<string, Record<string, unknown>> = {};
  for (const f of before.findings.filter((x) => x.fix?.startsWith("values:"))) {
    const line = f.fix!.replace(/ \(.*$|, or .*$/, "");
    for (const [hp, table] of Object.entries(YAML.parse(line).values as Record<string, Record<string, unknown>>)) values[hp] = { ...values[hp], ...table };
  }
  assert.deepEqual(values.clip_grad, { "": -1 });
  assert.deepEqual(values.opt_betas, { "": "None", "[0,0.99]": "[0.0, 0.99]", "[0,0.999]": "[0.0, 0.999]", "[0.9,0.99]": "[0.9, 0.99]", "[0.9,0.999]": "[0.9, 0.999]" });
  const after = checkAgainst(importHistory([wandb!], { mapping: bare({ values, domain: { table: "meta-album" } }) }).metaDataset, ref);
  assert.deepEqual(kinds(after).filter((k) => /^(spelling|missing-values|no-domain)/.test(k)), []);
  assert.ok(kinds(after).includes("missing-hyperparameter data_augmentation")); // needs derive: no value alias can make it
});

test("cli: data check prints fixes, --strict fails on mismatches, --json gives the findings", { skip }, () => {
  const root = tempDir();
  const good = path.join(root, "good");
  const bad = path.join(root, "bad");
  assert.equal(runCli(["data", "import", wandb!, "--mapping", MAPPING, "--out", good]).status, 0);
  const mapping = writeFiles(tempDir(), { "m.yaml": YAML.stringify(BARE) }) + "/m.yaml";
  assert.equal(runCli(["data", "import", wandb!, "--mapping", mapping, "--out", bad]).status, 0);

  const ok = runCli(["data", "check", good, "--strict"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /against pack models\/default: 0 mismatches, 4 explained differences/);
  assert.match(ok.stdout, /No unexplained mismatch\./);
  const strict = runCli(["data", "check", bad, "--strict"]);
  assert.equal(strict.status, 1);
  assert.match(strict.stdout, /amp \[spelling, 180 runs\][^\n]*\n\s+fix: values: \{amp: \{'(false|true)': [01], '(true|false)': [01]\}\}, or hyperparameters: \{like: models\/default\}/);
  const j = JSON.parse(runCli(["data", "check", bad, "--json"]).stdout);
  assert.ok(j.mismatches > 5);
  assert.equal(runCli(["data", "check", bad, "--pack", path.join(root, "nope")]).status, 2);
});

test("eval --test: the pre-check names colliding dataset ids, cuts the same datasets, keeps namesakes, refuses an empty training set", { skip }, () => {
  const extendedMd = loadMetaDataset(extended!);
  const micro = importHistory([wandb!], { mapping: MAPPING }).metaDataset;
  // Micro BCT is not extended BCT (480 vs 1,000+ samples): a namesake, so training keeps extended BCT under another id.
  const namesakes = precheckTestSet(extendedMd, micro);
  assert.equal(namesakes.warnings.length, 1); // and no mismatch
  assert.match(namesakes.warnings[0], /^5 test datasets share their ids with training datasets that have other meta-features \(BCT, CRS, FLW, PLT_VIL, SPT\): different datasets with one name, so training keeps its own \(as BCT@quicktune-extended/);
  assert.equal(namesakes.train.datasets.length, 22);
  assert.deepEqual(namesakes.train.datasets.filter((d) => d.id.includes("@")).map((d) => d.id), ["BCT@quicktune-extended", "CRS@quicktune-extended", "FLW@quicktune-extended", "PLT_VIL@quicktune-extended", "SPT@quicktune-extended"]);
  assert.equal(namesakes.train.runs.filter((r) => r.datasetId === "BCT@quicktune-extended").length, extendedMd.runs.filter((r) => r.datasetId === "BCT").length);
  assert.ok(!namesakes.train.runs.some((r) => r.datasetId === "BCT"));
  // The same dataset (same card) is cut from training.
  const same = precheckTestSet(extendedMd, extendedMd, ["BCT"]);
  assert.match(same.warnings[0], /^1 test datasets are also training datasets \(BCT: same ids and meta-features\): they are cut from training so no test dataset is seen \(21 of 22 training datasets left\)$/);
  assert.equal(same.train, extendedMd);
  assert.throws(() => precheckTestSet(extendedMd, extendedMd), (e: unknown) => e instanceof InputError && /leaves nothing to train on/.test(e.message) && /rename/.test(e.hint ?? ""));

  const r = runCli(["eval", "--train", "quicktune-extended", "--test", "quicktune-extended", "--no-tpe"], { HPOREC_DATA: path.dirname(extended!) });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--test: every training dataset of quicktune-extended is also a test dataset[\s\S]*fix: if the test datasets are other datasets/);
  assert.doesNotMatch(r.stderr, /matrix shape/);
});

// The reviews score kept-aside micro datasets on this very command, given the folder of W&B exports as it is.
test("eval --test on the W&B exports' folder itself evaluates its 6 datasets and 180 runs, each ranked run by run", { skip }, () => {
  const r = runCli(["eval", "--train", "quicktune-extended", "--test", wandb!, "--no-tpe", "--seeds", "2", "--json"], { HPOREC_DATA: path.dirname(extended!) });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /5 test datasets share their ids with training datasets that have other meta-features/);
  const j = JSON.parse(r.stdout);
  assert.equal(j.mode, "train-test");
  assert.deepEqual(j.hporec.datasets.map((d: { datasetId: string }) => d.datasetId).sort(), ["BCT", "CRS", "FLW", "MD_MIX", "PLT_VIL", "SPT"]);
  assert.equal(j.hporec.datasets.reduce((n: number, d: { nCandidates: number }) => n + d.nCandidates, 0), 180);
  // Each dataset's ranking names its own runs (the first ones, as many as the JSON keeps), as imported.
  const runs = importHistory([wandb!], { mapping: MAPPING }).metaDataset.runs;
  for (const d of j.hporec.datasets as { datasetId: string; rankedRunIds: string[] }[]) {
    const own = new Set(runs.filter((x) => x.datasetId === d.datasetId).map((x) => x.id));
    assert.ok(d.rankedRunIds.length > 0 && d.rankedRunIds.every((id) => own.has(id)), d.datasetId);
    assert.equal(new Set(d.rankedRunIds).size, d.rankedRunIds.length);
  }
});
