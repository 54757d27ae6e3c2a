/**
 * Importers on the real meta-datasets. Expected counts are derived here from the raw files with plain
 * JSON.parse and string splitting, independently of the importers' code paths.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dataDir } from "../../helpers/env.ts";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { MetaDataset } from "../../../src/metadata/schema.ts";
import { importHistory } from "../../../src/metadata/import.ts";
import { writeSaved } from "../../../src/metadata/saved.ts";

const qt = dataDir("quicktune-extended");
const med = dataDir("medquicktune");
const hpob = dataDir("hpob-top5");
const json = (dir: string, f: string) => JSON.parse(readFileSync(path.join(dir, f), "utf8"));

test("quicktune-extended: 22 datasets, 3,909 runs, 24 models, matching the raw files", { skip: !qt && "HPOREC_DATA not found" }, () => {
  const perf = json(qt!, "curves_perf_top1.json") as Record<string, Record<string, number[]>>;
  const cost = json(qt!, "curves_cost_seconds.json") as Record<string, Record<string, number[]>>;
  const rawDatasets = Object.keys(perf).filter((k) => k !== "info");
  const rawRuns = rawDatasets.reduce((n, d) => n + Object.keys(perf[d]).length, 0);
  const lines = readFileSync(path.join(qt!, "configs.csv"), "utf8").trim().split("\n");
  // Split the header on commas outside quotes (the opt_betas values are quoted lists).
  const header = lines[0].split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, ""));
  const modelCols = header.filter((h) => h.startsWith("cat:model:"));
  assert.equal(rawDatasets.length, 22);
  assert.equal(rawRuns, 3909);
  assert.equal(lines.length - 1, 3909);
  assert.equal(modelCols.length, 24);

  const md = loadMetaDataset(qt!);
  assert.ok(MetaDataset.safeParse(md).success);
  assert.equal(md.datasets.length, rawDatasets.length);
  assert.equal(md.runs.length, rawRuns);
  assert.equal(md.models.length, modelCols.length);
  assert.deepEqual(md.models, modelCols.map((c) => c.slice("cat:model:".length)).sort());
  assert.equal(new Set(md.runs.map((r) => r.id)).size, 3909);
  assert.ok(md.datasets.every((d) => d.domain && d.modality === "image"));
  assert.equal(Object.keys(md.searchSpace.hyperparameters).some((k) => k === "model" || k.startsWith("cat:")), false);

  // Spot-check every 97th run against the raw files: outcome, epochs, cost, decoded model.
  const byId = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(",")), l.split(",")]));
  const modelIdx = header.map((h, i) => [h, i] as const).filter(([h]) => h.startsWith("cat:model:"));
  for (const r of md.runs.filter((_, i) => i % 97 === 0)) {
    const curve = perf[r.datasetId][r.id];
    assert.equal(r.outcome.best, Math.max(...curve));
    assert.equal(r.outcome.final, curve.at(-1));
    assert.equal(r.epochs, curve.length);
    const total = cost[r.datasetId][r.id].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(r.cost.totalSeconds! - total) < 1e-6 * total);
    const cells = byId.get(r.id)!;
    assert.equal(cells.length, header.length); // data cells are unquoted, so plain splitting aligns them
    const on = modelIdx.filter(([, i]) => cells[i] === "1");
    assert.equal(on.length, 1);
    assert.equal(r.model, on[0][0].slice("cat:model:".length));
  }
  const meta = json(qt!, "meta_descriptors.json") as Record<string, number[]>;
  for (const d of md.datasets) {
    assert.deepEqual([d.metaFeatures.n_samples, d.metaFeatures.n_classes, d.metaFeatures.image_size, d.metaFeatures.channels], meta[d.id]);
  }
});

test("medquicktune: 6 datasets, 505 runs", { skip: !med && "HPOREC_DATA not found" }, () => {
  const metaLines = readFileSync(path.join(med!, "meta.csv"), "utf8").trim().split("\n").slice(1);
  const rawDatasets = new Set(metaLines.map((l) => l.split(",")[1]));
  const md = loadMetaDataset(med!);
  assert.equal(md.datasets.length, 6);
  assert.equal(rawDatasets.size, 6);
  assert.equal(md.runs.length, 505);
  assert.equal(metaLines.length, 505);
  assert.deepEqual(new Set(md.datasets.map((d) => d.modality)), new Set(["mri", "ct"]));
  assert.ok(md.models.every((m) => /^(densenet|resnet)\d+$/.test(m)), md.models.join());
  const costs = new Map(readFileSync(path.join(med!, "cost.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",")).map(([i, c]) => [i, Number(c)]));
  for (const r of md.runs) assert.equal(r.cost.totalSeconds, costs.get(r.id));
  const curves = new Map(readFileSync(path.join(med!, "curve.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",")).map(([i, ...v]) => [i, v.map(Number)]));
  for (const r of md.runs) assert.equal(r.outcome.best, Math.max(...curves.get(r.id)!));
});

test("hpob-top5: 16 search spaces, every run in its own space", { skip: !hpob && "HPOREC_DATA not found" }, () => {
  const schemas = json(hpob!, "schemas.json") as { id: string }[];
  const solutions = (json(hpob!, "solutions.json") as { source: string; context: string }[]).filter((s) => s.source === "hpob");
  const md = loadMetaDataset(hpob!);
  assert.equal(md.kind, "experience-pool");
  assert.equal(Object.keys(md.searchSpaces!).length, 16);
  assert.deepEqual(Object.keys(md.searchSpaces!).sort(), schemas.map((s) => s.id).sort());
  assert.equal(md.runs.length, solutions.length);
  assert.equal(md.datasets.length, new Set(solutions.map((s) => s.context)).size);
  for (const r of md.runs) {
    const space = md.searchSpaces![r.space!];
    assert.ok(space, `run ${r.id} has no space`);
    for (const [k, v] of Object.entries(r.hyperparameters)) {
      const hp = space.hyperparameters[k];
      assert.ok(hp, `${k} not in ${r.space}`);
      if (v !== null && (hp.type === "float" || hp.type === "int") && !hp.log) assert.ok(v as number >= hp.low && (v as number) <= hp.high, `${r.id} ${k}=${v}`);
    }
  }
  for (const s of Object.values(md.searchSpaces!)) {
    for (const hp of Object.values(s.hyperparameters)) if ((hp.type === "float" || hp.type === "int") && hp.log) assert.ok(hp.low > 0);
  }
});

test("saved format: quicktune-extended imported and read back is the same meta-dataset", { skip: !qt && "HPOREC_DATA not found" }, async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "hporec-saved-")), "qt");
  await writeSaved(out, importHistory([qt!]));
  assert.deepEqual(loadMetaDataset(out), loadMetaDataset(qt!));
});
