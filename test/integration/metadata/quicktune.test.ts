import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { InputError } from "../../../src/util/errors.ts";
import { quicktuneFixture, tempDir, writeFiles } from "../../unit/metadata/fixtures.ts";
import { runCli } from "../../unit/metadata/cli-helpers.ts";

/** Asserts `fn` throws one InputError whose text (where + message + hint) contains every fragment. */
function throwsInput(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    const text = e.describe();
    for (const f of fragments) assert.ok(text.includes(f), `${JSON.stringify(f)} not in:\n${text}`);
    return true;
  });
}

test("quicktune: decodes one-hot groups, joins curves and costs by run id", () => {
  const md = loadMetaDataset(quicktuneFixture());
  assert.equal(md.format, "quicktune");
  assert.deepEqual(md.models, ["net_a", "net_b"]);
  assert.equal(md.runs.length, 3);
  const r101 = md.runs.find((r) => r.id === "101")!;
  assert.equal(r101.datasetId, "DS_A");
  assert.equal(r101.model, "net_a");
  assert.deepEqual(r101.hyperparameters, { amp: 0, batch_size: 32, lr: 0.001, opt: "adam", opt_betas: "[0.9, 0.999]" });
  assert.equal("model" in r101.hyperparameters, false);
  assert.deepEqual(r101.outcome, { best: 40, final: 35, curve: [10, 40, 35] });
  assert.equal(r101.epochs, 3);
  assert.equal(r101.cost.totalSeconds, 6);
  assert.equal(r101.status, "completed");
  const r102 = md.runs.find((r) => r.id === "102")!;
  assert.equal(r102.status, "stopped"); // 1 epoch where others ran 3
  assert.equal(r102.hyperparameters.opt_betas, "None");
  const b = md.datasets.find((d) => d.id === "DS_B")!;
  assert.equal(b.metaFeatures.n_samples, 500);
  assert.equal(b.metaFeatures.samples_per_class, 10);
  assert.equal(b.metaFeatures.log_samples_per_class, 1);
  assert.equal(b.metaFeatures.image_size, 64);
  assert.equal(b.metaFeatures.channels, 1);
  assert.equal(b.modality, "image");
  assert.equal(md.searchSpace.hyperparameters.batch_size.type, "int");
  assert.deepEqual(md.metric, { name: "top1_accuracy", direction: "max" });
});

test("quicktune: Meta-Album domains come from the built-in table", () => {
  const dir = quicktuneFixture({
    "curves_perf_top1.json": JSON.stringify({ FLW: { "101": [1], "102": [2] }, RESISC: { "103": [3] } }),
    "curves_cost_seconds.json": JSON.stringify({ FLW: { "101": [1], "102": [2] }, RESISC: { "103": [3] } }),
    "meta_descriptors.json": JSON.stringify({ FLW: [4914, 102, 128, 3], RESISC: [18900, 45, 128, 3] }),
  });
  const md = loadMetaDataset(dir);
  assert.equal(md.datasets.find((d) => d.id === "FLW")!.domain, "plants");
  assert.equal(md.datasets.find((d) => d.id === "RESISC")!.domain, "remote_sensing");
});

test("quicktune: broken inputs give one clear InputError naming file, place and value", () => {
  const dir = quicktuneFixture();
  rmSync(path.join(dir, "configs.csv"));
  throwsInput(() => loadMetaDataset(dir, { format: "quicktune" }), "configs.csv", "not found");

  const shortRow = quicktuneFixture();
  writeFiles(shortRow, { "configs.csv": ",amp,lr,cat:model:a,cat:model:b\n1,0,0.1,1,0\n2,0,0.1\n" });
  throwsInput(() => loadMetaDataset(shortRow), "configs.csv:3", "3 fields, expected 5");

  const orphan = quicktuneFixture({
    "curves_perf_top1.json": JSON.stringify({ DS_A: { "101": [10, 40, 35], "102": [5], "999": [3] }, DS_B: { "103": [20, 30, 50] } }),
  });
  throwsInput(() => loadMetaDataset(orphan), "curves_perf_top1.json", "DS_A.999", "no configuration");

  const text = quicktuneFixture();
  writeFiles(text, { "configs.csv": ",amp,lr,cat:model:a,cat:model:b\n101,0,fast,1,0\n102,0,0.1,0,1\n103,0,0.1,0,1\n" });
  throwsInput(() => loadMetaDataset(text), "configs.csv:2", '"lr"', '"fast" is not a number');

  const twoHot = quicktuneFixture();
  writeFiles(twoHot, { "configs.csv": ",amp,cat:model:a,cat:model:b\n101,0,1,1\n102,0,0,1\n103,0,0,1\n" });
  throwsInput(() => loadMetaDataset(twoHot), "configs.csv:2", '"model" has 2 columns set to 1');

  const badCurve = quicktuneFixture({ "curves_perf_top1.json": JSON.stringify({ DS_A: { "101": [1, "x"], "102": [2] }, DS_B: { "103": [3] } }) });
  throwsInput(() => loadMetaDataset(badCurve), "DS_A.101[1]", '"x" is not a number');

  const costLen = quicktuneFixture({ "curves_cost_seconds.json": JSON.stringify({ DS_A: { "101": [1], "102": [7] }, DS_B: { "103": [3, 3, 4] } }) });
  throwsInput(() => loadMetaDataset(costLen), "curves_cost_seconds.json", "DS_A.101", "1 per-epoch costs for 3 epochs");

  const noMeta = quicktuneFixture({ "meta_descriptors.json": JSON.stringify({ DS_A: [1000, 10, 128, 3] }) });
  throwsInput(() => loadMetaDataset(noMeta), "meta_descriptors.json: DS_B", "add DS_B");

  throwsInput(() => loadMetaDataset(writeFiles(tempDir(), { "notes.txt": "hello" })), "unknown meta-dataset format", "quicktune");
});

test("cli: broken Quick-Tune folders exit 2 with one message and no stack trace", () => {
  const cases: [string, string[]][] = [];
  const shortRow = quicktuneFixture();
  writeFiles(shortRow, { "configs.csv": ",amp,lr,cat:model:a,cat:model:b\n101,0,0.1,1,0\n102,0,0.1\n103,0,0.1,0,1\n" });
  cases.push([shortRow, ["configs.csv:3", "expected 5"]]);
  const orphan = quicktuneFixture({ "curves_perf_top1.json": JSON.stringify({ DS_A: { "101": [10, 40, 35], "102": [5] }, DS_B: { "103": [20, 30, 50], "7": [1] } }) });
  cases.push([orphan, ["DS_B.7", "no configuration"]]);
  cases.push([writeFiles(tempDir(), { "a.txt": "x" }), ["unknown meta-dataset format"]]);
  cases.push([path.join(tempDir(), "missing"), ["not found"]]);
  for (const [dir, fragments] of cases) {
    const r = runCli(["data", "inspect", dir]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, "");
    for (const f of fragments) assert.ok(r.stderr.includes(f), `${f} not in ${r.stderr}`);
    assert.ok(!/\n\s+at /.test(r.stderr), `stack trace printed:\n${r.stderr}`);
  }
});
