import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { SearchSpace } from "../../../src/metadata/schema.ts";
import { quicktuneFixture, tempDir, writeFiles } from "../../unit/metadata/fixtures.ts";
import { png } from "../../unit/metadata/images.ts";
import { runCli } from "../../unit/metadata/cli-helpers.ts";

test("cli: data inspect prints a table, --json the full summary", () => {
  const dir = quicktuneFixture();
  const human = runCli(["data", "inspect", dir]);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /2 datasets, 3 runs, 2 models/);
  assert.match(human.stdout, /^\s+DS_A\s+image\s+2\s+40\s+22\.5\s+1,000\s+10\s+128$/m); // best 40, median of 40 and 5
  const j = JSON.parse(runCli(["data", "inspect", dir, "--json"]).stdout);
  assert.deepEqual(j.counts, { datasets: 2, runs: 3, models: 2, hyperparameters: 5 });
  assert.equal(j.datasets.find((d: { id: string }) => d.id === "DS_B").best, 50);
});

test("cli: data space writes a valid search space atomically; describe prints meta-features", () => {
  const dir = quicktuneFixture();
  const outDir = tempDir();
  const out = path.join(outDir, "space.json");
  const r = runCli(["data", "space", dir, "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  const space = SearchSpace.parse(JSON.parse(readFileSync(out, "utf8")));
  assert.deepEqual(Object.keys(space.hyperparameters).sort(), ["amp", "batch_size", "lr", "opt", "opt_betas"]);
  assert.deepEqual(readdirSync(outDir), ["space.json"]); // no temp file left behind

  const bad = runCli(["data", "space", path.join(tempDir(), "nope"), "--out", path.join(outDir, "x.json")]);
  assert.equal(bad.status, 2);
  assert.equal(existsSync(path.join(outDir, "x.json")), false);

  const images = writeFiles(tempDir(), { "a/1.png": png(8, 6), "b/1.png": png(8, 6), "b/2.png": png(8, 6) });
  const d = runCli(["data", "describe", images, "--json"]);
  assert.equal(d.status, 0, d.stderr);
  const desc = JSON.parse(d.stdout);
  assert.equal(desc.metaFeatures.n_samples, 3);
  assert.equal(desc.metaFeatures.imbalance_ratio, 2);

  const card = writeFiles(tempDir(), { "card.yaml": "samples: 100\nclasses: 5\nimageSize: 64\nchannels: 3\ndomain: vehicle\n" });
  const c = runCli(["data", "describe", path.join(card, "card.yaml")]);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /card\.yaml: domain: unknown domain "vehicle"; did you mean "vehicles"\?/);
});
