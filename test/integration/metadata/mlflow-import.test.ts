/**
 * The MLflow importer on a file store. MLflow itself cannot be installed here (neither npm nor Debian ships
 * it), so the fixture is written by this test to MLflow's documented FileStore layout
 * (mlflow/store/tracking/file_store.py): mlruns/<experiment id>/meta.yaml, <run id>/meta.yaml with an integer
 * status, params/<key> and tags/<key> holding the value as text, metrics/<key> holding "<timestamp> <value>
 * <step>" lines, nested keys as sub-folders, a .trash folder and a model registry folder beside the experiments.
 * Expected values are the ones written here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { runCli, tempDir, writeFiles } from "../cli/helpers.ts";
import { importHistory } from "../../../src/metadata/import.ts";
import { loadHistory } from "../../../src/metadata/load.ts";

interface RunSpec {
  id: string;
  status: 1 | 2 | 3 | 4 | 5;
  params: Record<string, string>;
  /** [timestamp ms, value, step] lines. */
  metrics: Record<string, [number, string, number][]>;
  start: number;
  end: number | null;
  deleted?: boolean;
}

function experiment(root: string, id: string, name: string, runs: RunSpec[]): void {
  const files: Record<string, string> = {
    [`${id}/meta.yaml`]: `artifact_location: file://${root}/${id}\ncreation_time: 1700000000000\nexperiment_id: '${id}'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: ${name}\n`,
    [`${id}/tags/mlflow.note.content`]: "experiment tag, not a run",
  };
  for (const r of runs) {
    files[`${id}/${r.id}/meta.yaml`] = [
      `artifact_uri: file://${root}/${id}/${r.id}/artifacts`,
      `end_time: ${r.end ?? "null"}`,
      "entry_point_name: ''",
      `experiment_id: '${id}'`,
      `lifecycle_stage: ${r.deleted ? "deleted" : "active"}`,
      `run_id: ${r.id}`,
      `run_name: run-${r.id}`,
      `run_uuid: ${r.id}`,
      "source_name: ''",
      "source_type: 4",
      "source_version: ''",
      `start_time: ${r.start}`,
      `status: ${r.status}`,
      "tags: []",
      "user_id: alice",
      "",
    ].join("\n");
    for (const [k, v] of Object.entries(r.params)) files[`${id}/${r.id}/params/${k}`] = v;
    for (const [k, lines] of Object.entries(r.metrics)) files[`${id}/${r.id}/metrics/${k}`] = lines.map((l) => `${l.join(" ")}\n`).join("");
    files[`${id}/${r.id}/tags/mlflow.runName`] = `run-${r.id}`;
    files[`${id}/${r.id}/tags/mlflow.user`] = "alice";
    files[`${id}/${r.id}/tags/team`] = r.id.endsWith("1") ? "vision" : "core";
    files[`${id}/${r.id}/artifacts/model/MLmodel`] = "flavors: {}\n";
  }
  writeFiles(root, files);
}

function store(): string {
  const root = path.join(tempDir("hporec-mlflow-"), "mlruns");
  writeFiles(root, {
    "0/meta.yaml": `artifact_location: file://${root}/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n`,
    ".trash/9/meta.yaml": "experiment_id: '9'\nlifecycle_stage: deleted\nname: old\n",
    "models/resnet/meta.yaml": "name: resnet\ncreation_timestamp: 1\n",
  });
  const params = (lr: string, model: string, extra: Record<string, string> = {}) => ({ lr, model, "optimizer/name": "adam", n_samples: "5000", ...extra });
  const acc = (...values: string[]): [number, string, number][] => values.map((v, step) => [1700000000000 + step * 1000, v, step]);
  experiment(root, "101", "cifar10", [
    { id: "a1", status: 3, params: params("0.001", "resnet"), metrics: { val_acc: acc("0.5", "0.7", "0.65"), loss: acc("1.2", "0.8", "0.9") }, start: 1700000000000, end: 1700000090000 },
    { id: "a2", status: 3, params: params("0.01", "vit"), metrics: { val_acc: acc("0.6", "0.8"), loss: acc("1.0", "0.5") }, start: 1700000000000, end: 1700000030500 },
    { id: "a3", status: 4, params: params("0.5", "vit"), metrics: { val_acc: acc("0.1", "nan"), loss: acc("9", "inf") }, start: 1700000000000, end: 1700000010000 },
    { id: "a4", status: 5, params: params("0.0001", "resnet"), metrics: { val_acc: acc("0.3") }, start: 1700000000000, end: 1700000005000 },
    { id: "a5", status: 1, params: params("0.002", "resnet"), metrics: {}, start: 1700000000000, end: null },
    { id: "a6", status: 3, params: params("0.003", "resnet"), metrics: { val_acc: acc("0.9") }, start: 1700000000000, end: 1700000001000, deleted: true },
  ]);
  experiment(root, "102", "svhn", [
    { id: "b1", status: 3, params: params("0.001", "resnet", { n_samples: "73257" }), metrics: { val_acc: [[1700000001000, "0.91", 1], [1700000000000, "0.85", 0], [1700000002000, "0.88", 1]] }, start: 1700000000000, end: 1700000060000 },
    { id: "b2", status: 3, params: params("0.0003", "vit", { n_samples: "73257" }), metrics: { val_acc: acc("0.7", "0.75") }, start: 1700000000000, end: 1700000045000 },
  ]);
  return root;
}

