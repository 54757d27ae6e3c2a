/**
 * The README's "bring your own history" flow on the real W&B export: import -> check -> train one pack from
 * Quick-Tune extended plus the imported runs (--data a,b) -> recommend with the new pack. Small training
 * settings keep it quick; what is asserted is the plumbing and what the pack was trained on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "../../helpers/env.ts";
import { runCli, tempDir } from "../cli/helpers.ts";

const wandb = dataDir("quicktune-micro-wandb");
const extended = dataDir("quicktune-extended");

test("import -> check -> train --data extended,imported -> recommend", { skip: (!wandb || !extended) && "HPOREC_DATA not found" }, () => {
  const env = { HPOREC_DATA: path.dirname(extended!) };
  const root = tempDir();
  const micro = path.join(root, "micro");
  const imp = runCli(["data", "import", wandb!, "--mapping", "metadata/examples/wandb-micro.yaml", "--out", micro], env);
  assert.equal(imp.status, 0, imp.stderr);
  assert.match(imp.stdout, /6 datasets, 180 runs/);
  const check = runCli(["data", "check", micro, "--strict"], env);
  assert.equal(check.status, 0, check.stdout);
  assert.match(check.stdout, /0 mismatches/);

  const pack = path.join(root, "pack");
  const train = runCli(["train", "--data", `quicktune-extended,${micro}`, "--out", pack, "--seeds", "1", "--rounds", "10", "--head", "none", "--no-calibrate", "--json"], env);
  assert.equal(train.status, 0, train.stderr);
  const manifest = JSON.parse(readFileSync(path.join(pack, "manifest.json"), "utf8"));
  assert.deepEqual([manifest.metaDataset.name, manifest.metaDataset.datasets, manifest.metaDataset.runs], ["quicktune-extended+quicktune-micro-wandb", 28, 3909 + 180]);
  // Micro BCT is not extended BCT (other meta-features): both are kept, the micro one under another id.
  assert.match(train.stderr, /5 datasets of quicktune-micro-wandb share their ids with other datasets \(other meta-features\): renamed BCT@quicktune-micro-wandb, CRS@/);
  const datasets = JSON.parse(readFileSync(path.join(pack, "datasets.json"), "utf8")) as { id: string; nRuns: number; metaFeatures: { n_samples: number } }[];
  const extendedBct = JSON.parse(readFileSync(path.join(extended!, "meta_descriptors.json"), "utf8")).BCT[0];
  assert.deepEqual(datasets.filter((d) => d.id.startsWith("BCT")).map((d) => [d.id, d.metaFeatures.n_samples]).sort(), [["BCT", extendedBct], ["BCT@quicktune-micro-wandb", 480]]);

  const rec = runCli(["recommend", "--pack", pack, "--samples", "480", "--classes", "20", "--image-size", "128", "--channels", "3", "--json"], env);
  assert.equal(rec.status, 0, rec.stderr);
  const answer = JSON.parse(rec.stdout);
  const space = JSON.parse(readFileSync(path.join(pack, "space.json"), "utf8"));
  assert.ok(space.models.includes(answer.recommendation.model));
  assert.deepEqual(Object.keys(answer.recommendation.hyperparameters).sort(), Object.keys(space.searchSpace.hyperparameters).sort());
  // The imported datasets are part of the pack's experience: a micro-sized dataset finds them among its neighbours.
  const microIds = ["MD_MIX", ...["BCT", "CRS", "FLW", "PLT_VIL", "SPT"].map((c) => `${c}@quicktune-micro-wandb`)];
  assert.ok(answer.similarDatasets.some((d: { id: string }) => microIds.includes(d.id)), JSON.stringify(answer.similarDatasets));
});
