/**
 * The real W&B export (../shared/metadata/quicktune-micro-wandb: two run tables, 150 and 139 columns) imported
 * with the committed mapping. Expected counts come from the raw CSVs read here with a plain quote-aware split,
 * independently of the importer's code paths.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "../../helpers/env.ts";
import { runCli, tempDir, writeFiles } from "../cli/helpers.ts";
import { importHistory } from "../../../src/metadata/import.ts";
import { loadHistory, loadMetaDataset } from "../../../src/metadata/load.ts";
import { SAVED_FILE } from "../../../src/metadata/saved.ts";
import { InputError } from "../../../src/util/errors.ts";

const wandb = dataDir("quicktune-micro-wandb");
const MAPPING = path.resolve("metadata/examples/wandb-micro.yaml");
const skip = !wandb && "HPOREC_DATA not found";

/** Rows of both exports as {column: cell} records (cells never contain newlines in these files). */
function rawRows(dir: string): Record<string, string>[] {
  const split = (line: string) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, ""));
  return readdirSync(dir)
    .filter((f) => f.endsWith(".csv"))
    .flatMap((f) => {
      const [head, ...lines] = readFileSync(path.join(dir, f), "utf8").trim().split("\n");
      const header = split(head);
      return lines.map((l) => Object.fromEntries(split(l).map((c, i) => [header[i], c])));
    });
}

test("W&B micro export: 180 results and 204 failures, per dataset and reason as the raw rows say", { skip }, () => {
  const rows = rawRows(wandb!);
  assert.equal(rows.length, 384);
  const code = (r: Record<string, string>) => r.dataset.split("/").at(-1)!;
  const complete = rows.filter((r) => r.State === "finished" && r.eval_top1 !== "" && Number(r.epoch) === Number(r.epochs) - 1);
  const perDataset: Record<string, number> = {};
  for (const r of complete) perDataset[code(r)] = (perDataset[code(r)] ?? 0) + 1;

  const { metaDataset: md, failures, report } = importHistory([wandb!], { format: "wandb", mapping: MAPPING });
  assert.equal(md.runs.length, 180);
  assert.equal(md.runs.length, complete.length);
  const got: Record<string, number> = {};
  for (const r of md.runs) got[r.datasetId] = (got[r.datasetId] ?? 0) + 1;
  assert.deepEqual(got, perDataset);
  assert.deepEqual(got, { BCT: 26, CRS: 29, FLW: 29, MD_MIX: 29, PLT_VIL: 47, SPT: 20 });

  const reasons: Record<string, number> = {};
  for (const f of failures) reasons[f.reason] = (reasons[f.reason] ?? 0) + 1;
  assert.deepEqual(reasons, {
    crashed: rows.filter((r) => r.State === "crashed").length,
    "no-metric": rows.filter((r) => r.State === "finished" && r.eval_top1 === "").length,
    "stopped-early": rows.filter((r) => r.State === "finished" && r.eval_top1 !== "" && Number(r.epoch) < Number(r.epochs) - 1).length,
  });
  assert.equal(failures.length, 204);
  assert.equal(report!.rows, 384);
  assert.deepEqual(report!.skipped, {});
  // A crashed run with a metric stays a failure and keeps its last value as evidence.
  const crashed = rows.find((r) => r.State === "crashed" && r.eval_top1 !== "")!;
  const f = failures.find((x) => x.id === (crashed.ID || crashed.Name))!;
  assert.equal(f.reason, "crashed");
  assert.equal(f.lastMetric, Number(crashed.eval_top1));

  // Datasets: Meta-Album codes, meta-features from the side table, domains from the built-in table.
  const desc = JSON.parse(readFileSync(path.join(wandb!, "micro_meta_descriptors.json"), "utf8")) as Record<string, number[]>;
  for (const d of md.datasets) {
    assert.deepEqual([d.metaFeatures.n_samples, d.metaFeatures.n_classes, d.metaFeatures.image_size, d.metaFeatures.channels], desc[d.id]);
    assert.equal(d.metaFeatures.samples_per_class, desc[d.id][0] / desc[d.id][1]);
  }
  assert.deepEqual(Object.fromEntries(md.datasets.map((d) => [d.id, d.domain])), {
    BCT: "microscopy", CRS: "vehicles", FLW: "plants", MD_MIX: "ocr", PLT_VIL: "plant_diseases", SPT: "human_actions",
  });

  // Every result run against its raw row: outcome, cost, epochs, and the Quick-Tune extended encoding.
  const byId = new Map(rows.map((r) => [r.ID || r.Name, r]));
  for (const run of md.runs) {
    const r = byId.get(run.id)!;
    assert.equal(run.outcome.best, Number(r.eval_top1));
    assert.equal(run.cost.totalSeconds, Number(r.Runtime));
    assert.equal(run.epochs, 50);
    assert.equal(run.model, r.model);
    const h = run.hyperparameters;
    assert.equal(h.lr, Number(r.lr));
    assert.equal(h.amp, r.amp === "true" ? 1 : 0);
    assert.equal(h.clip_grad, r.clip_grad === "" ? -1 : Number(r.clip_grad));
    assert.equal(h.layer_decay, r.layer_decay === "" ? -1 : Number(r.layer_decay));
    const betas = r.opt_betas === "" ? "None" : `[${JSON.parse(r.opt_betas).map((x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x))).join(", ")}]`;
    assert.equal(h.opt_betas, betas);
    const aug = r.auto_augment ? "auto_augment" : r.random_augment === "true" ? "random_augment" : r.trivial_augment === "true" ? "trivial_augment" : "None";
    assert.equal(h.data_augmentation, aug);
    assert.equal(h.auto_augment, r.auto_augment || "None");
    assert.equal(run.attributes?.test_mode, r.test_mode === "true");
  }
});