const MAPPING = `
metaFeatures: {n_samples: params.n_samples}
metric: {column: metrics.val_acc, name: accuracy, direction: max}
`;

test("mlflow: a file store imports with the experiment as dataset, params as hyperparameters, the metric's history as curve", () => {
  const root = store();
  const mapping = writeFiles(tempDir(), { "m.yaml": MAPPING }) + "/m.yaml";
  const { metaDataset: md, failures, report } = importHistory([root], { mapping });
  assert.equal(md.format, "mlflow"); // detected: the folder holds experiment folders with meta.yaml
  assert.deepEqual(md.datasets.map((d) => [d.id, d.metaFeatures.n_samples]), [["cifar10", 5000], ["svhn", 73257]]);
  assert.deepEqual(md.runs.map((r) => r.id), ["a1", "a2", "b1", "b2"]);
  assert.deepEqual(failures.map((f) => [f.id, f.reason]), [["a3", "failed"], ["a4", "killed"]]);
  assert.deepEqual(report!.skipped, { "not finished (RUNNING)": 1 }); // a6 is deleted: not listed, as in MLflow's search
  assert.equal(report!.rows, 7);

  const a1 = md.runs[0];
  assert.equal(a1.model, "resnet");
  assert.deepEqual(a1.hyperparameters, { lr: 0.001, "optimizer/name": "adam" });
  assert.deepEqual(a1.outcome, { best: 0.65, final: 0.65, curve: [0.5, 0.7, 0.65] }); // the latest value by default
  assert.equal(a1.cost.totalSeconds, 90);
  assert.deepEqual(a1.attributes, { "tags.team": "vision" });
  // The latest value is the largest step, then the latest timestamp: 0.88, not the larger 0.91.
  const b1 = md.runs.find((r) => r.id === "b1")!;
  assert.equal(b1.outcome.best, 0.88);
  assert.deepEqual(b1.outcome.curve, [0.85, 0.91, 0.88]);

  const best = writeFiles(tempDir(), { "m.yaml": MAPPING.replace("direction: max", "direction: max, use: best") }) + "/m.yaml";
  const byBest = importHistory([root], { mapping: best }).metaDataset;
  assert.equal(byBest.runs.find((r) => r.id === "a1")!.outcome.best, 0.7);
  assert.equal(byBest.runs.find((r) => r.id === "b1")!.outcome.best, 0.91);
});

test("mlflow: data import writes a saved folder; without a direction the error names the key and the fix", () => {
  const root = store();
  const out = path.join(tempDir(), "saved");
  const mapping = writeFiles(tempDir(), { "m.yaml": MAPPING }) + "/m.yaml";
  const r = runCli(["data", "import", path.dirname(root), "--format", "mlflow", "--mapping", mapping, "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  const h = loadHistory(out);
  assert.equal(h.metaDataset.runs.length, 4);
  assert.equal(h.failures.length, 2);

  const noDirection = runCli(["data", "import", root, "--out", out + "2"]);
  assert.equal(noDirection.status, 2);
  // Two metrics and no mapping: the metric must be named.
  assert.match(noDirection.stderr, /mapping: metric\.column: no metric column[\s\S]*fix: name the outcome to learn from[\s\S]*metrics\.loss/);
  const empty = runCli(["data", "import", tempDir(), "--format", "mlflow", "--out", out + "3"]);
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /not an MLflow file store[\s\S]*fix: pass the mlruns folder/);
});
