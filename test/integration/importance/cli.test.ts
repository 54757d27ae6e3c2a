import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = path.resolve("bin/hporec.js");
const dir = mkdtempSync(path.join(tmpdir(), "hporec-importance-"));
const run = (args: string[]) => spawnSync(process.execPath, [BIN, "importance", ...args], { encoding: "utf8", env: { ...process.env, HPOREC_PROGRESS: "0" } });

test("importance --json --plot: a ranking, interactions and two SVGs naming the players", () => {
  const out = path.join(dir, "tun.svg");
  const r = run(["--dataset-id", "BCT", "--game", "tunability", "--candidates", "200", "--players", "6", "--group", "augmentation=auto_augment,mixup,cutmix", "--json", "--plot", out]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.ranking.length, 6);
  assert.ok(j.ranking.some((x: { player: string }) => x.player === "augmentation"));
  const total = j.ranking.reduce((s: number, x: { value: number }) => s + x.value, 0);
  assert.ok(Math.abs(total - (j.full - j.empty)) < 1e-9);
  assert.equal(j.interactions.length, 5);
  const svg = readFileSync(out, "utf8");
  for (const x of j.ranking) assert.ok(svg.includes(x.player), `${x.player} in the bar chart`);
  assert.ok(existsSync(path.join(dir, "tun.interactions.svg")));
});

test("importance text output for an ablation from the baseline to a given configuration", () => {
  const cfg = path.join(dir, "cfg.json");
  writeFileSync(cfg, JSON.stringify({ model: "volo_d1_384", hyperparameters: { lr: 0.0001, opt: "sgd" } }));
  const card = path.join(dir, "card.json");
  writeFileSync(card, JSON.stringify({ name: "leaves", samples: 3000, classes: 7, imageSize: 128, channels: 3, domain: "plants" }));
  const r = run(["--dataset", card, "--game", "ablation", "--config", cfg]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ablation game on leaves: 10 players/);
  assert.match(r.stdout, /lr=5\.00e-4 -> lr=1\.00e-4/);
  // The same configuration inline, as `study tell --config` takes it.
  const inline = run(["--dataset", card, "--game", "ablation", "--config", readFileSync(cfg, "utf8")]);
  assert.equal(inline.status, 0, inline.stderr);
  assert.equal(inline.stdout.replace(/, [\d.]+ s\n/, "\n"), r.stdout.replace(/, [\d.]+ s\n/, "\n"));
});

test("the values are labelled as what they are: the predicted rank (which may pass 1), or its variance for sensitivity", () => {
  const ablation = run(["--dataset-id", "BCT", "--game", "ablation"]);
  assert.equal(ablation.status, 0, ablation.stderr);
  assert.match(ablation.stdout, /Shapley values \(predicted rank, from 0 = a past dataset's worst run to 1 = its best; a prediction may pass 1\)/);
  const sensitivity = run(["--dataset-id", "BCT", "--game", "sensitivity", "--candidates", "100", "--players", "4"]);
  assert.equal(sensitivity.status, 0, sensitivity.stderr);
  assert.match(sensitivity.stdout, /Shapley values \(variance of the predicted rank over the space\)/);
});

test("without --game, the tunability game: which hyperparameters are worth tuning here", () => {
  const r = run(["--dataset-id", "BCT", "--candidates", "100", "--players", "4", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).game, "tunability");
});

test("bad input exits 2 with the fix: unknown dataset id, unknown hyperparameter, bad value, too many exact players", () => {
  const unknownId = run(["--dataset-id", "NOPE", "--game", "tunability"]);
  assert.equal(unknownId.status, 2);
  assert.match(unknownId.stderr, /unknown dataset id "NOPE"[\s\S]*one of: ACT_40, .*BCT/);

  const bad = path.join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ learning_rate: 0.1 }));
  const unknownHp = run(["--dataset-id", "BCT", "--game", "tunability", "--baseline", bad]);
  assert.equal(unknownHp.status, 2);
  assert.match(unknownHp.stderr, /unknown hyperparameter "learning_rate"[\s\S]*fix: one of: amp/);

  writeFileSync(bad, JSON.stringify({ model: "volo_d1_384", batch_size: "big" }));
  const badValue = run(["--dataset-id", "BCT", "--game", "ablation", "--config", bad]);
  assert.equal(badValue.status, 2);
  assert.match(badValue.stderr, /batch_size needs an integer/);

  const tooMany = run(["--dataset-id", "BCT", "--game", "tunability", "--players", "16", "--method", "exact", "--candidates", "10"]);
  assert.equal(tooMany.status, 2);
  assert.match(tooMany.stderr, /16 players are too many for the exact method[\s\S]*--method permutation/);
});

test("--candidates counts the configurations sampled (as in recommend); the old --samples still works, with a note", () => {
  const args = ["--dataset-id", "BCT", "--players", "4", "--json"];
  const now = run([...args, "--candidates", "100"]);
  assert.equal(now.status, 0, now.stderr);
  assert.equal(JSON.parse(now.stdout).samples, 100);
  assert.equal(now.stderr, "");
  const old = run([...args, "--samples", "100"]);
  assert.equal(old.status, 0, old.stderr);
  const timeless = (out: string) => ({ ...JSON.parse(out), seconds: 0 });
  assert.deepEqual(timeless(old.stdout), timeless(now.stdout));
  assert.match(old.stderr, /--samples is now --candidates/);
  const both = run([...args, "--samples", "100", "--candidates", "200"]);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--candidates 200 and --samples 100[\s\S]*fix: give one/);
  assert.doesNotMatch(run(["--help"]).stdout, /--samples/);
});
