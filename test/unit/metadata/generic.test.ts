import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadHistory, loadMetaDataset } from "../../../src/metadata/load.ts";
import { InputError } from "../../../src/util/errors.ts";
import { tempDir, writeFiles } from "./fixtures.ts";

// An Optuna trials_dataframe() export with a dataset column added.
const OPTUNA_CSV = [
  "number,value,duration_seconds,params_lr,params_model,params_opt,state,dataset,n_samples,n_classes",
  "0,0.81,12.5,0.001,resnet,adam,COMPLETE,cifar,50000,10",
  "1,,3.0,0.1,resnet,sgd,FAIL,cifar,50000,10",
  "2,0.64,30,1e-05,vit,adam,PRUNED,cifar,50000,10",
  "3,0.9,8,0.0001,vit,sgd,COMPLETE,svhn,73257,10",
].join("\n");

const MAPPING_YAML = `
name: my-study
file: trials.csv
runId: number
dataset: dataset
model: params_model
metaFeatures: [n_samples, n_classes]
hyperparameters: {prefix: "params_"}
metric: {column: value, name: accuracy, direction: max}
cost: duration_seconds
status: state
`;

test("generic: Optuna-style CSV + YAML mapping", () => {
  const dir = writeFiles(tempDir(), { "trials.csv": OPTUNA_CSV, "hporec-mapping.yaml": MAPPING_YAML });
  const { metaDataset: md, failures } = loadHistory(dir);
  assert.equal(md.format, "generic");
  assert.equal(md.name, "my-study");
  // Trial 1 failed, trial 2 was pruned (with a value): failures, kept apart from the runs.
  assert.deepEqual(md.runs.map((r) => r.id), ["0", "3"]);
  assert.deepEqual(failures.map((f) => [f.id, f.reason, f.lastMetric]), [["1", "failed", undefined], ["2", "pruned", 0.64]]);
  assert.match(md.notes?.[0] ?? "", /imported 2 runs from 4 rows; 2 failures kept apart \(failed 1, pruned 1\)/);
  const r0 = md.runs[0];
  assert.equal(r0.model, "resnet");
  assert.deepEqual(r0.hyperparameters, { lr: 0.001, opt: "adam" });
  assert.deepEqual(r0.outcome, { best: 0.81, final: 0.81 });
  assert.equal(r0.cost.totalSeconds, 12.5);
  assert.equal(r0.status, "completed");
  assert.deepEqual(md.models, ["resnet", "vit"]);
  const svhn = md.datasets.find((d) => d.id === "svhn")!;
  assert.equal(svhn.metaFeatures.n_samples, 73257);
  assert.equal(svhn.metaFeatures.samples_per_class, 7325.7);
  const lr = md.searchSpace.hyperparameters.lr;
  // Inferred from the results only (trial 2's 1e-5 was pruned): one decade, so not a log range.
  assert.ok(lr.type === "float" && !lr.log && lr.low === 1e-4 && lr.high === 0.001);
});

test("generic: JSONL with nested fields and a JSON mapping given as a file", () => {
  const lines = [
    { run: "a", data: { id: "d1", rows: 100, k: 2 }, params: { depth: 3, eta: 0.3 }, metrics: { logloss: 0.5 } },
    { run: "b", data: { id: "d1", rows: 100, k: 2 }, params: { depth: 8, eta: 0.01 }, metrics: { logloss: 0.4 } },
  ];
  const dir = writeFiles(tempDir(), {
    "runs.jsonl": lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    "m.json": JSON.stringify({
      file: "runs.jsonl",
      runId: "run",
      dataset: "data.id",
      metaFeatures: { n_samples: "data.rows", n_classes: "data.k" },
      hyperparameters: ["params.depth", "params.eta"],
      metric: { column: "metrics.logloss", direction: "min" },
    }),
  });
  const md = loadMetaDataset(path.join(dir, "m.json"));
  assert.deepEqual(md.metric, { name: "metrics.logloss", direction: "min" });
  assert.deepEqual(md.runs[1].hyperparameters, { "params.depth": 8, "params.eta": 0.01 });
  assert.equal(md.runs[1].model, "default");
  assert.equal(md.datasets[0].metaFeatures.n_classes, 2);
});

test("generic: mapping and row errors name file, line and column", () => {
  const check = (files: Record<string, string>, ...fragments: string[]) =>
    assert.throws(() => loadMetaDataset(writeFiles(tempDir(), files)), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      for (const f of fragments) assert.ok(e.describe().includes(f), `${f} not in ${e.describe()}`);
      return true;
    });
  check({ "trials.csv": OPTUNA_CSV, "mapping.yaml": MAPPING_YAML.replace("duration_seconds", "runtime") }, "mapping.yaml: cost", '"runtime"', "trials.csv does not have");
  check({ "trials.csv": OPTUNA_CSV.replace("0.9,8", "0.9,slow"), "mapping.yaml": MAPPING_YAML }, "trials.csv:5", '"duration_seconds"', '"slow" is not a number');
  check({ "trials.csv": OPTUNA_CSV.replace("50000,10\n2", "50000\n2"), "mapping.yaml": MAPPING_YAML }, "trials.csv:3", "expected 10");
  check({ "trials.csv": OPTUNA_CSV, "mapping.yaml": "file: trials.csv\ndataset: dataset\n" }, "mapping.yaml: metric.column", "no metric column", "direction: max");
  check({ "trials.csv": OPTUNA_CSV.replace("0.9,8,0.0001,vit,sgd,COMPLETE,svhn,73257", "0.9,8,0.0001,vit,sgd,COMPLETE,cifar,73257"), "mapping.yaml": MAPPING_YAML }, "trials.csv:5", "meta-features of dataset cifar differ");
});