test("W&B micro export: a row filter skips rows with a counted reason", { skip }, () => {
  const rows = rawRows(wandb!);
  const mapping = writeFiles(tempDir(), { "m.yaml": `${readFileSync(MAPPING, "utf8")}filter: {test_mode: false}\n` }) + "/m.yaml";
  const { metaDataset: md, failures, report } = importHistory([wandb!], { mapping });
  const kept = rows.filter((r) => r.test_mode === "false");
  assert.deepEqual(report!.skipped, { "filtered out by test_mode": rows.length - kept.length });
  assert.equal(md.runs.length, kept.filter((r) => r.State === "finished" && r.eval_top1 !== "" && Number(r.epoch) === Number(r.epochs) - 1).length);
  assert.equal(md.runs.length + failures.length, kept.length);
});

test("W&B micro export: data import writes a saved folder every command reads; inspect reports the reasons", { skip }, () => {
  const out = path.join(tempDir(), "micro");
  const r = runCli(["data", "import", wandb!, "--mapping", MAPPING, "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /6 datasets, 180 runs/);
  assert.deepEqual(readdirSync(out), [SAVED_FILE]);
  assert.deepEqual(readdirSync(path.dirname(out)), ["micro"]); // no temp folder left

  // Importing again replaces the earlier import; a folder holding anything else is never replaced.
  assert.equal(runCli(["data", "import", wandb!, "--mapping", MAPPING, "--out", out]).status, 0);
  const other = writeFiles(tempDir(), { "notes.txt": "mine" });
  const refused = runCli(["data", "import", wandb!, "--mapping", MAPPING, "--out", other]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /refusing to replace it: it is not a folder written by hporec data import/);
  assert.deepEqual(readdirSync(other), ["notes.txt"]);

  const md = loadMetaDataset(out);
  assert.equal(md.format, "wandb");
  assert.equal(md.runs.length, 180);
  assert.equal(loadHistory(out).failures.length, 204);

  const inspect = runCli(["data", "inspect", out]);
  assert.equal(inspect.status, 0, inspect.stderr);
  assert.match(inspect.stdout, /imported\s+180 runs/);
  assert.match(inspect.stdout, /failures\s+204 \(no-metric 95, stopped-early 90, crashed 19\)/);
  assert.match(inspect.stdout, /skipped\s+0/);
  const j = JSON.parse(runCli(["data", "inspect", out, "--json"]).stdout);
  assert.deepEqual(j.import.failures, { "no-metric": 95, "stopped-early": 90, crashed: 19 });
});

test("W&B micro export: the folder reads in place as its import with the shipped mapping; other W&B folders ask for a mapping", { skip }, () => {
  const imported = importHistory([wandb!], { format: "wandb", mapping: MAPPING });
  const raw = loadHistory(wandb!);
  assert.deepEqual(raw.metaDataset, imported.metaDataset);
  assert.deepEqual(raw.failures, imported.failures);
  // `data import` without --mapping takes the same mapping.
  const out = path.join(tempDir(), "micro");
  const r = runCli(["data", "import", wandb!, "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(loadMetaDataset(out), imported.metaDataset);

  // The same exports without Quick-Tune's descriptors are some other W&B project: no guessing.
  const bare = tempDir();
  for (const f of readdirSync(wandb!).filter((f) => f.endsWith(".csv"))) writeFileSync(path.join(bare, f), readFileSync(path.join(wandb!, f)));
  assert.throws(() => loadHistory(bare), (e: unknown) => e instanceof InputError && /needs a mapping/.test(e.describe()));
  const inspect = runCli(["data", "inspect", bare]);
  assert.equal(inspect.status, 2);
  assert.match(inspect.stderr, /a folder of W&B exports needs a mapping[\s\S]*fix: add hporec-mapping\.yaml beside the exports/);
  // With a mapping beside them the folder is a generic one, read with that mapping.
  writeFileSync(path.join(bare, "hporec-mapping.yaml"), `file: [${readdirSync(wandb!).filter((f) => f.endsWith(".csv")).join(", ")}]\nformat: wandb\n${readFileSync(MAPPING, "utf8").replace("micro_meta_descriptors.json", path.join(wandb!, "micro_meta_descriptors.json"))}`);
  assert.deepEqual(loadMetaDataset(bare).runs, imported.metaDataset.runs);
});

test("W&B import: bad sources and mapping typos exit 2 naming the file or key and the fix, and write nothing", { skip }, () => {
  const root = tempDir();
  const out = path.join(root, "out");
  const cases: [string[], RegExp][] = [
    [[path.join(root, "missing"), "--format", "wandb"], /missing: source not found/],
    [[writeFiles(tempDir(), { "runs.csv": "a,b\n1,2\n" }), "--format", "wandb"], /no W&B run-table export \(a CSV with the columns Name, State and Runtime\) in this folder[\s\S]*fix: export the runs table/],
    [[writeFiles(tempDir(), { "runs.csv": "a,b\n1,2\n" }) + "/runs.csv", "--format", "wandb"], /runs\.csv:1: not a W&B run-table export[\s\S]*fix: export the runs table/],
    [[writeFiles(tempDir(), { "runs.csv": "" }) + "/runs.csv", "--format", "wandb"], /runs\.csv: W&B export is empty/],
    [[wandb!, "--mapping", writeFiles(tempDir(), { "m.yaml": "metrik: {column: eval_top1}\n" }) + "/m.yaml"], /m\.yaml: invalid mapping:\n\s+metrik: unknown key; did you mean "metric"\?/],
    [[wandb!, "--mapping", writeFiles(tempDir(), { "m.yaml": "metric: {column: eval_top1, direction: max}\ndataset: {column: datset}\n" }) + "/m.yaml"], /m\.yaml: dataset: the mapping names column "datset"[\s\S]*fix: use one of: Name/],
    [[wandb!, "--mapping", writeFiles(tempDir(), { "m.yaml": "metric: {column: eval_top1}\n" }) + "/m.yaml"], /metric\.direction: no direction[\s\S]*fix: say whether larger is better/],
    [[wandb!, "--mapping", writeFiles(tempDir(), { "m.yaml": "metric: {column: eval_top1, direction: max}\nmetaFeatures: {table: nope.json}\n" }) + "/m.yaml"], /side table "nope\.json" not found/],
  ];
  for (const [args, expected] of cases) {
    const r = runCli(["data", "import", ...args, "--out", out]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.equal(existsSync(out), false);
  }
  assert.deepEqual(readdirSync(root), []);
});

test("W&B import: NaN policy and dataset rename, on a two-file export with different columns", () => {
  const header = "Name,State,Runtime,dataset,lr,opt,eval_top1";
  const dir = writeFiles(tempDir(), {
    "a.csv": [header, "r1,finished,10,grp/A,0.1,sgd,50", "r2,finished,12,grp/A,0.01,adam,NaN", "r3,running,5,grp/A,0.1,adam,", "r4,killed,3,grp/B,0.001,sgd,20"].join("\n"),
    "b.csv": ["Name,State,Runtime,dataset,lr,eval_top1,momentum", "r5,finished,7,grp/B,0.05,60,0.9", "r6,finished,8,grp/B,0.02,70,0.8"].join("\n"),
    "mf.csv": "id,n_samples,n_classes\nA,100,2\nB,200,4\n",
  });
  const mapping = (extra: string) => writeFiles(tempDir(), {
    "m.yaml": `dataset: {column: dataset, rename: ['^grp/', '']}\nmetaFeatures: {table: mf.csv}\nmetric: {column: eval_top1, direction: max${extra}}\nhyperparameters: [lr, opt, momentum]\n`,
  }) + "/m.yaml";
  const h = importHistory([dir], { mapping: mapping("") });
  assert.equal(h.metaDataset.format, "wandb"); // detected from the W&B columns
  assert.deepEqual(h.metaDataset.runs.map((r) => [r.id, r.datasetId]), [["r1", "A"], ["r5", "B"], ["r6", "B"]]);
  assert.deepEqual(h.failures.map((f) => [f.id, f.reason]), [["r2", "non-finite-metric"], ["r4", "killed"]]);
  assert.deepEqual(h.report!.skipped, { "not finished (running)": 1 });
  assert.equal(h.metaDataset.runs[0].hyperparameters.momentum, null); // absent from a.csv
  assert.equal(h.metaDataset.runs[1].hyperparameters.opt, null); // absent from b.csv
  assert.equal(h.metaDataset.datasets.find((d) => d.id === "B")!.metaFeatures.samples_per_class, 50);

  // Side tables are found by the id at any step of a rename: meta-features by the code before the prefix, the
  // Meta-Album domain by the code after a second step.
  const prefixed = writeFiles(tempDir(), {
    "m.yaml": "dataset: {column: dataset, rename: {'^grp/': '', '^B$': 'BCT', '^': 'x_'}}\nmetaFeatures: {table: mf.csv}\ndomain: {table: meta-album}\nmetric: {column: eval_top1, direction: max}\n",
  }) + "/m.yaml";
  const renamed = importHistory([dir], { mapping: prefixed });
  assert.deepEqual(renamed.metaDataset.datasets.map((d) => [d.id, d.metaFeatures.n_samples, d.domain]), [["x_A", 100, undefined], ["x_BCT", 200, "microscopy"]]);
  assert.match(renamed.report!.warnings.join("\n"), /no domain for x_A \(not in the domain table\)/);

  const skipped = importHistory([dir], { mapping: mapping(", nonFinite: skip") });
  assert.deepEqual(skipped.report!.skipped, { "not finished (running)": 1, "non-finite eval_top1": 1 });
  assert.throws(() => importHistory([dir], { mapping: mapping(", nonFinite: error") }), (e: unknown) => e instanceof InputError && /a\.csv:3: eval_top1 is NaN/.test(e.describe()));
});
